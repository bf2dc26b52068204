// SLA benchmark (issues 4 and 21). Measures, in the same run, medians of --rounds:
//   1. Rapport's uptime math over every site of 10,000 sites / 1,000,000 faults / 30 days (faults
//      in memory, grouped by site), against the same computation done by PostgreSQL (range_agg
//      over tstzrange intersected with the window, downtime summed per site);
//   2. the on-demand run through a real rapportd on SQLite: POST .../run → the job seen completed
//      by the client (the report and its PDF are stored in the transaction that completes it),
//      against the math plus rendering that same report's PDF in this process with the renderer
//      rapportd uses (target: ≤ 3×);
//   3. "run now" on a small tenant (100 sites / 7 days), --small-rounds times: POST .../run → the
//      job seen completed, against math plus rendering (target: ≤ 2×: no polling delay between
//      the request, the worker and the answer).
// Each round interleaves the run, the math and the rendering, so all three see the same machine
// state. The client learns completion by GET /v1/jobs/{id} every 2 ms (1 ms for the small runs):
// the API has no blocking wait (a long-poll would hold the HTTP read pool's one thread).
// Self-checks: PostgreSQL and the engine agree on every site's downtime; the stored reports'
// per-site downtime and uptime agree with PostgreSQL (and the engine); the stored PDF is
// byte for byte the PDF rendered here from the stored report (the renderer is deterministic), so
// the rendering timed here is that report's.
// Writes $RESULTS_DIR/sla_uptime.tsv (README table rows; the human summary goes to stdout).
//
// Usage: rapport_sla_benchmark --help
#include "sla_bench_support.hpp"

#include <rapport/auth/jwt.hpp>
#include <rapport/render/pdf.hpp>

#include <CLI/CLI.hpp>

#include <cmath>
#include <functional>
#include <memory>
#include <sstream>

namespace {

using namespace rapport;
using namespace rapport::slabench;
using bench::Median;
using bench::Seconds;
using bench::Steady;

struct Options {
  std::string pg;
  std::string rapportd;
  int sites = 10'000;
  int faults_per_site = 100;
  int rounds = 5;
  int small_rounds = 20;
  std::string work = "/tmp/rapport-sla-bench";
  std::string results_dir;
};

DataSet BigSet(const Options& o) {
  return {"bench",
          "site_bench",
          o.sites,
          o.faults_per_site,
          ParseRfc3339("2026-10-01T00:00:00Z").value(),
          ParseRfc3339("2026-10-31T00:00:00Z").value(),
          "2026-10-01",
          "2026-10-30"};
}

DataSet SmallSet() {
  return {"small",
          "site_small",
          100,
          25,
          ParseRfc3339("2026-10-01T00:00:00Z").value(),
          ParseRfc3339("2026-10-08T00:00:00Z").value(),
          "2026-10-01",
          "2026-10-07"};
}

// The uptime math: every site's uptime over the window.
std::vector<int64_t> EngineDowntimes(const DataSet& d,
                                     const std::vector<std::vector<FaultSpan>>& by_site,
                                     UnixMs now) {
  std::vector<int64_t> out(by_site.size());
  std::vector<Interval> monitored{{d.window_start, d.window_end}};
  UptimeRules rules{.ignore_power_outages = true, .sla_target = 99.9};
  for (size_t s = 0; s < by_site.size(); ++s) {
    out[s] = ComputeSiteUptime(by_site[s], monitored, d.window_end, now, rules).downtime_seconds;
  }
  return out;
}

// Every site's downtime seconds and uptime percentage as PostgreSQL computes them.
struct PgFigures {
  std::vector<double> down_s, uptime;
};

PgFigures ReadPgFigures(PGresult* res, const DataSet& d) {
  if (PQntuples(res) != d.sites) Die("postgres returned " + std::to_string(PQntuples(res)));
  PgFigures out;
  for (int i = 0; i < d.sites; ++i) {
    if (PQgetvalue(res, i, 0) != SiteId(d, i)) Die("postgres rows out of order");
    out.down_s.push_back(std::stod(PQgetvalue(res, i, 1)));
    out.uptime.push_back(std::stod(PQgetvalue(res, i, 2)));
  }
  return out;
}

void CheckEngineAgainstPg(const std::vector<int64_t>& ours, const PgFigures& pg) {
  int mismatches = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (std::fabs(pg.down_s[i] - static_cast<double>(ours[i])) > 1.0) ++mismatches;
  }
  if (mismatches > 0) Die(std::to_string(mismatches) + " sites disagree with PostgreSQL");
}

