// SLA uptime benchmark (issue 4). On one generated data set (default 10,000 sites, 1,000,000
// faults, a 30-day window) it measures, in the same run, with the median of --rounds:
//   1. Rapport's uptime engine over every site (faults already in memory, grouped by site);
//   2. the same computation done by PostgreSQL: range_agg over tstzrange, intersected with the
//      window, downtime summed per site and turned into an uptime percentage, for every site;
//   3. the whole on-demand run through a real rapportd on SQLite: POST .../run → job completed →
//      report stored (includes reading the faults from SQLite).
// It also checks that PostgreSQL and Rapport agree on every site's downtime (to the second).
//
// Usage: rapport_sla_benchmark --help
#include "bench_util.hpp"

#include <rapport/auth/jwt.hpp>
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
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rapport;
namespace json = boost::json;
using bench::Median;
using bench::Seconds;
using bench::Steady;

struct Options {
  std::string pg;
  std::string rapportd;
  int sites = 10'000;
  int faults_per_site = 100;
  int rounds = 5;
  std::string work = "/tmp/rapport-sla-bench";
};

struct GeneratedFault {
  int site = 0;
  UnixMs start = 0;
  std::optional<UnixMs> end;
  std::string type;
  std::string cause;
};

const UnixMs kWindowStart = ParseRfc3339("2026-10-01T00:00:00Z").value();
const UnixMs kWindowEnd = ParseRfc3339("2026-10-31T00:00:00Z").value();  // 30 days

std::string SiteId(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "site_bench%022d", i);  // 27 characters after "site_"
  return buf;
}

std::vector<GeneratedFault> Generate(const Options& o) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> start_s((kWindowStart - 86'400'000) / 1000,
                                                 kWindowEnd / 1000 - 1);
  std::exponential_distribution<double> duration_s(1.0 / 1800.0);  // mean 30 min
  std::uniform_int_distribution<int> pct(0, 99);
  std::vector<GeneratedFault> faults;
  faults.reserve(static_cast<size_t>(o.sites) * o.faults_per_site);
  for (int s = 0; s < o.sites; ++s) {
    for (int k = 0; k < o.faults_per_site; ++k) {
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

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "sla_benchmark: " << what << "\n";
  std::exit(1);
}

// --- 1. Rapport's engine -------------------------------------------------------------------

std::vector<int64_t> RapportDowntimes(const std::vector<std::vector<FaultSpan>>& by_site,
                                      UnixMs now) {
  std::vector<int64_t> out(by_site.size());
  std::vector<Interval> monitored{{kWindowStart, kWindowEnd}};
  UptimeRules rules{.ignore_power_outages = true, .sla_target = 99.9};
  for (size_t s = 0; s < by_site.size(); ++s) {
    out[s] = ComputeSiteUptime(by_site[s], monitored, kWindowEnd, now, rules).downtime_seconds;
  }
  return out;
}

// --- 2. PostgreSQL ------------------------------------------------------------------------

PGresult* Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) {
    Die("postgres: " + std::string(PQerrorMessage(c)) + " in: " + sql.substr(0, 120));
  }
  return r;
}

void LoadPostgres(PGconn* c, const Options& o, const std::vector<GeneratedFault>& faults) {
  PQclear(Exec(c,
               "DROP TABLE IF EXISTS bench_faults; DROP TABLE IF EXISTS bench_sites;"
               "CREATE TABLE bench_sites (id text PRIMARY KEY);"
               "CREATE TABLE bench_faults (site_id text NOT NULL, type text NOT NULL, "
               "cause text NOT NULL, span tstzrange NOT NULL)"));
  PQclear(Exec(c, "COPY bench_sites FROM STDIN"));
  std::string buf;
  for (int s = 0; s < o.sites; ++s) buf += SiteId(s) + "\n";
  PQputCopyData(c, buf.data(), static_cast<int>(buf.size()));
  PQputCopyEnd(c, nullptr);
  PQclear(PQgetResult(c));
  PQclear(Exec(c, "COPY bench_faults FROM STDIN"));
  buf.clear();
  for (const auto& f : faults) {
    buf += SiteId(f.site) + "\t" + f.type + "\t" + f.cause + "\t[\"" + FormatRfc3339(f.start) +
           "\"," + (f.end ? "\"" + FormatRfc3339(*f.end) + "\"" : "") + ")\n";
    if (buf.size() > (1 << 20)) {
      PQputCopyData(c, buf.data(), static_cast<int>(buf.size()));
      buf.clear();
    }
  }
  PQputCopyData(c, buf.data(), static_cast<int>(buf.size()));
  PQputCopyEnd(c, nullptr);
  PGresult* r = PQgetResult(c);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) Die("COPY: " + std::string(PQerrorMessage(c)));
  PQclear(r);
  PQclear(Exec(c, "ANALYZE bench_sites; ANALYZE bench_faults"));
}

