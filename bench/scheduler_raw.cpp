#include "scheduler_raw.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace rapport::bench {
namespace {

constexpr size_t kPgBatch = 5000;  // rows per transaction of the PostgreSQL reference

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

std::string SiteInsert() {
  return "INSERT INTO sites (id, tenant_id, name, tags, timezone, created_at, updated_at) "
         "VALUES ('site_bench0000000000000000000000', 'bench', 'b', '{}', 'UTC', 0, 0)";
}

// `own_names`: each schedule named by its id, in its name column and in its settings (whose name
// must be "bench"), so that no two schedules share a settings text.
std::string ScheduleSelect(const std::string& id_expr, const std::string& settings, UnixMs due,
                           bool own_names) {
  std::string name = own_names ? id_expr : "'bench'";
  std::string settings_expr = own_names ? "replace(" + Quoted(settings) +
                                              ", '\"name\":\"bench\"', '\"name\":\"' || " +
                                              id_expr + " || '\"')"
                                        : Quoted(settings);
  return "INSERT INTO sla_schedules (id, tenant_id, name, disabled, timezone, settings, "
         "next_run_at, created_at, updated_at) SELECT " +
         id_expr + ", 'bench', " + name + ", 0, 'UTC', " + settings_expr + ", " +
         std::to_string(due) + ", 0, 0 FROM ";
}

class SqliteDb final : public RawDb {
 public:
  explicit SqliteDb(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Die("sqlite: cannot open " + path);
    sqlite3_busy_timeout(db_, 10'000);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
  }
  ~SqliteDb() override { sqlite3_close(db_); }
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void Exec(const std::string& sql) override {
    Check(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr));
  }

  std::vector<Row> Query(const std::string& sql) override {
    sqlite3_stmt* q = Prepare(sql);
    std::vector<Row> rows;
    while (Step(q)) {
      Row row(sqlite3_column_count(q));
      for (size_t i = 0; i < row.size(); ++i) {
        const auto* text = sqlite3_column_text(q, static_cast<int>(i));
        if (text != nullptr) row[i] = reinterpret_cast<const char*>(text);
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(q);
    return rows;
  }

  void Seed(int n, const std::string& settings, UnixMs due, bool own_names) override {
    Exec("BEGIN IMMEDIATE; " + SiteInsert());
    Exec("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(n - 1) + ") " +
         ScheduleSelect("printf('sla_%028d', i)", settings, due, own_names) + "n");
    Exec("COMMIT");
  }

  // One transaction, three prepared statements reused for every row.
  void Insert(const Firing& f, UnixMs due) override {
    Exec("BEGIN IMMEDIATE");
    InsertRows("schedule_runs", kRunColumns, kRunCount, f.runs);
    InsertRows("jobs", kJobColumns, kJobCount, f.jobs);
    sqlite3_stmt* q =
        Prepare("UPDATE sla_schedules SET next_run_at = ?1 WHERE id = ?2 AND next_run_at = ?3");
    for (const Row& row : f.nexts) {
      sqlite3_bind_int64(q, 1, std::stoll(row[1].value()));
      sqlite3_bind_text(q, 2, row[0]->c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(q, 3, due);
      Step(q);
      sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    Exec("COMMIT");
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) Die(sqlite3_errmsg(db_));
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* q = nullptr;
    Check(sqlite3_prepare_v2(db_, sql.c_str(), -1, &q, nullptr));
    return q;
  }
  bool Step(sqlite3_stmt* q) {
    int rc = sqlite3_step(q);
    Check(rc);
    return rc == SQLITE_ROW;
  }
  void InsertRows(const std::string& table, const char* columns, int count,
                  const std::vector<Row>& rows) {
    std::string marks = "?";
    for (int i = 1; i < count; ++i) marks += ", ?";
    sqlite3_stmt* q = Prepare("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")");
    for (const Row& row : rows) {
      for (int i = 0; i < count; ++i) {
        if (row[i]) {
          sqlite3_bind_text(q, i + 1, row[i]->c_str(), static_cast<int>(row[i]->size()),
                            SQLITE_STATIC);
        } else {
          sqlite3_bind_null(q, i + 1);
        }
      }
      Step(q);
      sqlite3_reset(q);
    }
    sqlite3_finalize(q);
  }

  sqlite3* db_ = nullptr;
};

void PutBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xff);
  }
}