// Checks a stored report: its sites are the data set's, each with the engine's downtime and, when
// `pg` is given, PostgreSQL's downtime and uptime percentage; the mean uptime is theirs.
void CheckReport(const json::object& report, const DataSet& d, const std::vector<int64_t>& ours,
                 const PgFigures* pg) {
  if (report.at("site_count").as_int64() != d.sites) Die("report has the wrong sites");
  int64_t mismatches = 0;
  double sum = 0;
  for (const auto& row : report.at("sites").as_array()) {
    int s = SiteNumber(row.at("site_id").as_string());
    int64_t down = row.at("downtime_seconds").as_int64();
    double uptime = row.at("uptime_percentage").to_number<double>();
    sum += uptime;
    if (down != ours[s]) ++mismatches;
    if (pg && (std::fabs(pg->down_s[s] - static_cast<double>(down)) > 1.0 ||
               std::fabs(pg->uptime[s] - uptime) > 0.0011)) {
      ++mismatches;
    }
  }
  if (mismatches) Die(std::to_string(mismatches) + " report figures differ");
  double mean = report.at("uptime_percentage").to_number<double>();
  if (std::fabs(mean - sum / d.sites) > 0.0011) Die("report mean uptime differs");
}

// --- runs through rapportd ----------------------------------------------------------------

struct Tenant {
  DataSet set;
  std::string token;
  std::string run_path;
};

Tenant MakeTenant(client::HttpClient& http, const DataSet& d, const std::string& secret) {
  int64_t exp = SystemClock().NowMs() / 1000 + 3600;
  std::string token = MintHs256Token(
      json::object{{"sub", "bench"}, {"tenant", d.tenant}, {"scope", "*"}, {"exp", exp}}, secret);
  auto schedule = Call(http, token, "POST", "/reports/sla/schedules",
                       R"({"name":"bench","timezone":"UTC","ignore_power_outages":true,)"
                       R"("site_selection_mode":"tags","site_selection_rules":)"
                       R"([{"key":"bench","value":"yes"}]})",
                       201);
  return {d, token,
          "/reports/sla/schedules/" + std::string(schedule.at("id").as_string()) + "/run"};
}

struct Run {
  double seconds = 0;  // POST → the job seen completed
  std::string report_id;
};

// One on-demand run: the request, then GET /v1/jobs/{id} every `poll` until it is completed.
Run RunOnce(client::HttpClient& http, const Tenant& t, std::chrono::microseconds poll) {
  auto t0 = Steady::now();
  auto accepted = Call(
      http, t.token, "POST", t.run_path,
      R"({"from_date":")" + t.set.from_date + R"(","to_date":")" + t.set.to_date + R"("})", 202);
  std::string job_path = "/v1/jobs/" + std::string(accepted.at("job_id").as_string());
  for (;;) {
    auto job = Call(http, t.token, "GET", job_path, "", 200);
    std::string status(job.at("status").as_string());
    if (status == "completed") {
      return {Seconds(t0, Steady::now()),
              std::string(job.at("result").at("report_id").as_string())};
    }
    if (status == "failed" || status == "cancelled") Die("job " + status);
    std::this_thread::sleep_for(poll);
  }
}

json::object StoredReport(client::HttpClient& http, const Tenant& t, const std::string& id) {
  return Call(http, t.token, "GET", "/reports/sla/reports/" + id, "", 200).as_object();
}

std::string RenderHere(const json::object& report) {
  auto pdf = RenderPdfToString(report, PdfBranding{}, RenderSlaPdf);
  if (!pdf.ok()) Die("render: " + pdf.error().message());
  return std::move(*pdf);
}

// Dies unless rendering `report` here gives byte for byte the PDF rapportd stored for it (then
// the renderer is warm, as rapportd's long-lived workers are).
void CheckStoredPdf(client::HttpClient& http, const Tenant& t, const json::object& report) {
  std::string stored =
      CallRaw(http, t.token, "GET",
              "/reports/sla/reports/" + std::string(report.at("id").as_string()) + "/pdf", "", 200);
  if (RenderHere(report) != stored) {
    if (const char* dump = std::getenv("SLA_BENCH_DUMP")) {
      std::string at = std::string(dump) + "/rapport-sla-mismatch-";
      std::ofstream(at + "stored.pdf", std::ios::binary) << stored;
      std::ofstream(at + "here.pdf", std::ios::binary) << RenderHere(report);
      std::ofstream(at + "report.json") << json::serialize(report);
    }
    Die(std::string("the stored PDF is not the report's PDF rendered here") +
        (std::getenv("SLA_BENCH_DUMP") ? " (both PDFs and the report in $SLA_BENCH_DUMP)" : ""));
  }
}

// Seconds of rendering `report` here.
double TimeRender(const json::object& report) {
  auto t0 = Steady::now();
  RenderHere(report);
  return Seconds(t0, Steady::now());
}

