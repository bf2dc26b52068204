// Scheduler benchmark (issue 21): S SLA schedules all due at the same instant, on SQLite (a temp
// directory) and on PostgreSQL (--pg, a scratch cluster from scripts/pg-cluster.sh). Each schedule
// has its own settings text (its name differs), as real ones do; --shared-settings gives all the
// same text, the workload of the figures taken before 2026-12-05.
//   Rapport: the time from that instant until the SlaScheduler's Tick (as rapportd runs it) has
//     enqueued every run (schedule_runs + jobs rows) and advanced every schedule.
//   Reference, same run, same backend: the raw batched insert of the very rows that tick wrote
//     (runs, jobs, the next_run_at compare-and-set), the fastest way the backend allows (SQLite:
//     one transaction, prepared statements reused; PostgreSQL: COPY + UPDATE ... FROM unnest of
//     binary array parameters, 5,000 schedules a transaction). This is the ceiling.
//   Verified each round: exactly S runs and S jobs, one per (schedule, period), every schedule
//   advanced, and a second tick enqueues nothing; the reference's rows are counted too.
// Medians of --rounds. Writes $RESULTS_DIR/scheduler.txt and scheduler.tsv (one row a backend).
// Beside the wall times, each side's CPU seconds (this process, and PostgreSQL's backends when
// the server runs on this machine): steadier than wall time on a busy machine, and they say
// whether the client or the server is the cost.
//
// Usage: rapport_scheduler_benchmark --help
#include "bench_util.hpp"
#include "scheduler_raw.hpp"

#include <rapport/core/json.hpp>
#include <rapport/sla/sla_schedule_service.hpp>
#include <rapport/sla/sla_scheduler.hpp>
#include <rapport/store/store.hpp>

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace rapport;
using namespace rapport::bench;

struct Options {
  int schedules = 100'000;
  int rounds = 3;
  int batch = SchedulerOptions{}.batch;  // schedules a transaction, as rapportd fires them
  int batches_per_read = SchedulerOptions{}.batches_per_read;
  bool shared_settings = false;  // every schedule with the very same settings text
  bool sqlite = true;
  std::string pg;  // admin conninfo; empty: SQLite only
  std::string work = "/tmp/rapport-scheduler-bench";
  std::string results_dir;
};

// A clock that reads `due` + the real time elapsed since construction.
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(UnixMs due) : due_(due), start_(Steady::now()) {}
  UnixMs NowMs() const override {
    return due_ +
           std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start_).count();
  }

 private:
  UnixMs due_;
  Steady::time_point start_;
};

// User + system CPU time of this process so far: the tick's own share of its wall time (the rest
// is the database's work and the waits for it).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// One backend's fresh, migrated, empty database: a store on it and a raw session to it.
struct Backend {
  std::string name;
  std::function<std::string(const std::string& tag)> fresh;  // -> database URL
  std::function<std::unique_ptr<RawDb>(const std::string& url)> raw;
};

Backend SqliteBackend(const Options& o) {
  return {"SQLite (WAL, synchronous=FULL)",
          [&o](const std::string& tag) {
            std::string dir = o.work + "/" + tag;
            std::filesystem::remove_all(dir);
            std::filesystem::create_directories(dir);
            return dir + "/rapport.db";
          },
          [](const std::string& url) { return OpenSqlite(url); }};
}

Backend PostgresBackend(const Options& o) {
  return {"PostgreSQL 15",
          [&o](const std::string& tag) { return FreshPgDatabase(o.pg, "sched_bench_" + tag); },
          [](const std::string& url) { return OpenPostgres(url); }};
}

std::unique_ptr<Store> Open(const std::string& url) {
  auto store = OpenStore({.database_url = url});
  if (!store.ok()) Die(store.error().message());
  return std::move(*store);
}

std::string DailySettings() {
  SlaScheduleSpec spec;
  spec.name = "bench";
  spec.daily = true;
  spec.timezone = "UTC";
  spec.sites = {"site_bench0000000000000000000000"};
  return ToJson(SpecToJson(spec));
}

void Expect(const std::string& what, int64_t got, int64_t want) {
  if (got != want) Die(what + ": " + std::to_string(got) + ", expected " + std::to_string(want));
}

// The seeded schedules, each with its own name in its settings (real schedules differ; a
// scheduler that cached parsed settings by their text would otherwise hit every time), unless
// --shared-settings.
void SeedSchedules(RawDb& db, const Options& o, UnixMs due) {
  db.Seed(o.schedules, DailySettings(), due, !o.shared_settings);
  Expect("distinct schedule settings",
         db.Count("SELECT COUNT(DISTINCT settings) FROM sla_schedules"),
         o.shared_settings ? 1 : o.schedules);
}

