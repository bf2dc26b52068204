#include <rapport/jobs/job_engine.hpp>

#include <rapport/core/metrics.hpp>

#include <rapport/core/ids.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <random>
#include <set>
#include <thread>

namespace rapport {
namespace {

namespace json = boost::json;

bool IsTransient(ErrorCode code) {
  return code == ErrorCode::kServiceUnavailable || code == ErrorCode::kInternal;
}

std::string ErrorResult(std::string_view code, std::string_view message, int64_t attempts) {
  return json::serialize(json::object{{"error", json::object{{"code", code}, {"message", message}}},
                                      {"attempts", attempts}});
}

double Jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.5, 1.0)(rng);
}

}  // namespace

class JobEngine::Impl {
 public:
  Impl(JobQueue& queue, const Clock& clock, const JobRegistry& registry, JobEngineOptions options)
      : queue_(queue),
        clock_(clock),
        lease_clock_(LeaseClock()),
        registry_(registry),
        options_(std::move(options)) {
    if (options_.node_id.empty()) options_.node_id = NewUuidV4().substr(0, 8);
  }

  void Start() {
    for (int i = 0; i < std::max(1, options_.workers); ++i) {
      workers_.emplace_back([this, i] { WorkLoop(options_.node_id + ":" + std::to_string(i)); });
    }
    heartbeat_ = std::thread([this] { HeartbeatLoop(); });
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      for (auto* ctx : running_) ctx->RequestStop(StopReason::kShutdown);
    }
    cv_.notify_all();
    cv_heartbeat_.notify_all();
    for (auto& t : workers_) t.join();
    if (heartbeat_.joinable()) heartbeat_.join();
  }

  void Wake() { cv_.notify_one(); }

 private:
  void WorkLoop(const std::string& worker_id) {
    while (!Stopping()) {
      auto claimed = queue_.ClaimJob(worker_id, clock_.NowMs(),
                                     LeaseTerm{lease_clock_.NowMs(), options_.lease_ms});
      if (claimed.ok() && claimed->has_value()) {
        Execute(std::move(**claimed), worker_id);
        continue;
      }
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stopping_; });
    }
  }

  void HeartbeatLoop() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      cv_heartbeat_.wait_for(lock, std::chrono::milliseconds(options_.lease_ms / 3));
      std::vector<JobContext*> running(running_.begin(), running_.end());
      for (auto* ctx : running) ctx->Heartbeat();  // under mu_: contexts cannot vanish meanwhile
    }
  }

  bool Stopping() {
    std::lock_guard lock(mu_);
    return stopping_;
  }

  void Execute(Job job, const std::string& worker_id) {
    JobContext ctx(queue_, clock_, lease_clock_, std::move(job), worker_id, options_.lease_ms,
                   options_.step_delay_ms);
    const Job& j = ctx.job();
    JobHandler* handler = registry_.Find(j.kind);
    if (!handler) {
      (void)queue_.FailJob(
          j.id, worker_id,
          ErrorResult("unknown_job_kind", "No handler is registered for job kind '" + j.kind + "'",
                      j.attempts),
          std::nullopt, {}, clock_.NowMs());
      return;
    }
    if (ctx.stop_reason() == StopReason::kCancelRequested) {
      (void)queue_.CancelClaimedJob(j.id, worker_id, clock_.NowMs());
      return;
    }
    {
      std::lock_guard lock(mu_);
      running_.insert(&ctx);
      if (stopping_) ctx.RequestStop(StopReason::kShutdown);
    }
    auto started = std::chrono::steady_clock::now();
    Result<JobOutcome> outcome = RunHandler(*handler, ctx);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    {
      std::lock_guard lock(mu_);
      running_.erase(&ctx);
    }
    const char* ended = Record(*handler, ctx, outcome, worker_id);
    ProcessMetrics().Count("rapport_job_outcomes_total",
                           "Job attempts by kind and how they ended: completed, retried, failed, "
                           "cancelled, handed_back (shutdown), lease_lost.",
                           {{"kind", j.kind}, {"outcome", ended}});
    ProcessMetrics().Observe("rapport_job_duration_seconds", "How long job attempts ran, by kind.",
                             {{"kind", j.kind}}, seconds);
  }

  static Result<JobOutcome> RunHandler(JobHandler& handler, JobContext& ctx) {
    try {
      return handler.Run(ctx);
    } catch (const std::exception& e) {
      return Error::Internal(std::string("job handler threw: ") + e.what());
    }
  }

  // Records the attempt's outcome; returns how it ended (the metrics' `outcome` label).
  const char* Record(JobHandler& handler, JobContext& ctx, const Result<JobOutcome>& outcome,
                     const std::string& worker_id) {
    const Job& j = ctx.job();
    UnixMs now = clock_.NowMs();
    switch (ctx.stop_reason()) {
      case StopReason::kLeaseLost:
        return "lease_lost";  // another worker owns it now; recording anything would duplicate it
      case StopReason::kCancelRequested:
        if (!outcome.ok()) {
          (void)queue_.CancelClaimedJob(j.id, worker_id, now);
          return "cancelled";
        }
        break;  // it finished anyway: keep the result
      case StopReason::kShutdown:
        if (!outcome.ok()) {
          (void)queue_.ReleaseJob(j.id, worker_id, now);
          return "handed_back";
        }
        break;
      case StopReason::kNone:
        break;
    }
    if (outcome.ok()) {
      auto stored = queue_.CompleteJob(j.id, worker_id, json::serialize(outcome->result),
                                       outcome->artifacts, outcome->reports, outcome->events, now);
      if (!stored.ok() && stored.error().code() == ErrorCode::kConflict) return "lease_lost";
      if (!stored.ok()) {
        (void)queue_.FailJob(j.id, worker_id,
                             ErrorResult("store_unavailable", stored.error().message(), j.attempts),
                             now + BackoffFor(handler, j.attempts), {}, now);
        return "retried";
      }
      return "completed";
    }
    const Error& e = outcome.error();
    std::string message = e.internal_message().empty() ? e.message() : e.internal_message();
    std::string result = ErrorResult(e.spec().code, message, j.attempts);
    bool retry = IsTransient(e.code()) && j.attempts < j.max_attempts;
    if (retry) {
      (void)queue_.FailJob(j.id, worker_id, result, now + BackoffFor(handler, j.attempts), {}, now);
      return "retried";
    }
    (void)queue_.FailJob(j.id, worker_id, result, std::nullopt, handler.FailureEvents(j, e, now),
                         now);
    return "failed";
  }

  int64_t BackoffFor(const JobHandler& handler, int64_t attempt) {
    JobEngineOptions options = options_;
    if (auto policy = handler.Retry()) {
      options.backoff_base_ms = policy->base_ms;
      options.backoff_max_ms = policy->max_ms;
    }
    return BackoffMs(options, attempt, Jitter());
  }

  JobQueue& queue_;
  const Clock& clock_;
  const Clock& lease_clock_;
  const JobRegistry& registry_;
  JobEngineOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable cv_heartbeat_;
  bool stopping_ = false;
  std::set<JobContext*> running_;
  std::vector<std::thread> workers_;
  std::thread heartbeat_;
};

int64_t JobEngine::BackoffMs(const JobEngineOptions& options, int64_t attempt, double jitter) {
  double base = static_cast<double>(options.backoff_base_ms) *
                std::pow(2.0, static_cast<double>(std::max<int64_t>(0, attempt - 1)));
  double capped = std::min(base, static_cast<double>(options.backoff_max_ms));
  return static_cast<int64_t>(capped * jitter);
}

JobEngine::JobEngine(JobQueue& queue, const Clock& clock, const JobRegistry& registry,
                     JobEngineOptions options)
    : impl_(std::make_unique<Impl>(queue, clock, registry, std::move(options))) {}
JobEngine::~JobEngine() { impl_->Stop(); }
void JobEngine::Start() { impl_->Start(); }
void JobEngine::Stop() { impl_->Stop(); }
void JobEngine::Wake() { impl_->Wake(); }

}  // namespace rapport