// CPU seconds this process has used so far.
double OwnCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU seconds (user + system) process `pid` has used so far.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// --- reporting ------------------------------------------------------------------------------

std::string Ms(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, seconds < 0.1 ? "%.1f ms" : "%.0f ms", seconds * 1000);
  return buf;
}

std::string Ratio(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f×", r);
  return buf;
}

struct Row {
  std::string what, ours, reference, ratio, target;
  bool met;
};

void WriteTsv(const std::string& dir, const std::vector<Row>& rows) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir + "/sla_uptime.tsv");
  for (const auto& r : rows) {
    out << r.what << '\t' << r.ours << '\t' << r.reference << '\t' << r.ratio << '\t' << r.target
        << '\t' << (r.met ? "met" : "missed") << '\n';
  }
  if (!out) Die("cannot write " + dir + "/sla_uptime.tsv");
}

// Scenario 1: the math against PostgreSQL, alternating so that both see the same machine state.
Row MathAgainstPostgres(const Options& o, const DataSet& d,
                        const std::vector<GeneratedFault>& faults, std::vector<int64_t>& ours,
                        PgFigures& pg_figures, double& engine) {
  PGconn* pg = PQconnectdb(o.pg.c_str());
  if (PQstatus(pg) != CONNECTION_OK) Die("postgres: " + std::string(PQerrorMessage(pg)));
  PQclear(Exec(pg, "SET work_mem = '256MB'; SET client_min_messages = warning"));
  auto load_start = Steady::now();
  LoadPostgres(pg, d, faults);
  std::cout << "postgres load: " << Seconds(load_start, Steady::now()) << " s\n";
  auto by_site = BySite(d, faults);
  UnixMs now = SystemClock().NowMs();
  std::vector<double> engine_s, pg_s;
  std::string query = PostgresQuery(d);
  for (int r = 0; r < o.rounds; ++r) {
    auto t0 = Steady::now();
    ours = EngineDowntimes(d, by_site, now);
    auto t1 = Steady::now();
    PGresult* res = Exec(pg, query);
    auto t2 = Steady::now();
    engine_s.push_back(Seconds(t0, t1));
    pg_s.push_back(Seconds(t1, t2));
    if (r == 0) pg_figures = ReadPgFigures(res, d);
    PQclear(res);
  }
  PQfinish(pg);
  CheckEngineAgainstPg(ours, pg_figures);
  std::cout << "check: PostgreSQL and Rapport agree on all " << d.sites << " sites' downtime\n";
  engine = Median(engine_s);
  double postgres = Median(pg_s);
  std::printf("uptime math, %d sites / %zu faults / 30 days (median of %d):\n", d.sites,
              faults.size(), o.rounds);
  std::printf("  rapport engine      %9.1f ms\n  postgres range_agg  %9.1f ms\n", engine * 1000,
              postgres * 1000);
  std::printf("  ratio               %9.1fx faster\n", postgres / engine);
  return {"SLA uptime math, " + std::to_string(d.sites) + " sites / " +
              std::to_string(faults.size()) + " faults / 30 days",
          Ms(engine),
          "PostgreSQL range_agg: " + Ms(postgres),
          Ratio(postgres / engine),
          "≥ 1.0×",
          postgres / engine >= 1.0};
}

// Scenarios 2 and 3: `rounds` rounds of a run of `t` through rapportd (`pid`), the uptime math
// (`time_math` runs it once, returns its seconds) and rendering the run's report here,
// interleaved so that all three see the same machine state.
Row RunsAgainstMathAndRender(client::HttpClient& http, const Tenant& t, pid_t pid, int rounds,
                             const std::vector<int64_t>& ours, const PgFigures* pg,
                             const std::function<double()>& time_math,
                             std::chrono::microseconds poll, const std::string& what,
                             double target) {
  std::vector<double> run_s, cpu_s, math_s, render_s, here_cpu_s;
  for (int r = 0; r < rounds; ++r) {
    double cpu0 = CpuSeconds(pid);
    Run run = RunOnce(http, t, poll);
    run_s.push_back(run.seconds);
    cpu_s.push_back(CpuSeconds(pid) - cpu0);
    json::object report = StoredReport(http, t, run.report_id);
    if (r == 0 || r == rounds - 1) CheckReport(report, t.set, ours, pg);
    if (r == 0) CheckStoredPdf(http, t, report);
    double here0 = OwnCpuSeconds();
    math_s.push_back(time_math());
    render_s.push_back(TimeRender(report));
    here_cpu_s.push_back(OwnCpuSeconds() - here0);
  }
  double run = Median(run_s), math = Median(math_s), render = Median(render_s);
  double ratio = run / (math + render);
  std::printf("%s, median of %d:\n", what.c_str(), rounds);
  std::printf("  run (POST -> job completed, report + PDF stored) %9.1f ms\n", run * 1000);
  std::printf("  rapportd CPU per run (user + system)              %9.1f ms\n",
              Median(cpu_s) * 1000);
  std::printf("  math %.1f ms + PDF rendered here %.1f ms = %.1f ms (CPU %.1f ms)\n", math * 1000,
              render * 1000, (math + render) * 1000, Median(here_cpu_s) * 1000);
  std::printf("  ratio %.2fx (target <= %.1fx)\n", ratio, target);
  char target_text[32];
  std::snprintf(target_text, sizeof target_text, "≤ %.1f×", target);
  return {what,
          Ms(run),
          "uptime math + PDF rendering in process: " + Ms(math) + " + " + Ms(render),
          Ratio(ratio),
          target_text,
          ratio <= target};
}

