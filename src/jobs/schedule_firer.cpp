#include <rapport/jobs/schedule_firer.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/metrics.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <future>
#include <map>

namespace rapport {
namespace {

constexpr const char* kMissedPrefix = "Missed while the scheduler was not running";

// Per due period, why it does not run (nullopt: it runs). `all` runs every one (the newest
// `catch_up_cap`), `once` the newest of each group, `skip` only those not late.
std::vector<std::optional<MissedBecause>> ApplyMissedRuns(const std::vector<DuePeriod>& due,
                                                          const std::string& policy, UnixMs now,
                                                          const SchedulerOptions& options) {
  std::vector<std::optional<MissedBecause>> missed(due.size());
  std::map<std::string, size_t> newest;  // group -> index; a lone period is its group's newest
  if (due.size() > 1) {
    for (size_t i = 0; i < due.size(); ++i) newest[due[i].group] = i;
  }
  for (size_t i = 0; i < due.size(); ++i) {
    if (policy == "all") {
      if (due.size() - i > static_cast<size_t>(options.catch_up_cap)) {
        missed[i] = MissedBecause::kBeyondCatchUpCap;
      }
    } else if (policy == "skip") {
      if (due[i].run_at < now - options.grace_ms) missed[i] = MissedBecause::kLate;
    } else if (due.size() > 1 && newest[due[i].group] != i) {
      missed[i] = MissedBecause::kNotNewest;
    }
  }
  return missed;
}

Job NewJob(const ScheduleKindHook& hook, const DueSchedule& schedule, const DuePeriod& period,
           const std::string& run_id, UnixMs now) {
  return NewQueuedJob(schedule.tenant_id, hook.Job(schedule, period, run_id, now), now);
}

}  // namespace

Status CheckQueueRoom(JobQueue& queue, const std::string& tenant_id, int64_t per_tenant,
                      int64_t total) {
  RAPPORT_TRY(int64_t tenant_queue, queue.CountUnfinishedJobs(tenant_id));
  RAPPORT_TRY(int64_t total_queue, queue.CountUnfinishedJobs(""));
  if (tenant_queue < per_tenant && total_queue < total) return Ok{};
  return Error(ErrorCode::kServiceUnavailable,
               tenant_queue >= per_tenant
                   ? "Too many reports are queued for your account; try again shortly"
                   : "The report queue is full; try again shortly",
               boost::json::object{{"retry_after", 30}});
}

Job NewQueuedJob(const std::string& tenant_id, const ScheduledJob& spec, UnixMs now) {
  Job job;
  job.id = NewIdAt("job", now);
  job.tenant_id = tenant_id;
  job.kind = spec.kind;
  job.created_at = job.updated_at = job.run_after = now;
  job.step = "queued";
  job.message = spec.message;
  job.payload = spec.payload;
  return job;
}

std::pair<ScheduleRun, Job> NewOnDemandRun(const std::string& tenant_id,
                                           const std::string& schedule_id, const ScheduledJob& spec,
                                           const std::string& from_date, const std::string& to_date,
                                           const std::string& request_key, UnixMs now) {
  Job job = NewQueuedJob(tenant_id, spec, now);
  job.request_key = request_key;
  ScheduleRun run;
  run.id = NewIdAt("run", now);
  run.tenant_id = tenant_id;
  run.schedule_id = schedule_id;
  run.trigger = "on_demand";
  run.from_date = from_date;
  run.to_date = to_date;
  run.job_id = job.id;
  run.status = "pending";
  run.created_at = now;
  return {std::move(run), std::move(job)};
}

std::string ScheduleKindHook::MissedReason(MissedBecause why, const DuePeriod& period,
                                           int catch_up_cap) const {
  switch (why) {
    case MissedBecause::kLate:
      return std::string(kMissedPrefix) + " (missed_runs: skip)";
    case MissedBecause::kBeyondCatchUpCap:
      return std::string(kMissedPrefix) + "; beyond the catch-up cap of " +
             std::to_string(catch_up_cap) + " periods";
    case MissedBecause::kNotNewest:
      break;
  }
  return std::string(kMissedPrefix) + "; caught up once with the latest " +
         (period.group.empty() ? std::string("run") : period.group + " period") +
         " (missed_runs: once)";
}

ScheduleFiring PlanFiring(const ScheduleKindHook& hook, const DueSchedule& schedule, UnixMs now,
                          const SchedulerOptions& options, const std::string& cannot_start) {
  ScheduleFiring firing;
  firing.kind = hook.Kind();
  firing.schedule_table = hook.ScheduleTable();
  firing.enabled_column = hook.EnabledColumn();
  firing.enabled_value = hook.EnabledValue();
  firing.tenant_id = schedule.tenant_id;
  firing.schedule_id = schedule.id;
  firing.expected_next_run_at = schedule.anchor;
  DuePeriods periods = hook.Periods(schedule, now, options.enumerate_cap);
  firing.new_next_run_at = periods.next_run_at;
  auto missed = ApplyMissedRuns(periods.due, schedule.missed_runs, now, options);
  for (size_t i = 0; i < periods.due.size(); ++i) {
    const DuePeriod& period = periods.due[i];
    ScheduleRun run;
    run.id = NewIdAt("run", now);
    run.tenant_id = schedule.tenant_id;
    run.schedule_id = schedule.id;
    run.trigger = "scheduled";
    run.from_date = period.from_date;
    run.to_date = period.to_date;
    run.created_at = now;
    std::optional<Job> job;
    if (missed[i]) {
      run.status = "missed";
      run.error = hook.MissedReason(*missed[i], period, options.catch_up_cap);
      run.finished_at = now;
      firing.events.push_back(Event{NewIdAt("evt", now), schedule.tenant_id, "schedule.run.missed",
                                    hook.MissedEvent(schedule, period, run.id, run.error), now});
    } else if (!cannot_start.empty()) {
      run.status = "failed";
      run.error = cannot_start;
      run.finished_at = now;
    } else {
      job = NewJob(hook, schedule, period, run.id, now);
      run.job_id = job->id;
      run.status = "pending";
    }
    firing.runs.emplace_back(std::move(run), std::move(job));
  }
  return firing;
}

void ScheduleFirer::Count(const std::vector<ScheduleFiring>& firings,
                          const std::vector<bool>& applied, UnixMs now, int64_t& enqueued) const {
  for (size_t i = 0; i < firings.size() && i < applied.size(); ++i) {
    if (!applied[i]) continue;
    for (const auto& [run, job] : firings[i].runs) enqueued += job ? 1 : 0;
    ProcessMetrics().Observe("rapport_scheduler_lag_seconds",
                             "How late schedules fired after their due time, by report kind.",
                             {{"kind", firings[i].kind}},
                             (now - firings[i].expected_next_run_at) / 1000.0);
  }
}

std::optional<ScheduleFiring> ScheduleFirer::Plan(DueSchedule& schedule, UnixMs now,
                                                  std::set<std::string>& skipped) {
  if (skipped.contains(schedule.id)) return std::nullopt;
  try {
    auto why = source_.CannotStart(schedule);
    if (why.ok()) return PlanFiring(hook_, schedule, now, options_, *why);
  } catch (const std::exception&) {  // unreadable settings: leave it for an operator
  }
  skipped.insert(schedule.id);
  return std::nullopt;
}

Result<bool> ScheduleFirer::FireBatches(std::vector<DueSchedule>& due, UnixMs now,
                                        std::set<std::string>& skipped, int64_t& enqueued) {
  struct InFlight {  // a batch the store is firing on another thread
    std::vector<ScheduleFiring> firings;
    std::future<Result<std::vector<bool>>> applied;  // destroyed first: waits for the store
  };
  std::optional<InFlight> in_flight;
  auto finish = [&]() -> Status {
    if (!in_flight) return Ok{};
    auto applied = in_flight->applied.get();
    if (applied.ok()) Count(in_flight->firings, *applied, now, enqueued);
    in_flight.reset();
    if (!applied.ok()) return applied.error();
    return Ok{};
  };
  std::vector<ScheduleFiring> batch;
  bool any = false;
  for (size_t i = 0; i < due.size(); ++i) {
    if (auto firing = Plan(due[i], now, skipped)) batch.push_back(std::move(*firing));
    if (static_cast<int>(batch.size()) < options_.batch || i + 1 == due.size()) continue;
    RAPPORT_CHECK(finish());
    any = true;
    in_flight.emplace();
    in_flight->firings = std::move(batch);
    batch.clear();
    // With no thread to spare (resource_unavailable_try_again) the batch is fired at get().
    in_flight->applied =
        std::async(std::launch::async | std::launch::deferred,
                   [this, f = &in_flight->firings] { return runs_.FireSchedules(*f); });
  }
  RAPPORT_CHECK(finish());
  if (batch.empty()) return any;
  RAPPORT_TRY(std::vector<bool> applied, runs_.FireSchedules(batch));
  Count(batch, applied, now, enqueued);
  return true;
}

Result<int64_t> ScheduleFirer::Tick() {
  int64_t enqueued = 0;
  std::set<std::string> skipped;  // schedules that could not be planned, left until the next tick
  const int read = options_.batch * std::max(1, options_.batches_per_read);
  for (;;) {
    UnixMs now = clock_.NowMs();
    RAPPORT_TRY(std::vector<DueSchedule> due, source_.Due(now, read));
    RAPPORT_TRY(bool fired, FireBatches(due, now, skipped, enqueued));
    if (!fired || static_cast<int>(due.size()) < read) break;
  }
  return enqueued;
}

}  // namespace rapport
