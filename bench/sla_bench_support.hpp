// What bench/sla_benchmark.cpp needs besides its measurements: the generated data sets, loading
// them into PostgreSQL and into rapportd's SQLite database, a rapportd child process and the
// authenticated calls to it. Included by that one benchmark only.
#pragma once

#include "bench_util.hpp"

#include <rapport/client/http_client.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/time.hpp>
#include <rapport/sla/uptime.hpp>
#include <rapport/store/store.hpp>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace rapport::slabench {

namespace json = boost::json;

// One generated data set: `sites` sites of `tenant` whose ids start with `prefix` (10
// characters, the site number after it), tagged {"bench":"yes"}, and their faults around
// [window_start, window_end).
struct DataSet {
  std::string tenant;
  std::string prefix;  // "site_bench" or "site_small"
  int sites = 0;
  int faults_per_site = 0;
  UnixMs window_start = 0;
  UnixMs window_end = 0;
  std::string from_date, to_date;  // the run's dates: the window is [from 00:00, to + 1 day)
};

struct GeneratedFault {
  int site = 0;
  UnixMs start = 0;
  std::optional<UnixMs> end;
  std::string type;
  std::string cause;
};

[[noreturn]] inline void Die(const std::string& what) {
  std::cerr << "sla_benchmark: " << what << "\n";
  std::exit(1);
}

inline std::string SiteId(const DataSet& d, int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%022d", d.prefix.c_str(), i);  // 27 characters after "site_"
  return buf;
}

// The site number of a site id of the data set.
inline int SiteNumber(std::string_view id) { return std::stoi(std::string(id.substr(10))); }

inline std::vector<GeneratedFault> Generate(const DataSet& d, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> start_s((d.window_start - 86'400'000) / 1000,
                                                 d.window_end / 1000 - 1);
  std::exponential_distribution<double> duration_s(1.0 / 1800.0);  // mean 30 min
  std::uniform_int_distribution<int> pct(0, 99);
  std::vector<GeneratedFault> faults;
  faults.reserve(static_cast<size_t>(d.sites) * d.faults_per_site);
  for (int s = 0; s < d.sites; ++s) {
    for (int k = 0; k < d.faults_per_site; ++k) {
      GeneratedFault f;
      f.site = s;
      f.start = start_s(rng) * 1000;
      int p = pct(rng);
      if (p >= 2) f.end = f.start + (60 + static_cast<int64_t>(duration_s(rng))) * 1000;
      f.type = pct(rng) < 10 ? "wantunnel" : "site";
      f.cause = pct(rng) < 5 ? "Power Outage" : "Link down";
      faults.push_back(std::move(f));
    }
  }
  return faults;
}

// The faults by site, as the uptime engine takes them.
inline std::vector<std::vector<FaultSpan>> BySite(const DataSet& d,
                                                  const std::vector<GeneratedFault>& faults) {
  std::vector<std::vector<FaultSpan>> by_site(d.sites);
  for (const auto& f : faults) {
    by_site[f.site].push_back(FaultSpan{f.start, f.end, f.type, f.cause});
  }
  return by_site;
}

// --- PostgreSQL ----------------------------------------------------------------------------

inline PGresult* Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) {
    Die("postgres: " + std::string(PQerrorMessage(c)) + " in: " + sql.substr(0, 120));
  }
  return r;
}

inline void CopyIn(PGconn* c, const std::string& table, const std::string& rows) {
  PQclear(Exec(c, "COPY " + table + " FROM STDIN"));
  for (size_t at = 0; at < rows.size(); at += (1 << 20)) {
    size_t n = std::min<size_t>(1 << 20, rows.size() - at);
    PQputCopyData(c, rows.data() + at, static_cast<int>(n));
  }
  PQputCopyEnd(c, nullptr);
  PGresult* r = PQgetResult(c);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) Die("COPY: " + std::string(PQerrorMessage(c)));
  PQclear(r);
}

inline void LoadPostgres(PGconn* c, const DataSet& d, const std::vector<GeneratedFault>& faults) {
  PQclear(Exec(c,
               "DROP TABLE IF EXISTS bench_faults; DROP TABLE IF EXISTS bench_sites;"
               "CREATE TABLE bench_sites (id text PRIMARY KEY);"
               "CREATE TABLE bench_faults (site_id text NOT NULL, type text NOT NULL, "
               "cause text NOT NULL, span tstzrange NOT NULL)"));
  std::string buf;
  for (int s = 0; s < d.sites; ++s) buf += SiteId(d, s) + "\n";
  CopyIn(c, "bench_sites", buf);
  buf.clear();
  for (const auto& f : faults) {
    buf += SiteId(d, f.site) + "\t" + f.type + "\t" + f.cause + "\t[\"" + FormatRfc3339(f.start) +
           "\"," + (f.end ? "\"" + FormatRfc3339(*f.end) + "\"" : "") + ")\n";
  }
  CopyIn(c, "bench_faults", buf);
  PQclear(Exec(c, "ANALYZE bench_sites; ANALYZE bench_faults"));
}

