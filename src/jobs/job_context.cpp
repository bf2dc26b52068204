#include <rapport/jobs/job_engine.hpp>

#include <chrono>
#include <thread>

namespace rapport {

JobContext::JobContext(JobQueue& queue, const Clock& clock, const Clock& lease_clock, Job job,
                       std::string worker_id, int64_t lease_ms, int64_t step_delay_ms)
    : queue_(queue),
      clock_(clock),
      lease_clock_(lease_clock),
      job_(std::move(job)),
      worker_id_(std::move(worker_id)),
      lease_ms_(lease_ms),
      step_delay_ms_(step_delay_ms) {
  progress_ = {job_.step, job_.message, job_.completed, job_.total};
  if (job_.cancel_requested) stop_ = StopReason::kCancelRequested;
}

bool JobContext::Progress(std::string step, std::string message, int64_t completed, int64_t total) {
  {
    std::lock_guard lock(mu_);
    progress_ = {std::move(step), std::move(message), completed, total};
  }
  Heartbeat();
  if (step_delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(step_delay_ms_));
  return !ShouldStop();
}

void JobContext::Heartbeat() {
  JobProgress progress;
  {
    std::lock_guard lock(mu_);
    progress = progress_;
  }
  auto cancel = queue_.HeartbeatJob(job_.id, worker_id_, progress, clock_.NowMs(),
                                    LeaseTerm{lease_clock_.NowMs(), lease_ms_});
  if (!cancel.ok()) {
    if (cancel.error().code() == ErrorCode::kConflict) RequestStop(StopReason::kLeaseLost);
    return;  // a busy database: the next heartbeat tries again within the lease
  }
  if (*cancel) RequestStop(StopReason::kCancelRequested);
}

void JobContext::RequestStop(StopReason reason) {
  StopReason none = StopReason::kNone;
  stop_.compare_exchange_strong(none, reason);
  if (reason == StopReason::kLeaseLost) stop_ = reason;  // overrides: nothing may be recorded
}

void JobRegistry::Register(std::string kind, std::shared_ptr<JobHandler> handler) {
  handlers_[std::move(kind)] = std::move(handler);
}

JobHandler* JobRegistry::Find(const std::string& kind) const {
  auto it = handlers_.find(kind);
  return it == handlers_.end() ? nullptr : it->second.get();
}

}  // namespace rapport