// Seconds of one pass of the uptime math over the data set.
std::function<double()> MathTimer(const DataSet& d, const std::vector<GeneratedFault>& faults,
                                  std::vector<int64_t>& ours) {
  auto by_site = std::make_shared<std::vector<std::vector<FaultSpan>>>(BySite(d, faults));
  UnixMs now = SystemClock().NowMs();
  return [d, by_site, now, &ours] {
    auto t0 = Steady::now();
    ours = EngineDowntimes(d, *by_site, now);
    return Seconds(t0, Steady::now());
  };
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const char* env_results = std::getenv("RESULTS_DIR");
  o.results_dir = env_results && *env_results ? env_results : "bench/results";
  CLI::App app{"SLA: the uptime math against PostgreSQL, and runs through rapportd"};
  app.add_option("--pg", o.pg, "libpq conninfo of a scratch PostgreSQL (scripts/pg-cluster.sh)")
      ->required();
  app.add_option("--rapportd", o.rapportd, "Path of the rapportd binary")->required();
  app.add_option("--sites", o.sites, "Sites")->capture_default_str();
  app.add_option("--faults-per-site", o.faults_per_site, "Faults per site")->capture_default_str();
  app.add_option("--rounds", o.rounds, "Rounds (medians are reported)")->capture_default_str();
  app.add_option("--small-rounds", o.small_rounds, "Rounds of the 100-site run now")
      ->capture_default_str();
  app.add_option("--work", o.work, "Scratch directory (deleted first)")->capture_default_str();
  app.add_option("--results-dir", o.results_dir, "Where sla_uptime.tsv goes")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::filesystem::remove_all(o.work);
  std::filesystem::create_directories(o.work);

  DataSet big = BigSet(o), small = SmallSet();
  auto faults = Generate(big, 42);
  auto small_faults = Generate(small, 7);
  std::cout << "data: " << big.sites << " sites, " << faults.size() << " faults, window "
            << FormatRfc3339(big.window_start) << " .. " << FormatRfc3339(big.window_end)
            << std::endl;
  std::vector<Row> rows;
  std::vector<int64_t> ours, small_ours;
  PgFigures pg;
  double math = 0;
  rows.push_back(MathAgainstPostgres(o, big, faults, ours, pg, math));
  auto big_math = MathTimer(big, faults, ours);
  auto small_math = MathTimer(small, small_faults, small_ours);
  small_math();

  std::string data_dir = o.work + "/rapportd";
  std::filesystem::create_directories(data_dir);
  auto sqlite_start = Steady::now();
  LoadSqlite(data_dir + "/rapport.db", {{big, &faults}, {small, &small_faults}});
  std::cout << "sqlite load: " << Seconds(sqlite_start, Steady::now()) << " s\n";
  std::string secret = "sla-bench-secret-" + NewUuidV4();
  Server server;
  StartRapportd(server, o.rapportd, data_dir, secret);
  client::HttpClient http(server.url, 600'000);
  Tenant big_tenant = MakeTenant(http, big, secret);
  Tenant small_tenant = MakeTenant(http, small, secret);
  rows.push_back(RunsAgainstMathAndRender(
      http, big_tenant, server.pid, o.rounds, ours, &pg, big_math, std::chrono::milliseconds(2),
      "On-demand SLA run, " + std::to_string(big.sites) + " sites / " +
          std::to_string(faults.size()) + " faults, request → report + PDF stored",
      3.0));
  std::cout << "check: the stored report agrees with PostgreSQL on every site; its PDF is the "
               "one rendered here\n";
  rows.push_back(RunsAgainstMathAndRender(
      http, small_tenant, server.pid, o.small_rounds, small_ours, nullptr, small_math,
      std::chrono::milliseconds(1), "Run now → stored report with PDF, 100 sites / 7 days", 2.0));
  WriteTsv(o.results_dir, rows);
  return 0;
}