// Exactly one run and one job per schedule, for one period, and no schedule still due.
void VerifyRows(RawDb& db, int n, UnixMs due, const std::string& who) {
  Expect(who + " runs", db.Count("SELECT COUNT(*) FROM schedule_runs"), n);
  Expect(who + " jobs", db.Count("SELECT COUNT(*) FROM jobs WHERE status = 'pending'"), n);
  Expect(who + " (schedule, period) pairs",
         db.Count("SELECT COUNT(*) FROM (SELECT DISTINCT schedule_id, from_date, to_date "
                  "FROM schedule_runs) p"),
         n);
  Expect(who + " schedules with a run",
         db.Count("SELECT COUNT(DISTINCT schedule_id) FROM "
                  "schedule_runs"),
         n);
  Expect(who + " runs joined to their job",
         // On the jobs' key (tenant, id): by id alone, without statistics yet, PostgreSQL may
         // plan a nested loop over both tables (it once ran for minutes).
         db.Count("SELECT COUNT(*) FROM schedule_runs r JOIN jobs j "
                  "ON j.tenant_id = r.tenant_id AND j.id = r.job_id WHERE r.status = 'pending'"),
         n);
  Expect(who + " schedules still due",
         db.Count("SELECT COUNT(*) FROM sla_schedules WHERE next_run_at <= " + std::to_string(due)),
         0);
}

// CPU seconds of one side of a round: this process's, and the database server's (PostgreSQL: its
// backends serving the side's sessions; 0 for SQLite, which runs in this process).
struct CpuSeconds {
  double client = 0, server = 0;
};

// One round of the scheduler: seconds from the due instant to the end of the tick; leaves what it
// wrote in `firing` and the CPU it took in `cpu`.
double RapportRound(const Backend& b, const Options& o, int round, UnixMs due, Firing& firing,
                    CpuSeconds& cpu) {
  std::string url = b.fresh("rapport" + std::to_string(round));
  auto store = Open(url);
  auto raw = b.raw(url);
  SeedSchedules(*raw, o, due);
  ShiftedClock clock(due);  // "now" is the due instant when the tick starts
  SlaScheduler scheduler(*store, *store, *store, *store, clock,
                         {.batch = o.batch, .batches_per_read = o.batches_per_read});
  auto server0 = raw->BackendCpu(false);
  double cpu0 = ProcessCpuSeconds();
  auto t0 = Steady::now();
  auto enqueued = scheduler.Tick();
  double s = Seconds(t0, Steady::now());
  cpu.client = ProcessCpuSeconds() - cpu0;
  cpu.server = CpuSince(server0, raw->BackendCpu(false));
  std::fprintf(stderr,
               "    rapport tick: %.2f s; CPU %.2f s in this process, %.2f s in the server\n", s,
               cpu.client, cpu.server);
  if (!enqueued.ok()) Die("tick: " + enqueued.error().message());
  Expect("jobs the tick enqueued", *enqueued, o.schedules);
  VerifyRows(*raw, o.schedules, due, "rapport");
  auto again = scheduler.Tick();
  if (!again.ok()) Die("second tick: " + again.error().message());
  Expect("jobs a second tick enqueued", *again, 0);
  VerifyRows(*raw, o.schedules, due, "rapport after a second tick");
  firing = raw->ReadFiring();
  return s;
}

// One round of the reference over the rows of `firing`; its CPU in `cpu`.
double ReferenceRound(const Backend& b, const Options& o, int round, UnixMs due,
                      const Firing& firing, CpuSeconds& cpu) {
  std::string url = b.fresh("reference" + std::to_string(round));
  Open(url);  // migrations
  auto raw = b.raw(url);
  SeedSchedules(*raw, o, due);
  auto server0 = raw->BackendCpu(true);
  double cpu0 = ProcessCpuSeconds();
  auto t0 = Steady::now();
  raw->Insert(firing, due);
  double s = Seconds(t0, Steady::now());
  cpu.client = ProcessCpuSeconds() - cpu0;
  cpu.server = CpuSince(server0, raw->BackendCpu(true));
  VerifyRows(*raw, o.schedules, due, "reference");
  return s;
}

struct Figures {
  std::string backend;
  double rapport_s, reference_s;
  CpuSeconds rapport_cpu, reference_cpu;  // medians
};

CpuSeconds MedianCpu(const std::vector<CpuSeconds>& rounds) {
  std::vector<double> client, server;
  for (const auto& r : rounds) {
    client.push_back(r.client);
    server.push_back(r.server);
  }
  return {Median(client), Median(server)};
}

