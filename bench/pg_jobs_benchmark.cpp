// No-op jobs on PostgreSQL (issues 8 and 21): Rapport's job engine against graphile-worker 0.18.0
// (npm, bench/graphile) in two configurations, `tuned` (its performance page's: local queue of
// 500, batched completion and failure, pool for the concurrency) and `default` (as installed), on
// the same private cluster, in the same run, medians of --rounds.
//
// Throughput: for 1 and 3 nodes × 4 and 16 workers per node, --jobs no-op jobs are queued in a
// fresh database before the clock (not timed), then the nodes are released together; the figure is
// jobs / (queue found empty − first job's start), so neither side pays its start-up (loading
// Node.js modules, opening pools). A Rapport node is a JobEngine over its own Store (its own
// pool), as in rapportd; a graphile-worker node is a `node drain.mjs work` process.
// A deployment keeps its finished jobs (graphile-worker deletes them): 1 node × 4 workers is
// measured again with --history finished jobs already in Rapport's table, inserted without
// fresh statistics, against the same graphile-worker tuned figure.
// Latency: one idle node per side, --latency-rate jobs/s for --latency-seconds queued one at a time
// from another connection, each carrying its enqueue time; its handler or task records start −
// enqueue on the system clock (µs) of this machine. p50 and p99.
// Self-checks: every queued job ran exactly once on each side (counted by the handlers and tasks,
// and the queue holds no job afterwards); every latency job was recorded.
//
// Writes $RESULTS_DIR/pg_jobs.txt (the full table) and pg_jobs.tsv (README rows, see
// bench/readme_table.py).
// Usage: rapport_pg_jobs_benchmark --database-url postgresql://…/postgres --graphile bench/graphile
#include "bench_util.hpp"
#include "pg_jobs_support.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

namespace {

using namespace rapport;
using namespace rapport::bench;

struct Options {
  std::string admin_url;
  std::string graphile_dir = "bench/graphile";
  std::string results_dir;
  int jobs = 20'000;
  std::vector<int> nodes = {1, 3};
  std::vector<int> workers = {4, 16};
  int rounds = 3;
  int latency_rate = 200;
  int latency_seconds = 5;
  int latency_workers = 4;
  int timeout_s = 600;
  int history = 200'000;
  int lanes = 0;      // the engine's default
  int prefetch = -1;  // the engine's default
  bool rapport_only = false;
  std::string pg_data;  // the cluster's data directory, to read its CPU time (--rapport-only)
};

enum Side { kRapport, kTuned, kDefault, kSides };
constexpr const char* kSideName[kSides] = {"Rapport", "graphile-worker tuned",
                                           "graphile-worker default"};
constexpr const char* kReferenceName[kSides] = {"", "graphile-worker 0.18 tuned",
                                                "graphile-worker 0.18 default"};
constexpr const char* kGraphileConfig[kSides] = {"", "tuned", "default"};
// Whether any job is left (0 when none), polled every 5 ms while the queue drains: each side's
// check must cost next to nothing, or it loads the server the engines are measured on. Rapport:
// one row of each partial index (pending, processing); a count(*) over both statuses was a
// sequential scan of every row, finished ones included (3.7 ms at 20,000 rows). graphile-worker:
// one row of its table (it deletes finished jobs), not a count of its jobs view.
constexpr const char* kRapportQueued =
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = 'pending' ORDER BY run_after, "
    "id "
    "LIMIT 1) p) + "
    "(SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = 'processing' LIMIT 1) q)";
constexpr const char* kGraphileQueued =
    "SELECT count(*) FROM (SELECT 1 FROM graphile_worker._private_jobs LIMIT 1) AS any_job";

// What one measurement of one side saw.
struct Observed {
  int64_t ran = 0;
  int64_t first_start_us = 0;  // earliest handler start over the nodes
  std::vector<int64_t> latencies_us;
};

void MergeInto(Observed& run, int64_t ran, int64_t first_start_us, std::vector<int64_t> latencies) {
  run.ran += ran;
  if (first_start_us > 0 && (run.first_start_us == 0 || first_start_us < run.first_start_us)) {
    run.first_start_us = first_start_us;
  }
  run.latencies_us.insert(run.latencies_us.end(), latencies.begin(), latencies.end());
}

// Rapport's no-op handler: counts its runs, stamps the first start and, for jobs whose payload
// is {"t": <enqueue µs>}, records start − enqueue.
class StampingHandler final : public JobHandler {
 public:
  Result<JobOutcome> Run(JobContext& ctx) override {
    int64_t start = NowUs();
    int64_t first = 0;
    first_start_us_.compare_exchange_strong(first, start);
    ran_.fetch_add(1);
    const std::string& payload = ctx.job().payload;
    if (auto t = EnqueuedAt(payload); t > 0) {
      std::lock_guard lock(mu_);
      latencies_us_.push_back(start - t);
    }
    return JobOutcome{};
  }
  void Into(Observed& run) {
    std::lock_guard lock(mu_);
    MergeInto(run, ran_.load(), first_start_us_.load(), latencies_us_);
  }