// The same definition as src/sla/uptime.cpp, in SQL: an open fault is an unbounded range, which
// the intersection with the window ends at the window's end (the run is long after it).
// Columns: site id, downtime seconds, uptime percentage (3 decimals); ordered by site id.
inline std::string PostgresQuery(const DataSet& d) {
  std::string win = "tstzrange('" + FormatRfc3339(d.window_start) + "', '" +
                    FormatRfc3339(d.window_end) + "', '[)')";
  std::string seconds = std::to_string((d.window_end - d.window_start) / 1000);
  return "WITH down AS (SELECT site_id, range_agg(span * " + win +
         ") AS ranges FROM bench_faults WHERE type = 'site' AND cause <> 'Power Outage' "
         "AND span && " +
         win +
         " GROUP BY site_id), "
         "per_site AS (SELECT s.id, COALESCE((SELECT sum(extract(epoch FROM upper(r) - lower(r))) "
         "FROM unnest(d.ranges) AS r), 0) AS down_s FROM bench_sites s "
         "LEFT JOIN down d ON d.site_id = s.id) "
         "SELECT id, down_s, round(100 * (" +
         seconds + " - down_s) / " + seconds + ", 3) AS uptime FROM per_site ORDER BY id";
}

// --- rapportd's SQLite database ------------------------------------------------------------

inline void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

inline sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* q = nullptr;
  Check(sqlite3_prepare_v2(db, sql, -1, &q, nullptr), db, "prepare");
  return q;
}

inline void InsertSites(sqlite3* db, const DataSet& d) {
  sqlite3_stmt* site = Prepare(db,
                               "INSERT INTO sites (id, tenant_id, name, tags, timezone, "
                               "created_at, updated_at) VALUES (?, ?, ?, "
                               "'{\"bench\":\"yes\"}', 'UTC', 0, 0)");
  for (int s = 0; s < d.sites; ++s) {
    std::string id = SiteId(d, s);
    std::string name = "Bench site " + std::to_string(s);
    sqlite3_bind_text(site, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(site, 2, d.tenant.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(site, 3, name.c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(site), db, "insert site");
    sqlite3_reset(site);
  }
  sqlite3_finalize(site);
}

inline void InsertFaults(sqlite3* db, const DataSet& d, const std::vector<GeneratedFault>& faults) {
  sqlite3_stmt* fault = Prepare(db,
                                "INSERT INTO faults (id, tenant_id, resource_id, type, severity, "
                                "cause, message, created_at, resolved_at, updated_at) "
                                "VALUES (?, ?, ?, ?, 'HIGH', ?, '', ?, ?, 0)");
  for (const auto& f : faults) {
    std::string id = NewId("flt");
    std::string site_id = SiteId(d, f.site);
    sqlite3_bind_text(fault, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 2, d.tenant.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 3, site_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 4, f.type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 5, f.cause.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(fault, 6, f.start);
    if (f.end) {
      sqlite3_bind_int64(fault, 7, *f.end);
    } else {
      sqlite3_bind_null(fault, 7);
    }
    Check(sqlite3_step(fault), db, "insert fault");
    sqlite3_reset(fault);
  }
  sqlite3_finalize(fault);
}

// Creates rapportd's database at `path` (its schema) holding every data set with its faults.
inline void LoadSqlite(
    const std::string& path,
    const std::vector<std::pair<DataSet, const std::vector<GeneratedFault>*>>& sets) {
  {  // creates the schema
    auto store = OpenStore({.database_url = path});
    if (!store.ok()) Die("open store: " + store.error().message());
  }
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  for (const auto& [d, faults] : sets) {
    InsertSites(db, d);
    InsertFaults(db, d, *faults);
  }
  Check(sqlite3_exec(db, "COMMIT; ANALYZE", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
}

// --- rapportd --------------------------------------------------------------------------------

struct Server {
  pid_t pid = -1;
  std::string url;
  ~Server() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

inline void StartRapportd(Server& server, const std::string& rapportd, const std::string& data_dir,
                          const std::string& secret) {
  std::filesystem::remove(data_dir + "/rapportd.addr");
  std::cout.flush();
  std::fflush(stdout);  // else the child's freopen writes our buffered output a second time
  server.pid = fork();
  if (server.pid == 0) {
    setenv("RAPPORT_AUTH_HS256_SECRET", secret.c_str(), 1);
    setenv("RAPPORT_LOG_REQUESTS", "false", 1);
    setenv("RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0", 1);  // the polling would hit 429
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::string log = data_dir + "/rapportd.log";
    if (!freopen(log.c_str(), "a", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
    execl(rapportd.c_str(), rapportd.c_str(), "--listen", "127.0.0.1:0", "--data-dir",
          data_dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 300; ++i) {
    std::ifstream in(data_dir + "/rapportd.addr");
    std::string addr;
    if (in && std::getline(in, addr) && !addr.empty()) {
      server.url = "http://" + addr;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Die("rapportd did not start; see " + data_dir + "/rapportd.log");
}

// One call as `token`; dies unless the status is `expect`. Returns the raw body.
inline std::string CallRaw(client::HttpClient& http, const std::string& token,
                           const std::string& method, const std::string& path,
                           const std::string& body, long expect) {
  auto r = http.Send(method, path, body, {"Authorization: Bearer " + token});
  if (!r.ok()) Die(method + " " + path + ": " + r.error().message());
  if (r->status != expect) {
    Die(method + " " + path + ": " + std::to_string(r->status) + " " + r->body);
  }
  return std::move(r->body);
}

inline json::value Call(client::HttpClient& http, const std::string& token,
                        const std::string& method, const std::string& path, const std::string& body,
                        long expect) {
  return json::parse(CallRaw(http, token, method, path, body, expect));
}

}  // namespace rapport::slabench