Figures Measure(const Backend& b, const Options& o) {
  UnixMs due = ParseRfc3339("2026-06-01T08:00:00Z").value();
  std::vector<double> rapport, reference;
  std::vector<CpuSeconds> rapport_cpu(o.rounds), reference_cpu(o.rounds);
  for (int r = 0; r < o.rounds; ++r) {
    Firing firing;
    rapport.push_back(RapportRound(b, o, r, due, firing, rapport_cpu[r]));
    reference.push_back(ReferenceRound(b, o, r, due, firing, reference_cpu[r]));
    std::fprintf(stderr,
                 "  %s round %d: rapport %.2f s (CPU %.2f + server %.2f), reference %.2f s (CPU "
                 "%.2f + server %.2f)\n",
                 b.name.c_str(), r + 1, rapport.back(), rapport_cpu[r].client,
                 rapport_cpu[r].server, reference.back(), reference_cpu[r].client,
                 reference_cpu[r].server);
  }
  return {b.name, Median(rapport), Median(reference), MedianCpu(rapport_cpu),
          MedianCpu(reference_cpu)};
}

std::string Thousands(double v) {
  std::string digits = std::to_string(static_cast<int64_t>(v + 0.5)), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Figure(int n, double s) {
  std::ostringstream out;
  out.precision(2);
  out << std::fixed << s << " s, " << Thousands(n / s) << " schedules/s";
  return out.str();
}

std::string CpuText(const CpuSeconds& cpu) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f + %.2f s", cpu.client, cpu.server);
  return text;
}

void WriteReport(const Options& o, const std::vector<Figures>& all) {
  std::ostringstream txt, tsv;
  txt << "scheduler: " << Thousands(o.schedules)
      << " SLA schedules due at the same instant, due -> every run enqueued and every schedule "
         "advanced, median of "
      << o.rounds << ":\n";
  for (const auto& f : all) {
    double ratio = f.reference_s / f.rapport_s;
    char ratio_text[32];
    std::snprintf(ratio_text, sizeof ratio_text, "%.2f×", ratio);
    txt << "  " << f.backend << ":\n"
        << "    rapport SlaScheduler tick   " << Figure(o.schedules, f.rapport_s) << "\n"
        << "    raw batched insert (ref)    " << Figure(o.schedules, f.reference_s) << "\n"
        << "    ratio rapport/raw rate      " << ratio_text << " (target >= 0.5)\n"
        << "    CPU, this process + server  rapport " << CpuText(f.rapport_cpu) << ", reference "
        << CpuText(f.reference_cpu) << "\n";
    tsv << "scheduler, " << Thousands(o.schedules) << " schedules due at once (" << f.backend
        << ")\t" << Figure(o.schedules, f.rapport_s)
        << "\traw batched insert of the same rows: " << Figure(o.schedules, f.reference_s) << "\t"
        << ratio_text << "\t≥ 0.5×\t" << (ratio >= 0.5 ? "met" : "missed") << "\n";
  }
  std::cout << txt.str();
  std::filesystem::create_directories(o.results_dir);
  std::ofstream(o.results_dir + "/scheduler.txt") << txt.str();
  std::ofstream(o.results_dir + "/scheduler.tsv") << tsv.str();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const char* results = std::getenv("RESULTS_DIR");
  o.results_dir = results != nullptr && *results != '\0' ? results : "bench/results";
  CLI::App app{"Scheduler: schedules due at once against the raw batched insert of their rows"};
  app.add_option("--schedules", o.schedules, "Schedules due at once")->capture_default_str();
  app.add_option("--rounds", o.rounds, "Rounds (medians are reported)")->capture_default_str();
  app.add_option("--batch", o.batch, "Schedules a transaction (rapportd's default)")
      ->capture_default_str();
  app.add_option("--batches-per-read", o.batches_per_read,
                 "Batches of due schedules read at once, one fired while the next is planned (1: "
                 "one after the other)")
      ->capture_default_str();
  app.add_flag("--shared-settings", o.shared_settings,
               "Give every schedule the same settings text (the earlier figures' workload)");
  app.add_option("--pg", o.pg, "libpq URL of a scratch PostgreSQL cluster (scripts/pg-cluster.sh)");
  app.add_flag("!--no-sqlite", o.sqlite, "Skip the SQLite backend");
  app.add_option("--work", o.work, "Scratch directory (deleted at the end)")->capture_default_str();
  app.add_option("--results-dir", o.results_dir, "Where scheduler.txt/.tsv go ($RESULTS_DIR)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (o.schedules < 1 || o.rounds < 1 || o.batch < 1 || o.batches_per_read < 1) {
    Die("--schedules, --rounds, --batch and --batches-per-read must be positive");
  }

  std::vector<Figures> all;
  if (o.sqlite) all.push_back(Measure(SqliteBackend(o), o));
  if (!o.pg.empty()) all.push_back(Measure(PostgresBackend(o), o));
  WriteReport(o, all);
  std::filesystem::remove_all(o.work);
  return 0;
}