 private:
  static int64_t EnqueuedAt(const std::string& payload) {
    auto colon = payload.find(':');
    if (payload.find("\"t\"") == std::string::npos || colon == std::string::npos) return 0;
    const char* p = payload.data() + colon + 1;
    while (*p == ' ') ++p;
    int64_t t = 0;
    std::from_chars(p, payload.data() + payload.size(), t);
    return t;
  }

  std::atomic<int64_t> ran_{0};
  std::atomic<int64_t> first_start_us_{0};
  std::mutex mu_;
  std::vector<int64_t> latencies_us_;
};

std::unique_ptr<Store> Open(const std::string& url) {
  auto store = OpenStore({.database_url = url});
  if (!store.ok()) Die(store.error().message());
  return std::move(*store);
}

Job NoopJob(const Clock& clock, std::string payload) {
  Job j;
  j.id = NewIdAt("job", clock.NowMs());
  j.tenant_id = "bench";
  j.kind = "noop";
  j.payload = std::move(payload);
  j.created_at = j.updated_at = j.run_after = clock.NowMs();
  return j;
}

// Queues `count` no-op jobs through the store, from 4 threads (enqueueing is not timed).
void EnqueueRapport(Store& store, int count) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(1) < count) {
        if (!store.InsertJob(NoopJob(SystemClock(), "{}")).ok()) failed = true;
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed) Die("enqueue failed");
}

// `nodes` JobEngines, each over its own Store, sharing one handler.
class RapportNodes {
 public:
  RapportNodes(const std::string& url, int nodes, int workers, int lanes, int prefetch)
      : handler_(std::make_shared<StampingHandler>()) {
    registry_.Register("noop", handler_);
    for (int i = 0; i < nodes; ++i) stores_.push_back(Open(url));
    for (auto& store : stores_) {
      engines_.push_back(std::make_unique<JobEngine>(
          *store, SystemClock(), registry_,
          JobEngineOptions{.workers = workers, .prefetch = prefetch, .batch_lanes = lanes}));
    }
  }
  Store& store() { return *stores_[0]; }
  void Start() {
    for (auto& e : engines_) e->Start();
  }
  Observed Stop() {
    for (auto& e : engines_) e->Stop();
    Observed run;
    handler_->Into(run);
    return run;
  }

 private:
  std::shared_ptr<StampingHandler> handler_;
  JobRegistry registry_;
  std::vector<std::unique_ptr<Store>> stores_;
  std::vector<std::unique_ptr<JobEngine>> engines_;
};

void CheckRanAll(const char* side, int64_t ran, int64_t expected) {
  if (ran != expected) {
    Die(std::string(side) + " ran " + std::to_string(ran) + " jobs, expected exactly " +
        std::to_string(expected));
  }
}

