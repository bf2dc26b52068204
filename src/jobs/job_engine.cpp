#include <rapport/jobs/job_engine.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/metrics.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <iterator>
#include <random>
#include <set>
#include <thread>

namespace rapport {
namespace {

namespace json = boost::json;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

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

void CountOutcome(const std::string& kind, const char* outcome) {
  ProcessMetrics().Count("rapport_job_outcomes_total",
                         "Job attempts by kind and how they ended: completed, retried, failed, "
                         "cancelled, handed_back (shutdown), lease_lost.",
                         {{"kind", kind}, {"outcome", outcome}});
}

const char* OutcomeOf(JobEnd end) {
  switch (end) {
    case JobEnd::kCompleted:
      return "completed";
    case JobEnd::kFailed:
      return "failed";
    case JobEnd::kRetry:
      return "retried";
    case JobEnd::kCancelled:
      return "cancelled";
    case JobEnd::kReleased:
      return "handed_back";
  }
  return "completed";
}

// A finished attempt waiting for the dispatcher's next batch.
struct PendingFinish {
  JobFinish finish;
  std::string kind;
};

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
    options_.workers = std::max(1, options_.workers);
    lanes_ = std::clamp(
        options_.batch_lanes > 0 ? options_.batch_lanes : queue_.ConcurrentBatches(), 1, 4);
  }