constexpr uint32_t kInt8Oid = 20;
constexpr uint32_t kTextOid = 25;

// The header of a one-dimensional array of `n` elements (no NULLs) in PostgreSQL's binary format.
std::string BinaryArrayHeader(uint32_t element_oid, size_t n) {
  std::string out;
  for (uint64_t field :
       {uint64_t{1}, uint64_t{0}, uint64_t{element_oid}, uint64_t{n}, uint64_t{1}}) {
    PutBigEndian(out, field, 4);  // dimensions, has NULLs, element type, length, lower bound
  }
  return out;
}

// utime + stime of process `pid` in seconds, nullopt when /proc/<pid>/stat cannot be read.
std::optional<double> ProcessCpu(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(comm_end + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // fields 14 and 15: utime, stime
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// COPY's text format: backslash escapes, \N for NULL.
void AppendCopyField(std::string& out, const std::optional<std::string>& field) {
  if (!field) {
    out += "\\N";
    return;
  }
  for (char ch : *field) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += ch;
    }
  }
}

class PgDb final : public RawDb {
 public:
  explicit PgDb(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) Die("postgres: " + std::string(PQerrorMessage(c_)));
    // The reference's UPDATE ... FROM unnest of 5,000 ids: the planner's hash join scans the
    // whole schedule table each batch; the primary key's nested loop is ~4x faster.
    Exec(
        "SET client_min_messages = warning; SET enable_hashjoin = off; SET enable_mergejoin = off");
  }
  ~PgDb() override { PQfinish(c_); }
  PgDb(const PgDb&) = delete;
  PgDb& operator=(const PgDb&) = delete;

  void Exec(const std::string& sql) override { PQclear(Checked(PQexec(c_, sql.c_str()))); }

  std::vector<Row> Query(const std::string& sql) override {
    PGresult* r = Checked(PQexec(c_, sql.c_str()));
    std::vector<Row> rows(PQntuples(r), Row(PQnfields(r)));
    for (int i = 0; i < PQntuples(r); ++i) {
      for (int j = 0; j < PQnfields(r); ++j) {
        if (!PQgetisnull(r, i, j)) rows[i][j] = PQgetvalue(r, i, j);
      }
    }
    PQclear(r);
    return rows;
  }

  void Seed(int n, const std::string& settings, UnixMs due, bool own_names) override {
    Exec("BEGIN; " + SiteInsert());
    Exec(ScheduleSelect("'sla_' || lpad(i::text, 28, '0')", settings, due, own_names) +
         "generate_series(0, " + std::to_string(n - 1) + ") i");
    Exec("COMMIT; ANALYZE");
  }

  std::map<int, double> BackendCpu(bool own) override {
    std::map<int, double> out;
    for (const Row& row :
         Query(own ? "SELECT pg_backend_pid()"
                   : "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
                     "pid <> pg_backend_pid()")) {
      int pid = std::stoi(row.at(0).value());
      if (auto cpu = ProcessCpu(pid)) out[pid] = *cpu;
    }
    return out;
  }

  // Per batch of kPgBatch schedules, one transaction: COPY of the runs, COPY of the jobs, one
  // UPDATE ... FROM unnest(ids, next_run_ats).
  void Insert(const Firing& f, UnixMs due) override {
    for (size_t at = 0; at < f.nexts.size(); at += kPgBatch) {
      size_t end = std::min(f.nexts.size(), at + kPgBatch);
      Exec("BEGIN");
      Copy("schedule_runs", kRunColumns, f.runs, at, std::min(end, f.runs.size()));
      Copy("jobs", kJobColumns, f.jobs, at, std::min(end, f.jobs.size()));
      Advance(f.nexts, at, end, due);
      Exec("COMMIT");
    }
  }

 private:
  PGresult* Checked(PGresult* r) {
    auto status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_COPY_IN) {
      std::string message = PQresultErrorMessage(r);
      PQclear(r);
      Die("postgres: " + message);
    }
    return r;
  }

  void Copy(const std::string& table, const char* columns, const std::vector<Row>& rows,
            size_t from, size_t to) {
    PQclear(Checked(PQexec(c_, ("COPY " + table + " (" + columns + ") FROM STDIN").c_str())));
    std::string data;
    for (size_t i = from; i < to; ++i) {
      for (size_t j = 0; j < rows[i].size(); ++j) {
        if (j > 0) data += '\t';
        AppendCopyField(data, rows[i][j]);
      }
      data += '\n';
    }
    if (PQputCopyData(c_, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(c_, nullptr) != 1) {
      Die("postgres: COPY: " + std::string(PQerrorMessage(c_)));
    }
    PQclear(Checked(PQgetResult(c_)));
    while (PGresult* r = PQgetResult(c_)) PQclear(r);
  }

  // The ids and new next_run_ats as binary array parameters (no array literal to parse).
  void Advance(const std::vector<Row>& nexts, size_t from, size_t to, UnixMs due) {
    std::string ids = BinaryArrayHeader(kTextOid, to - from);
    std::string values = BinaryArrayHeader(kInt8Oid, to - from);
    for (size_t i = from; i < to; ++i) {
      const std::string& id = nexts[i][0].value();
      PutBigEndian(ids, id.size(), 4);
      ids += id;
      PutBigEndian(values, 8, 4);
      PutBigEndian(values, static_cast<uint64_t>(std::stoll(nexts[i][1].value())), 8);
    }
    std::string due_text = std::to_string(due);
    const char* params[] = {ids.data(), values.data(), due_text.c_str()};
    const int lengths[] = {static_cast<int>(ids.size()), static_cast<int>(values.size()), 0};
    const int formats[] = {1, 1, 0};
    PQclear(Checked(PQexecParams(
        c_,
        "UPDATE sla_schedules s SET next_run_at = u.n FROM unnest($1::text[], $2::bigint[]) "
        "AS u(id, n) WHERE s.id = u.id AND s.next_run_at = $3::bigint",
        3, nullptr, params, lengths, formats, 0)));
  }

  PGconn* c_;
};

}  // namespace