// Jobs/s from the first job's start until the queue was found empty.
double Rate(int jobs, const Observed& run, int64_t empty_us) {
  if (run.first_start_us == 0 || empty_us <= run.first_start_us) Die("no job start recorded");
  return jobs / (static_cast<double>(empty_us - run.first_start_us) / 1e6);
}

// Finished jobs kept in the table, as a deployment keeps them (graphile-worker deletes its
// own): inserted in one statement, without fresh statistics, as after a restore.
void AddHistory(const std::string& url, int count) {
  if (count <= 0) return;
  Pg pg(url);
  pg.Query(
      "INSERT INTO jobs (id, tenant_id, kind, payload, status, result, attempts, run_after, "
      "created_at, started_at, updated_at, finished_at) SELECT 'job_0old' || lpad(i::text, 22, "
      "'0'), 'bench', 'noop', '{}', 'completed', '{}', 1, 1, 1, 1, 2, 2 FROM generate_series(1, " +
      std::to_string(count) + ") AS i");
}

// CPU time (µs) of a PostgreSQL cluster so far: its postmaster, the children it reaped and the
// live ones (from /proc; `data_dir` holds postmaster.pid). -1 when it cannot be read.
int64_t ClusterCpuUs(const std::string& data_dir) {
  auto ticks = [](const std::string& stat_path, bool with_children) -> int64_t {
    std::ifstream in(stat_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::vector<std::string> f(std::istream_iterator<std::string>{fields}, {});
    if (f.size() < 15) return 0;  // f[0] is field 3 (state): utime is f[11], cutime f[13]
    int64_t t = std::stoll(f[11]) + std::stoll(f[12]);
    if (with_children) t += std::stoll(f[13]) + std::stoll(f[14]);
    return t;
  };
  std::ifstream pid_file(data_dir + "/postmaster.pid");
  std::string pm;
  if (data_dir.empty() || !std::getline(pid_file, pm)) return -1;
  int64_t t = ticks("/proc/" + pm + "/stat", true);
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream st(e.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(text.substr(close + 2));
    std::string state, ppid;
    fields >> state >> ppid;
    if (ppid == pm) t += ticks((e.path() / "stat").string(), false);
  }
  return t * 1'000'000 / sysconf(_SC_CLK_TCK);
}

double MonotonicSeconds() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// This process's CPU time (µs) and context switches so far.
std::pair<int64_t, int64_t> ProcessUsage() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto us = [](timeval t) { return int64_t{t.tv_sec} * 1'000'000 + t.tv_usec; };
  return {us(u.ru_utime) + us(u.ru_stime), u.ru_nvcsw + u.ru_nivcsw};
}

// WAL bytes written so far by the cluster and buffer accesses (hits and reads) of `url`'s
// database: what a job costs PostgreSQL, unlike its CPU time, whatever else runs on the machine.
std::pair<double, double> WalAndBuffers(const std::string& url) {
  Pg pg(url);
  return {std::stod(pg.Query("SELECT pg_current_wal_lsn() - '0/0'")),
          std::stod(pg.Query("SELECT blks_hit + blks_read FROM pg_stat_database "
                             "WHERE datname = current_database()"))};
}