// The same definition as src/sla/uptime.cpp, in SQL: an open fault is an unbounded range, which
// the intersection with the window ends at the window's end (the run is long after it).
std::string PostgresQuery() {
  std::string win =
      "tstzrange('" + FormatRfc3339(kWindowStart) + "', '" + FormatRfc3339(kWindowEnd) + "', '[)')";
  std::string seconds = std::to_string((kWindowEnd - kWindowStart) / 1000);
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

// --- 3. The whole on-demand run through rapportd -------------------------------------------

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void LoadSqlite(const std::string& path, const Options& o,
                const std::vector<GeneratedFault>& faults) {
  {  // creates the schema
    auto store = OpenStore({.database_url = path});
    if (!store.ok()) Die("open store: " + store.error().message());
  }
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt* site = nullptr;
  Check(sqlite3_prepare_v2(db,
                           "INSERT INTO sites (id, tenant_id, name, tags, timezone, created_at, "
                           "updated_at) VALUES (?, 'bench', ?, '{\"bench\":\"yes\"}', 'UTC', 0, 0)",
                           -1, &site, nullptr),
        db, "prepare");
  for (int s = 0; s < o.sites; ++s) {
    std::string id = SiteId(s);
    std::string name = "Bench site " + std::to_string(s);
    sqlite3_bind_text(site, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(site, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(site), db, "insert site");
    sqlite3_reset(site);
  }
  sqlite3_finalize(site);
  sqlite3_stmt* fault = nullptr;
  Check(sqlite3_prepare_v2(db,
                           "INSERT INTO faults (id, tenant_id, resource_id, type, severity, cause, "
                           "message, created_at, resolved_at, updated_at) "
                           "VALUES (?, 'bench', ?, ?, 'HIGH', ?, '', ?, ?, 0)",
                           -1, &fault, nullptr),
        db, "prepare");
  for (const auto& f : faults) {
    std::string id = NewId("flt");
    std::string site_id = SiteId(f.site);
    sqlite3_bind_text(fault, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 2, site_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 3, f.type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fault, 4, f.cause.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(fault, 5, f.start);
    if (f.end) {
      sqlite3_bind_int64(fault, 6, *f.end);
    } else {
      sqlite3_bind_null(fault, 6);
    }
    Check(sqlite3_step(fault), db, "insert fault");
    sqlite3_reset(fault);
  }
  sqlite3_finalize(fault);
  Check(sqlite3_exec(db, "COMMIT; ANALYZE", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
}

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

void StartRapportd(Server& server, const Options& o, const std::string& data_dir,
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
    execl(o.rapportd.c_str(), o.rapportd.c_str(), "--listen", "127.0.0.1:0", "--data-dir",
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

json::value Call(client::HttpClient& http, const std::string& token, const std::string& method,
                 const std::string& path, const std::string& body, long expect) {
  auto r = http.Send(method, path, body, {"Authorization: Bearer " + token});
  if (!r.ok()) Die(method + " " + path + ": " + r.error().message());
  if (r->status != expect)
    Die(method + " " + path + ": " + std::to_string(r->status) + " " + r->body);
  return json::parse(r->body);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"SLA uptime: Rapport's engine against PostgreSQL range_agg, and the whole run"};
  app.add_option("--pg", o.pg, "libpq conninfo of a scratch PostgreSQL (scripts/pg-cluster.sh)")
      ->required();
  app.add_option("--rapportd", o.rapportd, "Path of the rapportd binary")->required();
  app.add_option("--sites", o.sites, "Sites")->capture_default_str();
  app.add_option("--faults-per-site", o.faults_per_site, "Faults per site")->capture_default_str();
  app.add_option("--rounds", o.rounds, "Rounds (medians are reported)")->capture_default_str();
  app.add_option("--work", o.work, "Scratch directory (deleted first)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::filesystem::remove_all(o.work);
  std::filesystem::create_directories(o.work);

  auto faults = Generate(o);
  std::cout << "data: " << o.sites << " sites, " << faults.size() << " faults, window "
            << FormatRfc3339(kWindowStart) << " .. " << FormatRfc3339(kWindowEnd) << std::endl;
  std::vector<std::vector<FaultSpan>> by_site(o.sites);
  for (const auto& f : faults) {
    by_site[f.site].push_back(FaultSpan{f.start, f.end, f.type, f.cause});
  }
  UnixMs now = SystemClock().NowMs();

  PGconn* pg = PQconnectdb(o.pg.c_str());
  if (PQstatus(pg) != CONNECTION_OK) Die("postgres: " + std::string(PQerrorMessage(pg)));
  PQclear(Exec(pg, "SET work_mem = '256MB'; SET client_min_messages = warning"));
  auto load_start = Steady::now();
  LoadPostgres(pg, o, faults);
  std::cout << "postgres load: " << Seconds(load_start, Steady::now()) << " s\n";

  // 1 and 2, alternating so that both see the same machine state.
  std::vector<double> engine_s, pg_s;
  std::vector<int64_t> ours;
  std::string query = PostgresQuery();
  for (int r = 0; r < o.rounds; ++r) {
    auto t0 = Steady::now();
    ours = RapportDowntimes(by_site, now);
    auto t1 = Steady::now();
    PGresult* res = Exec(pg, query);
    auto t2 = Steady::now();
    engine_s.push_back(Seconds(t0, t1));
    pg_s.push_back(Seconds(t1, t2));
    if (r == 0) {  // both must compute the same thing
      if (PQntuples(res) != o.sites) Die("postgres returned " + std::to_string(PQntuples(res)));
      int mismatches = 0;
      for (int i = 0; i < o.sites; ++i) {
        double theirs = std::stod(PQgetvalue(res, i, 1));
        if (std::fabs(theirs - static_cast<double>(ours[i])) > 1.0) ++mismatches;
      }
      if (mismatches > 0) Die(std::to_string(mismatches) + " sites disagree with PostgreSQL");
      std::cout << "check: PostgreSQL and Rapport agree on all " << o.sites << " sites' downtime\n";
    }
    PQclear(res);
  }
  PQfinish(pg);
  double engine = Median(engine_s), postgres = Median(pg_s);
  std::printf("uptime, %d sites / %zu faults / 30 days (median of %d):\n", o.sites, faults.size(),
              o.rounds);
  std::printf("  rapport engine      %9.1f ms\n", engine * 1000);
  std::printf("  postgres range_agg  %9.1f ms\n", postgres * 1000);
  std::printf("  ratio               %9.1fx faster\n", postgres / engine);

  // 3. The whole on-demand run.
  std::string data_dir = o.work + "/rapportd";
  std::filesystem::create_directories(data_dir);
  auto sqlite_start = Steady::now();
  LoadSqlite(data_dir + "/rapport.db", o, faults);
  std::cout << "sqlite load: " << Seconds(sqlite_start, Steady::now()) << " s\n";
  std::string secret = "sla-bench-secret-" + NewUuidV4();
  Server server;
  StartRapportd(server, o, data_dir, secret);
  int64_t exp = SystemClock().NowMs() / 1000 + 3600;
  std::string token = MintHs256Token(
      json::object{{"sub", "bench"}, {"tenant", "bench"}, {"scope", "*"}, {"exp", exp}}, secret);
  client::HttpClient http(server.url, 600'000);
  auto schedule = Call(http, token, "POST", "/reports/sla/schedules",
                       R"({"name":"bench","timezone":"UTC","ignore_power_outages":true,)"
                       R"("site_selection_mode":"tags","site_selection_rules":)"
                       R"([{"key":"bench","value":"yes"}]})",
                       201);
  std::string run_path =
      "/reports/sla/schedules/" + std::string(schedule.at("id").as_string()) + "/run";
  std::vector<double> run_s;
  for (int r = 0; r < o.rounds; ++r) {
    auto t0 = Steady::now();
    auto accepted = Call(http, token, "POST", run_path,
                         R"({"from_date":"2026-10-01","to_date":"2026-10-30"})", 202);
    std::string job_path = "/v1/jobs/" + std::string(accepted.at("job_id").as_string());
    for (;;) {
      auto job = Call(http, token, "GET", job_path, "", 200);
      std::string status(job.at("status").as_string());
      if (status == "completed") {
        auto report = Call(
            http, token, "GET",
            "/reports/sla/reports/" + std::string(job.at("result").at("report_id").as_string()), "",
            200);
        run_s.push_back(Seconds(t0, Steady::now()));
        if (report.at("site_count").as_int64() != o.sites) Die("report has the wrong sites");
        if (r == 0) {  // the report agrees with the engine run above
          int64_t mismatches = 0;
          for (const auto& row : report.at("sites").as_array()) {
            std::string id(row.at("site_id").as_string());
            int s = std::stoi(id.substr(10));
            if (row.at("downtime_seconds").as_int64() != ours[s]) ++mismatches;
          }
          if (mismatches) Die(std::to_string(mismatches) + " report rows differ from the engine");
        }
        break;
      }
      if (status == "failed" || status == "cancelled") Die("job " + status);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::printf("on-demand run through rapportd (request -> report stored), median of %d:\n",
              o.rounds);
  std::printf("  %9.1f ms\n", Median(run_s) * 1000);
  return 0;
}
