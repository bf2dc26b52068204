// Job engine benchmark (issue 3), on a SQLite store in a temporary directory: no-op job
// throughput: N jobs enqueued (one transaction each, as the API does) and drained by the
// JobEngine's workers, in jobs/s; against the store's own raw rate, measured in the same run, of
// the claim + complete transactions a worker needs per job (one thread, no engine). The scheduler
// has its own benchmark (bench/scheduler_benchmark.cpp).
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
#include <filesystem>
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

// Enqueues `n` jobs then lets the engine drain them; returns jobs/s over enqueue + drain.
double EngineRate(Store& store, int n, int workers) {
  JobRegistry registry;
  registry.Register("noop", std::make_shared<NoopHandler>());
  const Clock& clock = SystemClock();
  auto t0 = Steady::now();
  for (int i = 0; i < n; ++i) {
    if (!store.InsertJob(NoopJob(clock.NowMs())).ok()) Die("enqueue failed");
  }
  JobEngine engine(store, clock, registry, {.workers = workers, .poll_ms = 5});
  engine.Start();
  for (;;) {
    auto left = store.CountUnfinishedJobs("");
    if (!left.ok()) Die(left.error().message());
    if (*left == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  double s = Seconds(t0, Steady::now());
  engine.Stop();
  auto counts = store.CountJobsByStatus();
  if (!counts.ok() || (*counts)["completed"] < n) Die("not every job completed");
  return n / s;
}

// The same work without the engine: enqueue, claim, complete, one thread.
double RawRate(Store& store, int n) {
  const Clock& clock = SystemClock();
  auto t0 = Steady::now();
  for (int i = 0; i < n; ++i) {
    if (!store.InsertJob(NoopJob(clock.NowMs())).ok()) Die("enqueue failed");
  }
  for (int i = 0; i < n; ++i) {
    auto job = store.ClaimJob("raw:0", clock.NowMs(), {clock.NowMs(), 30'000});
    if (!job.ok() || !job->has_value()) Die("claim failed");
    if (!store.CompleteJob((*job)->id, "raw:0", "{}", {}, {}, {}, clock.NowMs()).ok()) {
      Die("complete failed");
    }
  }
  return n / Seconds(t0, Steady::now());
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

  std::vector<double> engine, raw;
  for (int r = 0; r < o.rounds; ++r) {
    auto a = FreshStore(o.work + "/engine");
    engine.push_back(EngineRate(*a, o.jobs, o.workers));
    auto b = FreshStore(o.work + "/raw");
    raw.push_back(RawRate(*b, o.jobs));
  }
  std::printf(
      "no-op jobs, %d per round, enqueue + drain, SQLite (WAL, synchronous=FULL), "
      "median of %d:\n",
      o.jobs, o.rounds);
  std::printf("  job engine (%d workers)        %8.0f jobs/s\n", o.workers, Median(engine));
  std::printf("  raw insert+claim+complete txns %8.0f jobs/s\n", Median(raw));
  std::printf("  ratio engine/raw               %8.2f\n", Median(engine) / Median(raw));

  std::filesystem::remove_all(o.work);
  return 0;
}