double RapportRate(const Options& o, int nodes, int workers, int history = 0) {
  std::string url = FreshDatabase(o.admin_url, "bench_rapport");
  RapportNodes rapport(url, nodes, workers, o.lanes, o.prefetch);
  AddHistory(url, history);
  EnqueueRapport(rapport.store(), o.jobs);
  auto counters_before = o.rapport_only ? WalAndBuffers(url) : std::pair<double, double>{};
  auto before = ProcessUsage();
  int64_t cluster_before = ClusterCpuUs(o.pg_data);
  double drain_from = MonotonicSeconds();
  rapport.Start();
  int64_t empty = WaitUntilEmpty(url, kRapportQueued, o.timeout_s);
  Observed run = rapport.Stop();
  if (o.rapport_only) {  // the engines' own cost (and the 5 ms emptiness check's, next to nothing)
    auto after = ProcessUsage();
    std::printf("  drain: CLOCK_MONOTONIC %.6f to %.6f (for `perf report --time`)\n", drain_from,
                MonotonicSeconds());
    std::printf("  drain: %.1f µs of this process's CPU and %.2f context switches per job\n",
                static_cast<double>(after.first - before.first) / o.jobs,
                static_cast<double>(after.second - before.second) / o.jobs);
    if (cluster_before >= 0) {
      std::printf("  drain: %.1f µs of PostgreSQL's CPU per job\n",
                  static_cast<double>(ClusterCpuUs(o.pg_data) - cluster_before) / o.jobs);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // backends report stats at 1 s
    auto counters = WalAndBuffers(url);
    std::printf("  drain: %.0f WAL bytes and %.1f buffer accesses per job\n",
                (counters.first - counters_before.first) / o.jobs,
                (counters.second - counters_before.second) / o.jobs);
  }
  CheckRanAll("Rapport", run.ran, o.jobs);
  Pg pg(url);
  CheckRanAll("Rapport (completed rows)",
              std::stoll(pg.Query("SELECT count(*) FROM jobs WHERE status = 'completed'")),
              o.jobs + history);
  return Rate(o.jobs, run, empty);
}

void PrepareGraphile(const Options& o, const std::string& url, int jobs) {
  std::string prepare =
      "cd '" + o.graphile_dir + "' && node drain.mjs prepare '" + url + "' " + std::to_string(jobs);
  if (std::system(prepare.c_str()) != 0) Die("graphile-worker prepare failed: " + prepare);
}

std::vector<std::unique_ptr<GraphileNode>> StartGraphile(const Options& o, const std::string& url,
                                                         int nodes, int workers, Side side) {
  std::vector<std::unique_ptr<GraphileNode>> out;
  for (int i = 0; i < nodes; ++i) {
    out.push_back(
        std::make_unique<GraphileNode>(o.graphile_dir, url, workers, kGraphileConfig[side]));
  }
  for (auto& n : out) n->AwaitReady();  // every node has loaded graphile-worker
  for (auto& n : out) n->Release();
  return out;
}

Observed StopGraphile(std::vector<std::unique_ptr<GraphileNode>>& nodes) {
  Observed run;
  for (auto& n : nodes) {
    NodeReport r = n->Stop();
    MergeInto(run, r.ran, r.first_start_us, std::move(r.latencies_us));
  }
  return run;
}

double GraphileRate(const Options& o, int nodes, int workers, Side side) {
  std::string url = FreshDatabase(o.admin_url, "bench_graphile");
  PrepareGraphile(o, url, o.jobs);
  auto running = StartGraphile(o, url, nodes, workers, side);
  int64_t empty = WaitUntilEmpty(url, kGraphileQueued, o.timeout_s);
  Observed run = StopGraphile(running);
  CheckRanAll(kSideName[side], run.ran, o.jobs);
  return Rate(o.jobs, run, empty);
}

// Queues rate × seconds jobs one at a time at a steady pace; `enqueue(t)` queues one job carrying
// its enqueue time t (µs).
template <typename Enqueue>
int PacedEnqueue(const Options& o, Enqueue enqueue) {
  int count = o.latency_rate * o.latency_seconds;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(
        t0 + std::chrono::microseconds(int64_t{1'000'000} * i / o.latency_rate));
    enqueue(NowUs());
  }
  return count;
}

std::string Stamp(int64_t t) { return "{\"t\":" + std::to_string(t) + "}"; }

std::vector<int64_t> RapportLatency(const Options& o) {
  std::string url = FreshDatabase(o.admin_url, "bench_rapport");
  RapportNodes rapport(url, 1, o.latency_workers, o.lanes, o.prefetch);
  auto producer = Open(url);  // another connection, as an API node enqueueing would be
  rapport.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // idle
  int count = PacedEnqueue(o, [&](int64_t t) {
    if (!producer->InsertJob(NoopJob(SystemClock(), Stamp(t))).ok()) Die("enqueue failed");
  });
  WaitUntilEmpty(url, kRapportQueued, o.timeout_s);
  Observed run = rapport.Stop();
  CheckRanAll("Rapport", static_cast<int64_t>(run.latencies_us.size()), count);
  return run.latencies_us;
}