  void Start() {
    for (int i = 0; i < options_.workers; ++i) slots_.push_back(std::make_unique<Slot>());
    for (int i = 0; i < options_.workers; ++i) {
      workers_.emplace_back([this, i] { WorkLoop(*slots_[i]); });
    }
    for (int lane = 0; lane < lanes_; ++lane) {
      dispatchers_.emplace_back([this, lane] { DispatchLoop(lane); });
    }
    if (options_.listen) notices_ = queue_.ListenForJobs();
    if (notices_) listener_ = std::thread([this] { ListenLoop(); });
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      shutting_down_ = true;
      ForEachRunning([](JobContext& ctx) { ctx.RequestStop(StopReason::kShutdown); });
    }
    cv_work_.notify_all();
    cv_dispatch_.notify_all();
    for (auto& t : workers_) t.join();
    {
      std::lock_guard lock(mu_);
      workers_done_ = true;  // the dispatcher hands back what is left and records the rest
    }
    cv_dispatch_.notify_all();
    for (auto& t : dispatchers_) t.join();
    if (listener_.joinable()) listener_.join();
  }

  void Wake() {
    {
      std::lock_guard lock(mu_);
      wake_ = true;
    }
    cv_dispatch_.notify_one();
  }

  int64_t Passes() const { return passes_.load(std::memory_order_relaxed); }

 private:
  // ---- workers ----

  // A worker's running job, for the dispatcher's renewals and for Stop().
  struct Slot {
    std::mutex mu;
    JobContext* ctx = nullptr;
  };

  // Under mu_: calls `f` on every running job's context.
  template <class F>
  void ForEachRunning(F&& f) {
    for (auto& slot : slots_) {
      std::lock_guard lock(slot->mu);
      if (slot->ctx) f(*slot->ctx);
    }
  }

  bool ShortJobs() const { return average_ms_ >= 0 && average_ms_ < kShortJobMs; }

  void WorkLoop(Slot& slot) {
    std::vector<Job> taken;
    std::vector<PendingFinish> done;
    std::vector<double> ms;
    std::unique_lock lock(mu_);
    while (true) {
      cv_work_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
      if (stopping_) return;  // jobs still in ready_ are handed back by the dispatcher
      // Short jobs are taken a few at a time (fewer hand-offs); a long one alone, so that no job
      // waits behind it while another worker is free.
      size_t take = ShortJobs() ? std::min(ready_.size(), kShortJobsPerTake) : 1;
      for (size_t i = 0; i < take; ++i) {
        taken.push_back(std::move(ready_.front()));
        ready_.pop_front();
      }
      busy_ += static_cast<int>(taken.size());
      lock.unlock();
      for (auto& job : taken) {
        if (shutting_down_) {  // not started: handed back untouched
          done.push_back({{job.id, JobEnd::kReleased}, job.kind});
          continue;
        }
        auto started = Steady::now();
        std::string kind = job.kind;
        std::optional<JobFinish> finish = Execute(std::move(job), slot);
        ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - started).count());
        if (finish) done.push_back({std::move(*finish), std::move(kind)});
      }
      lock.lock();
      busy_ -= static_cast<int>(taken.size());
      for (double m : ms) average_ms_ = average_ms_ < 0 ? m : 0.9 * average_ms_ + 0.1 * m;
      bool first = finishes_.empty() && !done.empty();
      if (first) first_finish_ = Steady::now();
      std::move(done.begin(), done.end(), std::back_inserter(finishes_));
      taken.clear(), done.clear(), ms.clear();
      // The dispatcher is woken when a round is due (enough outcomes or free places for one),
      // and by a first outcome, whose deadline its wait must learn. Woken after every take, it
      // mostly went back to a timed wait: on a virtual machine, where arming a timer exits to
      // the host, those waits were a third of the engine's CPU per no-op job.
      if (first || RoundDue(Steady::now())) cv_dispatch_.notify_one();
    }
  }

  // Runs one claimed job; returns how it ended when the dispatcher's batch is to record it
  // (nullopt: recorded here already, or nothing to record).
  std::optional<JobFinish> Execute(Job job, Slot& slot) {
    JobContext ctx(queue_, clock_, lease_clock_, std::move(job), options_.node_id,
                   options_.lease_ms, options_.step_delay_ms);
    const Job& j = ctx.job();
    JobHandler* handler = registry_.Find(j.kind);
    if (!handler) {
      return JobFinish{
          j.id, JobEnd::kFailed,
          ErrorResult("unknown_job_kind", "No handler is registered for job kind '" + j.kind + "'",
                      j.attempts)};
    }
    if (ctx.stop_reason() == StopReason::kCancelRequested) {
      return JobFinish{j.id, JobEnd::kCancelled};
    }
    {
      std::lock_guard lock(slot.mu);
      slot.ctx = &ctx;
    }
    if (shutting_down_) ctx.RequestStop(StopReason::kShutdown);  // Stop() may have missed it
    auto started = Steady::now();
    Result<JobOutcome> outcome = RunHandler(*handler, ctx);
    double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    {
      std::lock_guard lock(slot.mu);
      slot.ctx = nullptr;
    }
    ProcessMetrics().Observe("rapport_job_duration_seconds", "How long job attempts ran, by kind.",
                             {{"kind", j.kind}}, seconds);
    return Record(*handler, ctx, outcome);
  }

  static Result<JobOutcome> RunHandler(JobHandler& handler, JobContext& ctx) {
    try {
      return handler.Run(ctx);
    } catch (const std::exception& e) {
      return Error::Internal(std::string("job handler threw: ") + e.what());
    }
  }

  // How the attempt ends. An outcome with artifacts, reports or events is stored here, in its
  // own transaction (it may be large, and its hooks may refuse it); the rest ride the batch.
  std::optional<JobFinish> Record(JobHandler& handler, JobContext& ctx,
                                  const Result<JobOutcome>& outcome) {
    const Job& j = ctx.job();
    switch (ctx.stop_reason()) {
      case StopReason::kLeaseLost:
        CountOutcome(j.kind, "lease_lost");  // another node owns it now: record nothing
        return std::nullopt;
      case StopReason::kCancelRequested:
        if (!outcome.ok()) return JobFinish{j.id, JobEnd::kCancelled};
        break;  // it finished anyway: keep the result
      case StopReason::kShutdown:
        if (!outcome.ok()) return JobFinish{j.id, JobEnd::kReleased};
        break;
      case StopReason::kNone:
        break;
    }
    UnixMs now = clock_.NowMs();
    if (outcome.ok()) {
      std::string result = json::serialize(outcome->result);
      if (outcome->artifacts.empty() && outcome->reports.empty() && outcome->events.empty()) {
        return JobFinish{j.id, JobEnd::kCompleted, std::move(result)};
      }
      auto stored = queue_.CompleteJob(j.id, options_.node_id, result, outcome->artifacts,
                                       outcome->reports, outcome->events, now);
      if (stored.ok()) {
        CountOutcome(j.kind, "completed");
        return std::nullopt;
      }
      if (stored.error().code() == ErrorCode::kConflict) {
        CountOutcome(j.kind, "lease_lost");
        return std::nullopt;
      }
      return JobFinish{j.id, JobEnd::kRetry,
                       ErrorResult("store_unavailable", stored.error().message(), j.attempts),
                       now + BackoffFor(handler, j.attempts)};
    }
    const Error& e = outcome.error();
    std::string message = e.internal_message().empty() ? e.message() : e.internal_message();
    std::string result = ErrorResult(e.spec().code, message, j.attempts);
    if (IsTransient(e.code()) && j.attempts < j.max_attempts) {
      return JobFinish{j.id, JobEnd::kRetry, std::move(result),
                       now + BackoffFor(handler, j.attempts)};
    }
    std::vector<Event> events = handler.FailureEvents(j, e, now);
    if (events.empty()) return JobFinish{j.id, JobEnd::kFailed, std::move(result)};
    auto failed = queue_.FailJob(j.id, options_.node_id, result, std::nullopt, events, now);
    CountOutcome(j.kind, failed.ok() ? "failed" : "lease_lost");
    return std::nullopt;
  }

  int64_t BackoffFor(const JobHandler& handler, int64_t attempt) {
    JobEngineOptions options = options_;
    if (auto policy = handler.Retry()) {
      options.backoff_base_ms = policy->base_ms;
      options.backoff_max_ms = policy->max_ms;
    }
    return BackoffMs(options, attempt, Jitter());
  }

  // ---- dispatcher ----

  // What one round of the dispatcher does; decided under mu_.
  struct Round {
    JobBatch batch;
    std::vector<PendingFinish> taken;
    bool recover = false;
  };

  // Lane 0 also renews leases and recovers lost jobs; every lane records finishes and claims,
  // each on its own connection, so that a round runs while another's results come back.
  void DispatchLoop(int lane) {
    const milliseconds renew_every(std::max<int64_t>(1, options_.lease_ms / 3));
    const milliseconds recover_every(std::clamp<int64_t>(options_.lease_ms / 3, 20, 1'000));
    const milliseconds poll(std::max<int64_t>(1, options_.poll_ms));
    Steady::time_point next_renew = lane == 0 ? Steady::now() + renew_every : kNever;
    Steady::time_point next_recover = lane == 0 ? Steady::now() : kNever;
    int failures_at_stop = 0;
    std::unique_lock lock(mu_);
    while (true) {
      passes_.fetch_add(1, std::memory_order_relaxed);
      auto t = Steady::now();
      if (workers_done_) HandBackReady();
      int want = stopping_ ? 0 : Capacity();
      auto record_at = RecordAt();
      Dispatch state = State(t);
      auto [claim, record] = PlanRound(state);
      bool holding = busy_ > 0 || !ready_.empty();  // busy_: taken or running
      // Nothing to renew: the next renewal is due a period from now (never in the past, where
      // the wait below would return at once and the loop would spin while the engine is idle).
      if (!holding && next_renew != kNever && t >= next_renew) next_renew = t + renew_every;
      bool renew = holding && t >= next_renew;
      bool recover = !stopping_ && t >= next_recover;
      if (!record && !claim && !renew && !recover) {
        if (workers_done_) return;
        auto until = std::min({next_renew, next_recover, record_at});
        // The poll's time only when a claim could go then: with fewer free places than a batch,
        // a past poll time made this wait return at once, a spin until workers freed enough.
        state.claim_due = true;
        if (PlanRound(state).claim) until = std::min(until, next_poll_);
        if (until == kNever) {
          cv_dispatch_.wait(lock);
        } else {
          cv_dispatch_.wait_until(lock, until);
        }
        continue;
      }
      Round round = TakeRound(claim ? want : 0, renew, recover, record);
      claiming_ += round.batch.claim;
      lock.unlock();
      std::optional<size_t> claimed = RunRound(round);
      lock.lock();
      claiming_ -= round.batch.claim;
      if (recover) next_recover = t + recover_every;
      if (!claimed) {
        // The store is busy or unreachable: the finishes wait for the next round.
        finishes_.insert(finishes_.begin(), std::make_move_iterator(round.taken.begin()),
                         std::make_move_iterator(round.taken.end()));
        more_ = false;
        next_poll_ = t + poll;
        if (workers_done_ && ++failures_at_stop >= 3) return;  // leases expire; others recover
        cv_dispatch_.wait_for(lock, std::min<milliseconds>(poll, milliseconds(100)));
        continue;
      }
      if (renew) next_renew = t + renew_every;
      if (claim) {
        more_ = static_cast<int>(*claimed) == want;
        if (!more_) next_poll_ = t + poll;
      }
      if (lanes_ > 1 && RoundDue(Steady::now())) cv_dispatch_.notify_one();  // another lane's
    }
  }

  // Under mu_: when the outcomes waiting to be recorded are due (kNever when there are none).
  Steady::time_point RecordAt() const {
    return finishes_.empty() ? kNever : first_finish_ + kRecordDelay;
  }

  // Under mu_: what PlanRound decides from.
  Dispatch State(Steady::time_point t) const {
    return {.workers = options_.workers,
            .prefetch = Prefetch(),
            .ready = static_cast<int>(ready_.size()),
            .claiming = claiming_,
            .free = stopping_ ? 0 : Capacity(),
            .finishes = static_cast<int>(finishes_.size()),
            .claim_due = more_ || wake_ || t >= next_poll_,
            .finish_due = t >= RecordAt() || stopping_};
  }

  // Under mu_: whether a dispatcher has a claim or a record to make now.
  bool RoundDue(Steady::time_point t) const {
    RoundPlan plan = PlanRound(State(t));
    return plan.claim || plan.record;
  }

  // The local queue's places: while jobs are short only.
  int Prefetch() const {
    if (options_.prefetch >= 0) return options_.prefetch;
    return ShortJobs() ? std::min(kMaxPrefetch, kPrefetchPerWorker * options_.workers) : 0;
  }

  // Free places: idle workers, plus the local queue's.
  int Capacity() const {
    return options_.workers + Prefetch() - busy_ - static_cast<int>(ready_.size()) - claiming_;
  }

  // Under mu_: the round's batch; `record`: with the finishes waiting.
  Round TakeRound(int claim, bool renew, bool recover, bool record) {
    Round round;
    round.recover = recover;
    if (record) {
      round.taken = std::move(finishes_);
      finishes_.clear();
    }
    JobBatch& b = round.batch;
    b.owner = options_.node_id;
    b.now = clock_.NowMs();
    b.lease = {lease_clock_.NowMs(), options_.lease_ms};
    b.claim = claim;
    for (const auto& f : round.taken) b.finishes.push_back(f.finish);
    if (renew) {
      ForEachRunning([&](JobContext& ctx) { b.renew.push_back(ctx.job().id); });
      for (const auto& job : ready_) b.renew.push_back(job.id);
    }
    wake_ = false;
    return round;
  }

  // Runs the round's statements (mu_ not held); how many jobs it claimed, nullopt when the batch
  // failed.
  std::optional<size_t> RunRound(Round& round) {
    const JobBatch& b = round.batch;
    if (round.recover) (void)queue_.RecoverLostJobs(b.now, b.lease.now, options_.lost);
    if (b.finishes.empty() && b.renew.empty() && b.claim == 0) return 0;
    auto result = queue_.RunJobBatch(b);
    if (!result.ok()) return std::nullopt;
    for (size_t i = 0; i < round.taken.size(); ++i) {
      bool held = i < result->finished.size() && result->finished[i];
      CountOutcome(round.taken[i].kind, held ? OutcomeOf(round.taken[i].finish.end) : "lease_lost");
    }
    std::lock_guard lock(mu_);
    if (!b.renew.empty()) ApplyRenewals(b.renew, result->renewed);
    size_t claimed = result->claimed.size();
    for (auto& job : result->claimed) ready_.push_back(std::move(job));
    bool tiny = average_ms_ >= 0 && average_ms_ < kTinyJobMs;
    int wake = WorkersToWake(static_cast<int>(claimed), ShortJobs(), tiny,
                             static_cast<int>(kShortJobsPerTake), cores_, options_.workers);
    for (int i = 0; i < wake; ++i) cv_work_.notify_one();
    return claimed;
  }

  // Under mu_: jobs whose lease was not renewed stop (running) or are dropped (not started);
  // cancellation requests reach them.
  void ApplyRenewals(const std::vector<std::string>& asked,
                     const std::vector<std::pair<std::string, bool>>& renewed) {
    std::map<std::string, bool> held(renewed.begin(), renewed.end());
    std::set<std::string> lost;
    for (const auto& id : asked) {
      if (!held.count(id)) lost.insert(id);
    }
    ForEachRunning([&](JobContext& ctx) {
      auto it = held.find(ctx.job().id);
      if (lost.count(ctx.job().id)) ctx.RequestStop(StopReason::kLeaseLost);
      if (it != held.end() && it->second) ctx.RequestStop(StopReason::kCancelRequested);
    });
    std::erase_if(ready_, [&](const Job& job) { return lost.count(job.id) > 0; });
    for (auto& job : ready_) {
      auto it = held.find(job.id);
      if (it != held.end() && it->second) job.cancel_requested = true;
    }
  }

  // Under mu_, at shutdown: jobs claimed but never started go back untouched.
  void HandBackReady() {
    for (auto& job : ready_) finishes_.push_back({{job.id, JobEnd::kReleased}, job.kind});
    ready_.clear();
  }

  // ---- notices from other nodes ----

  void ListenLoop() {
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
      auto got = notices_->Wait(100);
      if (got.ok() && *got) Wake();
      if (!got.ok()) {
        std::unique_lock lock(mu_);  // the database is away: try again after a poll's time
        cv_dispatch_.wait_for(lock, milliseconds(std::max<int64_t>(100, options_.poll_ms)),
                              [this] { return stopping_; });
      }
    }
  }

  // Short jobs (their average run) are prefetched, up to this many per worker and in all: a
  // round trip then serves many jobs, and workers never wait for one.
  static constexpr double kShortJobMs = 20;
  static constexpr int kPrefetchPerWorker = 64;
  static constexpr int kMaxPrefetch = 256;
  static constexpr size_t kShortJobsPerTake = 16;
  static constexpr double kTinyJobMs = 0.2;  // WorkersToWake
  static constexpr milliseconds kRecordDelay{2};
  static constexpr Steady::time_point kNever = Steady::time_point::max();

  JobQueue& queue_;
  const Clock& clock_;
  const Clock& lease_clock_;
  const JobRegistry& registry_;
  JobEngineOptions options_;
  std::unique_ptr<JobNotices> notices_;

  std::mutex mu_;
  std::condition_variable cv_work_;      // ready_ has jobs, or stopping
  std::condition_variable cv_dispatch_;  // finishes, a wake-up, or stopping
  bool stopping_ = false;
  bool workers_done_ = false;
  bool wake_ = false;
  bool more_ = false;  // the last claim was full: there may be more due
  int busy_ = 0;       // workers running a job
  int claiming_ = 0;   // jobs asked for by rounds in flight
  int lanes_ = 1;
  Steady::time_point next_poll_ = Steady::now();
  double average_ms_ = -1;  // of recent attempts; -1 before the first
  const int cores_ = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::deque<Job> ready_;  // claimed, not started
  std::vector<PendingFinish> finishes_;
  Steady::time_point first_finish_;           // when finishes_ last went from empty to not
  std::vector<std::unique_ptr<Slot>> slots_;  // one per worker
  std::atomic<bool> shutting_down_{false};
  std::atomic<int64_t> passes_{0};  // DispatcherPasses()
  std::vector<std::thread> workers_;
  std::vector<std::thread> dispatchers_;  // one per lane
  std::thread listener_;
};