void Die(const std::string& what) {
  std::cerr << "scheduler_benchmark: " << what << "\n";
  std::exit(1);
}

double CpuSince(const std::map<int, double>& before, const std::map<int, double>& after) {
  double sum = 0;
  for (const auto& [pid, cpu] : after) {
    auto was = before.find(pid);
    sum += cpu - (was == before.end() ? 0.0 : was->second);
  }
  return sum;
}

Firing RawDb::ReadFiring() {
  Firing f;
  f.runs = Query(std::string("SELECT ") + kRunColumns + " FROM schedule_runs ORDER BY schedule_id");
  f.jobs = Query(std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id");
  f.nexts = Query("SELECT id, next_run_at FROM sla_schedules ORDER BY id");
  return f;
}

std::unique_ptr<RawDb> OpenSqlite(const std::string& path) {
  return std::make_unique<SqliteDb>(path);
}

std::unique_ptr<RawDb> OpenPostgres(const std::string& conninfo) {
  return std::make_unique<PgDb>(conninfo);
}

std::string FreshPgDatabase(const std::string& admin_url, const std::string& name) {
  PgDb admin(admin_url);
  admin.Exec("DROP DATABASE IF EXISTS " + name);
  admin.Exec("CREATE DATABASE " + name);
  return admin_url.substr(0, admin_url.rfind('/') + 1) + name;
}

}  // namespace rapport::bench
