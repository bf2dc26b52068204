#include <rapport/jobs/schedule_firer.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/metrics.hpp>

#include <boost/json.hpp>

#include <map>
#include <set>

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

Result<int64_t> ScheduleFirer::Tick() {
  int64_t enqueued = 0;
  std::set<std::string> skipped;  // schedules that could not be planned, left until the next tick
  for (;;) {
    UnixMs now = clock_.NowMs();
    RAPPORT_TRY(std::vector<DueSchedule> due, source_.Due(now, options_.batch));
    std::vector<ScheduleFiring> firings;
    for (auto& schedule : due) {
      if (skipped.contains(schedule.id)) continue;
      try {
        auto why = source_.CannotStart(schedule);
        if (!why.ok()) {
          skipped.insert(schedule.id);
          continue;
        }
        firings.push_back(PlanFiring(hook_, schedule, now, options_, *why));
      } catch (const std::exception&) {  // unreadable settings: leave it for an operator
        skipped.insert(schedule.id);
      }
    }
    if (firings.empty()) break;
    RAPPORT_TRY(std::vector<bool> applied, runs_.FireSchedules(firings));
    for (size_t i = 0; i < firings.size(); ++i) {
      if (!applied[i]) continue;
      for (const auto& [run, job] : firings[i].runs) enqueued += job ? 1 : 0;
      ProcessMetrics().Observe("rapport_scheduler_lag_seconds",
                               "How late schedules fired after their due time, by report kind.",
                               {{"kind", firings[i].kind}},
                               (now - firings[i].expected_next_run_at) / 1000.0);
    }
    if (static_cast<int>(due.size()) < options_.batch) break;
  }
  return enqueued;
}

}  // namespace rapport