int64_t JobEngine::BackoffMs(const JobEngineOptions& options, int64_t attempt, double jitter) {
  double base = static_cast<double>(options.backoff_base_ms) *
                std::pow(2.0, static_cast<double>(std::max<int64_t>(0, attempt - 1)));
  double capped = std::min(base, static_cast<double>(options.backoff_max_ms));
  return static_cast<int64_t>(capped * jitter);
}

int JobEngine::WorkersToWake(int claimed, bool short_jobs, bool tiny_jobs, int per_take, int cores,
                             int workers) {
  int wake = claimed;
  if (short_jobs) wake = (claimed + per_take - 1) / per_take;
  if (tiny_jobs) wake = std::min(wake, std::max(1, cores));
  return std::min(wake, workers);
}

JobEngine::RoundPlan JobEngine::PlanRound(const Dispatch& d) {
  bool full = d.ready + d.claiming >= d.workers;
  int batch = full ? std::max(1, d.prefetch / 2) : 1;
  RoundPlan plan;
  plan.claim = d.claim_due && d.free >= batch;
  plan.record = d.finishes > 0 && (d.finishes >= batch || d.finish_due || plan.claim);
  return plan;
}

JobEngine::JobEngine(JobQueue& queue, const Clock& clock, const JobRegistry& registry,
                     JobEngineOptions options)
    : impl_(std::make_unique<Impl>(queue, clock, registry, std::move(options))) {}
JobEngine::~JobEngine() { impl_->Stop(); }
void JobEngine::Start() { impl_->Start(); }
void JobEngine::Stop() { impl_->Stop(); }
void JobEngine::Wake() { impl_->Wake(); }
int64_t JobEngine::DispatcherPasses() const { return impl_->Passes(); }

}  // namespace rapport
