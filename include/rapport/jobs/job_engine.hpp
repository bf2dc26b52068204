// The job engine: a dispatcher thread claims due jobs from the store in batches (with a lease,
// held by the node) and hands them to worker threads, which run the handler registered for the
// job's kind; the dispatcher records their outcomes and renews the leases of running jobs in its
// next batch, one transaction per round (group commit), and puts back jobs whose worker died.
// Transient errors (kServiceUnavailable, kInternal) retry with exponential backoff and jitter up
// to the job's attempt limit; other errors fail the job at once. A node that dies loses its
// leases; its jobs go back to pending with a backoff once they expire (LostJobPolicy). Leases
// are on LeaseClock(): a step of the wall clock neither expires nor stretches them.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rapport {

// What a handler returns on success: the job's `result`, the files to store with it and the
// reports it generated, all stored in the transaction that completes the job.
struct JobOutcome {
  boost::json::object result;
  std::vector<Artifact> artifacts;
  std::vector<Report> reports;
  std::vector<Event> events;  // for the outbox (webhooks), e.g. "report.completed"
};

// How a kind's transient failures are retried: base * 2^(attempt-1), capped at max, jittered.
struct RetryPolicy {
  int64_t base_ms = 0;
  int64_t max_ms = 0;
};

enum class StopReason { kNone, kCancelRequested, kShutdown, kLeaseLost };

// A running job as its handler sees it. Thread-safe.
class JobContext {
 public:
  // `clock` stamps progress; the lease is renewed on `lease_clock` (see LeaseClock()).
  JobContext(JobQueue& queue, const Clock& clock, const Clock& lease_clock, Job job,
             std::string worker_id, int64_t lease_ms, int64_t step_delay_ms = 0);

  const Job& job() const { return job_; }
  // Writes conditional on the lease name this worker.
  const std::string& worker_id() const { return worker_id_; }
  // Records progress (and extends the lease). Returns false when the handler should stop
  // before its next step: cancellation was requested, the node is shutting down, or the lease
  // was lost.
  bool Progress(std::string step, std::string message, int64_t completed, int64_t total);
  // Why the handler should stop, or kNone.
  StopReason stop_reason() const { return stop_.load(); }
  bool ShouldStop() const { return stop_reason() != StopReason::kNone; }

  // Engine side: renews the lease with the last progress and picks up cancellation.
  void Heartbeat();
  void RequestStop(StopReason reason);

 private:
  JobQueue& queue_;
  const Clock& clock_;
  const Clock& lease_clock_;
  Job job_;
  std::string worker_id_;
  int64_t lease_ms_;
  int64_t step_delay_ms_;
  std::mutex mu_;
  JobProgress progress_;
  std::atomic<StopReason> stop_{StopReason::kNone};
};

class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // Runs one attempt. Should call ctx.Progress between steps and return promptly (any error)
  // once it returns false.
  virtual Result<JobOutcome> Run(JobContext& ctx) = 0;
  // Events recorded when the job fails for good (no attempt left, or a permanent error), in the
  // transaction that fails it, e.g. "sla_report.failed" with the reason.
  virtual std::vector<Event> FailureEvents(const Job& job, const Error& error, UnixMs now) {
    (void)job, (void)error, (void)now;
    return {};
  }
  // This kind's retry backoff; nullopt: the engine's.
  virtual std::optional<RetryPolicy> Retry() const { return std::nullopt; }
};

// Job kinds and their handlers: a new report kind registers here, the engine stays unchanged.
class JobRegistry {
 public:
  void Register(std::string kind, std::shared_ptr<JobHandler> handler);
  JobHandler* Find(const std::string& kind) const;

 private:
  std::map<std::string, std::shared_ptr<JobHandler>> handlers_;
};

struct JobEngineOptions {
  int workers = 2;
  int64_t lease_ms = 30'000;
  // How often an idle engine looks for due jobs when nothing woke it (an enqueue in this
  // process, a NOTIFY from another node): delayed retries and schedules become due this way.
  int64_t poll_ms = 250;
  int64_t backoff_base_ms = 2'000;
  int64_t backoff_max_ms = 10 * 60'000;
  // Jobs claimed ahead of free workers (a local queue, so that short jobs do not wait for a round
  // trip); -1: 64 per worker (at most 256) while the jobs run in under 20 ms on average, else
  // none (a long job must not wait behind another on a busy node while an idle node could run it).
  int prefetch = -1;
  // A job whose worker died goes back after lost.backoff_base_ms, doubling with each loss up to
  // lost.backoff_max_ms, and fails ('worker_lost') at the lost.poison_limit-th loss.
  LostJobPolicy lost{};
  // Rounds (RunJobBatch calls) in flight at once, each from its own dispatcher thread; 0: as many
  // as the queue runs side by side (JobQueue::ConcurrentBatches), at most 4.
  int batch_lanes = 0;
  // Listen for jobs enqueued by other nodes (PostgreSQL LISTEN/NOTIFY) rather than polling.
  bool listen = true;
  std::string node_id;  // the lease owner of this engine's jobs; random when empty
  // Fault-injection aid for crash tests: every progress step pauses this long (0 in production).
  int64_t step_delay_ms = 0;
};

class JobEngine {
 public:
  JobEngine(JobQueue& queue, const Clock& clock, const JobRegistry& registry,
            JobEngineOptions options);
  ~JobEngine();
  JobEngine(const JobEngine&) = delete;
  JobEngine& operator=(const JobEngine&) = delete;

  void Start();
  // Asks running handlers to stop at their next step, hands unfinished jobs back, joins.
  void Stop();
  // Wakes idle workers (a job was just enqueued).
  void Wake();
  // How many times the dispatcher lanes have looked for work since Start(): a few per poll or
  // recovery period while idle (a diagnostic; the tests hold it to that).
  int64_t DispatcherPasses() const;

  // Delay before retry `attempt` (1-based): base * 2^(attempt-1), capped, times a jitter factor
  // in [0.5, 1).
  static int64_t BackoffMs(const JobEngineOptions& options, int64_t attempt, double jitter);

  // How many idle workers a round that claimed `claimed` jobs wakes. Short jobs are taken
  // several at a time (`per_take`), so waking a worker per job costs more than the jobs; and
  // tiny ones (a fraction of a millisecond: too short to wait on any network) gain nothing from
  // more running threads than `cores`: more only contend for the engine's lock (a 16-worker node
  // on 2 cores spent a third of its CPU on that). Longer jobs, which may wait on I/O (a webhook,
  // an LLM call), get a worker each.
  static int WorkersToWake(int claimed, bool short_jobs, bool tiny_jobs, int per_take, int cores,
                           int workers);

  // What a dispatcher lane sees when it decides whether a round goes now.
  struct Dispatch {
    int workers = 0;          // the engine's workers
    int prefetch = 0;         // its local queue's places (0 while jobs are long)
    int ready = 0;            // jobs claimed and not started
    int claiming = 0;         // jobs asked for by rounds in flight
    int free = 0;             // places to claim into
    int finishes = 0;         // outcomes waiting to be recorded
    bool claim_due = false;   // more may be due, a wake-up, or the poll's time
    bool finish_due = false;  // the oldest waiting outcome has waited long enough, or stopping
  };
  struct RoundPlan {
    bool claim = false;
    bool record = false;
  };
  // While the local queue holds a job for every worker, a round waits until it can claim or
  // record half a prefetch (or its oldest outcome is due): each round costs the database about
  // as much as a hundred short jobs. Otherwise it goes for one job.
  static RoundPlan PlanRound(const Dispatch& d);

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapport
