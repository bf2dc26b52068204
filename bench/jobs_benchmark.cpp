// Job engine benchmark (issues 3 and 21), on a SQLite store (WAL, synchronous=FULL) in a
// temporary directory: N queued no-op jobs drained by the JobEngine (4 and 16 workers; batched
// claims and completions, one transaction per batch: group commit), in jobs/s; against the
// store's raw per-job rate, measured in the same run: one claim and one complete transaction per
// job (one thread, no engine). The scheduler has its own benchmark
// (bench/scheduler_benchmark.cpp).
// Medians of --rounds.
//
// Usage: rapport_jobs_benchmark --help
#include "bench_util.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rapport;
using bench::Median;
using bench::Seconds;
using bench::Steady;

struct Options {
  int jobs = 5000;
  int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int rounds = 3;
  std::string work = "/tmp/rapport-jobs-bench";
};

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "jobs_benchmark: " << what << "\n";
  std::exit(1);
}

std::unique_ptr<Store> FreshStore(const std::string& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = OpenStore({.database_url = dir + "/rapport.db"});
  if (!store.ok()) Die(store.error().message());
  return std::move(*store);
}

Job NoopJob(UnixMs now) {
  Job j;
  j.id = NewIdAt("job", now);
  j.tenant_id = "bench";
  j.kind = "noop";
  j.created_at = j.updated_at = j.run_after = now;
  return j;
}

class NoopHandler final : public JobHandler {
 public:
  Result<JobOutcome> Run(JobContext&) override { return JobOutcome{}; }
};

// $RESULTS_DIR/<name>.tsv (bench/results by default): the README table's rows.
void WriteResults(const std::string& name, const std::string& tsv) {
  const char* env = std::getenv("RESULTS_DIR");
  std::filesystem::path dir = env != nullptr && *env != 0 ? env : "bench/results";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (name + ".tsv")) << tsv;
}

void EnqueueNoops(Store& store, int n) {
  const Clock& clock = SystemClock();
  for (int i = 0; i < n; ++i) {
    if (!store.InsertJob(NoopJob(clock.NowMs())).ok()) Die("enqueue failed");
  }
}

void CheckAllCompleted(Store& store, int n) {
  auto counts = store.CountJobsByStatus();
  if (!counts.ok() || (*counts)["completed"] != n) Die("not every job completed exactly once");
}

// `n` queued jobs drained by the engine (batched claims and completions: group commit); jobs/s
// from its start until the queue is empty.
double EngineRate(Store& store, int n, int workers) {
  JobRegistry registry;
  registry.Register("noop", std::make_shared<NoopHandler>());
  EnqueueNoops(store, n);
  auto t0 = Steady::now();
  JobEngine engine(store, SystemClock(), registry, {.workers = workers, .poll_ms = 5});
  engine.Start();
  for (;;) {
    auto left = store.CountUnfinishedJobs("");
    if (!left.ok()) Die(left.error().message());
    if (*left == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  double s = Seconds(t0, Steady::now());
  engine.Stop();
  CheckAllCompleted(store, n);
  return n / s;
}

// The reference: the same `n` queued jobs drained with one transaction per claim and one per
// completion (what a worker does without batching), one thread: the store's raw per-job rate.
double RawRate(Store& store, int n) {
  const Clock& clock = SystemClock();
  EnqueueNoops(store, n);
  auto t0 = Steady::now();
  for (int i = 0; i < n; ++i) {
    auto job = store.ClaimJob("raw:0", clock.NowMs(), {clock.NowMs(), 30'000});
    if (!job.ok() || !job->has_value()) Die("claim failed");
    if (!store.CompleteJob((*job)->id, "raw:0", "{}", {}, {}, {}, clock.NowMs()).ok()) {
      Die("complete failed");
    }
  }
  double s = Seconds(t0, Steady::now());
  CheckAllCompleted(store, n);
  return n / s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Job engine throughput on SQLite"};
  app.add_option("--jobs", o.jobs, "No-op jobs per round")->capture_default_str();
  app.add_option("--workers", o.workers, "Job engine workers")->capture_default_str();
  app.add_option("--rounds", o.rounds, "Rounds (medians are reported)")->capture_default_str();
  app.add_option("--work", o.work, "Scratch directory (deleted at the end)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<int> worker_counts = {4, 16};
  std::vector<std::vector<double>> engine(worker_counts.size());
  std::vector<double> raw;
  for (int r = 0; r < o.rounds; ++r) {
    for (size_t w = 0; w < worker_counts.size(); ++w) {
      auto a = FreshStore(o.work + "/engine");
      engine[w].push_back(EngineRate(*a, o.jobs, worker_counts[w]));
    }
    auto b = FreshStore(o.work + "/raw");
    raw.push_back(RawRate(*b, o.jobs));
  }
  std::printf(
      "no-op jobs, %d queued per round, drained, SQLite (WAL, synchronous=FULL), median of %d:\n",
      o.jobs, o.rounds);
  std::printf("  raw: a claim txn + a complete txn per job %8.0f jobs/s\n", Median(raw));
  std::string tsv;
  for (size_t w = 0; w < worker_counts.size(); ++w) {
    double ratio = Median(engine[w]) / Median(raw);
    std::printf("  job engine, %2d workers (group commit)     %8.0f jobs/s  ratio %.2f\n",
                worker_counts[w], Median(engine[w]), ratio);
    char row[512];
    std::snprintf(row, sizeof row,
                  "no-op jobs drained, SQLite synchronous=FULL, %d workers\t%.0f jobs/s\t"
                  "one claim + one complete transaction per job: %.0f jobs/s\t%.2f\u00d7\t"
                  "\u2265 2.0\u00d7\t%s\n",
                  worker_counts[w], Median(engine[w]), Median(raw), ratio,
                  ratio >= 2.0 ? "met" : "missed");
    tsv += row;
  }
  WriteResults("jobs", tsv);

  std::filesystem::remove_all(o.work);
  return 0;
}