std::vector<int64_t> GraphileLatency(const Options& o, Side side) {
  std::string url = FreshDatabase(o.admin_url, "bench_graphile");
  PrepareGraphile(o, url, 0);
  auto running = StartGraphile(o, url, 1, o.latency_workers, side);
  running[0]->AwaitRunning();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // idle
  Pg producer(url);
  int count = PacedEnqueue(o, [&](int64_t t) {
    producer.Query("SELECT graphile_worker.add_job('noop', json_build_object('t', " +
                   std::to_string(t) + "::bigint))");
  });
  WaitUntilEmpty(url, kGraphileQueued, o.timeout_s);
  Observed run = StopGraphile(running);
  CheckRanAll(kSideName[side], static_cast<int64_t>(run.latencies_us.size()), count);
  return run.latencies_us;
}

// Medians over rounds.
struct Throughput {
  int nodes = 0;
  int workers = 0;
  double rate[kSides] = {};
};
struct Latency {
  double p50_ms[kSides] = {};
  double p99_ms[kSides] = {};
};

Throughput MeasureThroughput(const Options& o, int nodes, int workers) {
  std::vector<double> rates[kSides];
  for (int r = 0; r < o.rounds; ++r) {  // interleaved, so that drift hits every side alike
    rates[kRapport].push_back(RapportRate(o, nodes, workers));
    rates[kTuned].push_back(GraphileRate(o, nodes, workers, kTuned));
    rates[kDefault].push_back(GraphileRate(o, nodes, workers, kDefault));
    std::fprintf(stderr, "  %d×%d round %d: %.0f / %.0f / %.0f jobs/s\n", nodes, workers, r + 1,
                 rates[kRapport].back(), rates[kTuned].back(), rates[kDefault].back());
  }
  Throughput t{nodes, workers};
  for (int s = 0; s < kSides; ++s) t.rate[s] = Median(rates[s]);
  return t;
}

// 1 node × 4 workers again, with --history finished jobs in Rapport's table; medians.
double MeasureWithHistory(const Options& o) {
  std::vector<double> rates;
  for (int r = 0; r < o.rounds; ++r) {
    rates.push_back(RapportRate(o, 1, 4, o.history));
    std::fprintf(stderr, "  1×4 with %d finished jobs kept, round %d: %.0f jobs/s\n", o.history,
                 r + 1, rates.back());
  }
  return Median(rates);
}

Latency MeasureLatency(const Options& o) {
  std::vector<double> p50[kSides], p99[kSides];
  for (int r = 0; r < o.rounds; ++r) {
    std::vector<int64_t> samples[kSides] = {RapportLatency(o), GraphileLatency(o, kTuned),
                                            GraphileLatency(o, kDefault)};
    for (int s = 0; s < kSides; ++s) {
      p50[s].push_back(Quantile(samples[s], 0.50) / 1000);
      p99[s].push_back(Quantile(samples[s], 0.99) / 1000);
    }
    std::fprintf(stderr, "  latency round %d: p50 %.2f / %.2f / %.2f ms\n", r + 1,
                 p50[kRapport].back(), p50[kTuned].back(), p50[kDefault].back());
  }
  Latency l;
  for (int s = 0; s < kSides; ++s) {
    l.p50_ms[s] = Median(p50[s]);
    l.p99_ms[s] = Median(p99[s]);
  }
  return l;
}

std::string Ratio(double value) { return Format("%.2f×", value); }
std::string Jobs(double rate) { return Thousands(rate) + " jobs/s"; }
std::string Millis(double ms) { return ms < 10 ? Format("%.1f ms", ms) : Thousands(ms) + " ms"; }
std::string P50P99(const Latency& l, int side) {
  return "p50 " + Millis(l.p50_ms[side]) + ", p99 " + Millis(l.p99_ms[side]);
}

// The 1 × 4 measurement, against which the one with history is compared.
const Throughput* OneByFour(const std::vector<Throughput>& ts) {
  for (const auto& t : ts) {
    if (t.nodes == 1 && t.workers == 4) return &t;
  }
  return nullptr;
}

std::string Table(const Options& o, const std::vector<Throughput>& ts, double history_rate,
                  const Latency& l) {
  std::string out = Format(
      "pg_jobs: no-op jobs on PostgreSQL, Rapport against graphile-worker 0.18.0, median of %d "
      "rounds, %u cores\n  throughput, %s queued jobs drained, from the first job's start until "
      "the queue is empty:\n",
      o.rounds, std::thread::hardware_concurrency(), Thousands(o.jobs).c_str());
  out += "    nodes × workers   Rapport       graphile tuned   ratio   graphile default   ratio\n";
  for (const auto& t : ts) {
    out += Format("    %d × %-2d            %-13s %-16s %-8s %-18s %s\n", t.nodes, t.workers,
                  Jobs(t.rate[kRapport]).c_str(), Jobs(t.rate[kTuned]).c_str(),
                  Ratio(t.rate[kRapport] / t.rate[kTuned]).c_str(), Jobs(t.rate[kDefault]).c_str(),
                  Ratio(t.rate[kRapport] / t.rate[kDefault]).c_str());
  }
  if (const Throughput* base = OneByFour(ts); base && history_rate > 0) {
    out += Format("    1 × 4, %s finished jobs kept in Rapport's table: %s, %s graphile tuned\n",
                  Thousands(o.history).c_str(), Jobs(history_rate).c_str(),
                  Ratio(history_rate / base->rate[kTuned]).c_str());
  }
  out += Format(
      "  enqueue→start latency, one idle node of %d workers, %d jobs/s for %d s queued one at a "
      "time from another connection:\n",
      o.latency_workers, o.latency_rate, o.latency_seconds);
  for (int s = 0; s < kSides; ++s)
    out += Format("    %-24s %s\n", kSideName[s], P50P99(l, s).c_str());
  out += "  target: Rapport ≥ 1.0× graphile-worker tuned at every nodes × workers\n";
  return out;
}

std::string TsvRow(const std::vector<std::string>& cells) {
  std::string row;
  for (const auto& c : cells) row += (row.empty() ? "" : "\t") + c;
  return row + "\n";
}

// README rows: Rapport vs tuned (the target), vs default (context), latency per configuration.
std::string Tsv(const Options& o, const std::vector<Throughput>& ts, double history_rate,
                const Latency& l) {
  std::string out;
  for (Side ref : {kTuned, kDefault}) {
    for (const auto& t : ts) {
      double ratio = t.rate[kRapport] / t.rate[ref];
      bool target = ref == kTuned;
      out += TsvRow(
          {Format("%s no-op jobs drained, %d node%s × %d workers%s", Thousands(o.jobs).c_str(),
                  t.nodes, t.nodes > 1 ? "s" : "", t.workers, target ? "" : " (context)"),
           Jobs(t.rate[kRapport]), std::string(kReferenceName[ref]) + ": " + Jobs(t.rate[ref]),
           Ratio(ratio), target ? "≥ 1.0×" : "—",
           target ? (ratio >= 1.0 ? "met" : "missed") : "—"});
    }
  }
  if (const Throughput* base = OneByFour(ts); base && history_rate > 0) {
    double ratio = history_rate / base->rate[kTuned];
    out += TsvRow({Format("%s no-op jobs drained, 1 node × 4 workers, %s finished jobs kept "
                          "(graphile-worker deletes its own)",
                          Thousands(o.jobs).c_str(), Thousands(o.history).c_str()),
                   Jobs(history_rate),
                   std::string(kReferenceName[kTuned]) + ": " + Jobs(base->rate[kTuned]),
                   Ratio(ratio), "≥ 1.0×", ratio >= 1.0 ? "met" : "missed"});
  }
  for (Side ref : {kTuned, kDefault}) {
    out += TsvRow({Format("enqueue→start latency, idle node, %d workers, %d jobs/s (ratio: "
                          "reference p50 / Rapport p50)",
                          o.latency_workers, o.latency_rate),
                   P50P99(l, kRapport), std::string(kReferenceName[ref]) + ": " + P50P99(l, ref),
                   Ratio(l.p50_ms[ref] / l.p50_ms[kRapport]), "—", "—"});
  }
  return out;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) Die("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const char* env_results = std::getenv("RESULTS_DIR");
  o.results_dir = env_results != nullptr && *env_results != 0 ? env_results : "bench/results";
  CLI::App app{"No-op jobs on PostgreSQL: Rapport against graphile-worker (tuned and default)"};
  app.add_option("--database-url", o.admin_url,
                 "postgresql:// URL of a database of the cluster to use; the benchmark creates "
                 "and drops its own databases beside it (scripts/pg-cluster.sh starts one)")
      ->required();
  app.add_option("--graphile", o.graphile_dir, "bench/graphile, with node_modules installed")
      ->capture_default_str();
  app.add_option("--results-dir", o.results_dir, "Where pg_jobs.txt and pg_jobs.tsv go")
      ->capture_default_str();
  app.add_option("--jobs", o.jobs, "No-op jobs per throughput measurement")->capture_default_str();
  app.add_option("--nodes", o.nodes, "Node counts")->capture_default_str();
  app.add_option("--workers", o.workers, "Workers per node (both sides)")->capture_default_str();
  app.add_option("--rounds", o.rounds, "Rounds (medians are reported)")->capture_default_str();
  app.add_option("--latency-rate", o.latency_rate, "Jobs/s queued in the latency test")
      ->capture_default_str();
  app.add_option("--latency-seconds", o.latency_seconds, "Length of the latency test")
      ->capture_default_str();
  app.add_option("--latency-workers", o.latency_workers, "Workers of the latency test's node")
      ->capture_default_str();
  app.add_option("--history", o.history,
                 "Finished jobs already in Rapport's table for the 1 × 4 measurement that keeps "
                 "them (0: skip it)")
      ->capture_default_str();
  app.add_option("--lanes", o.lanes,
                 "Rounds in flight per Rapport node (JobEngineOptions::batch_lanes; 0: the "
                 "store's default)")
      ->capture_default_str();
  app.add_option(
         "--prefetch", o.prefetch,
         "Jobs each Rapport node claims ahead of its free workers (JobEngineOptions::prefetch; "
         "-1: the engine's default)")
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_s, "Seconds before a queue that does not empty fails")
      ->capture_default_str();
  app.add_flag("--rapport-only", o.rapport_only,
               "Only Rapport's throughput, each round printed (for profiling); writes no results");
  app.add_option(
      "--pg-data", o.pg_data,
      "With --rapport-only: the cluster's data directory, to print its CPU time per job");
  CLI11_PARSE(app, argc, argv);
  if (o.rapport_only) {
    for (int nodes : o.nodes) {
      for (int workers : o.workers) {
        for (int r = 0; r < o.rounds; ++r) {
          std::printf("%d×%d round %d: %.0f jobs/s\n", nodes, workers, r + 1,
                      RapportRate(o, nodes, workers));
        }
      }
    }
    return 0;
  }

  std::vector<Throughput> throughputs;
  for (int nodes : o.nodes) {
    for (int workers : o.workers) throughputs.push_back(MeasureThroughput(o, nodes, workers));
  }
  double history_rate = o.history > 0 ? MeasureWithHistory(o) : 0;
  Latency latency = MeasureLatency(o);
  std::string table = Table(o, throughputs, history_rate, latency);
  std::fputs(table.c_str(), stdout);
  std::filesystem::create_directories(o.results_dir);
  Write(o.results_dir + "/pg_jobs.txt", table);
  Write(o.results_dir + "/pg_jobs.tsv", Tsv(o, throughputs, history_rate, latency));
  return 0;
}
