#include <rapport/sla/sla_scheduler.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/core/metrics.hpp>
#include <rapport/sla/sla_report.hpp>

#include <boost/json.hpp>

#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

// Every planned run of `cadence` in [from, now], at most `cap`, in time order.
std::vector<PlannedRun> DueRuns(const SlaCadence& cadence, UnixMs from, UnixMs now, int cap) {
  std::vector<PlannedRun> due;
  UnixMs after = from - 1;
  while (static_cast<int>(due.size()) < cap) {
    auto chunk = PreviewSla(cadence, after, 32);
    if (!chunk.ok() || chunk->empty()) break;
    for (auto& run : *chunk) {
      if (run.run_at > now || static_cast<int>(due.size()) >= cap) return due;
      after = run.run_at;
      due.push_back(std::move(run));
    }
  }
  return due;
}

}  // namespace

std::string SlaRunPrecondition(const SlaScheduleSpec& spec, const std::vector<Site>& sites,
                               bool business_hours_exist) {
  if (spec.calculate_sla_within_schedule_hours && !business_hours_exist) {
    return "The schedule's business hours no longer exist";
  }
  if (SelectSites(spec, sites).empty()) return "No site matches the schedule's site selection";
  return "";
}

ScheduleFiring PlanSlaFiring(const SlaSchedule& schedule, UnixMs now,
                             const SchedulerOptions& options, const std::string& cannot_start) {
  SlaScheduleSpec spec = SpecFromJson(schedule.settings);
  SlaCadence cadence = CadenceOf(spec);
  ScheduleFiring firing;
  firing.tenant_id = schedule.tenant_id;
  firing.schedule_id = schedule.id;
  firing.expected_next_run_at = schedule.next_run_at.value_or(0);
  firing.new_next_run_at = NextSlaRunAt(spec, now);

  std::vector<PlannedRun> due =
      DueRuns(cadence, firing.expected_next_run_at, now, options.enumerate_cap);
  // Which periods run: `all` every one (the newest `catch_up_cap`), `once` the newest of each
  // cadence, `skip` only those not late.
  std::vector<bool> runs(due.size(), false);
  std::vector<std::string> why(due.size());
  std::map<std::string, size_t> newest;  // cadence -> index
  for (size_t i = 0; i < due.size(); ++i) newest[due[i].cadence] = i;
  for (size_t i = 0; i < due.size(); ++i) {
    bool late = due[i].run_at < now - options.grace_ms;
    if (spec.missed_runs == "all") {
      runs[i] = due.size() - i <= static_cast<size_t>(options.catch_up_cap);
      if (!runs[i]) {
        why[i] = "Missed while the scheduler was not running; beyond the catch-up cap of " +
                 std::to_string(options.catch_up_cap) + " periods";
      }
    } else if (spec.missed_runs == "skip") {
      runs[i] = !late;
      if (!runs[i]) why[i] = "Missed while the scheduler was not running (missed_runs: skip)";
    } else {
      runs[i] = newest[due[i].cadence] == i;
      if (!runs[i]) {
        why[i] = "Missed while the scheduler was not running; caught up once with the latest " +
                 due[i].cadence + " period (missed_runs: once)";
      }
    }
  }

  for (size_t i = 0; i < due.size(); ++i) {
    const PlannedRun& p = due[i];
    ScheduleRun run;
    run.id = NewIdAt("run", now);
    run.tenant_id = schedule.tenant_id;
    run.schedule_id = schedule.id;
    run.trigger = "scheduled";
    run.from_date = p.from_date;
    run.to_date = p.to_date;
    run.created_at = now;
    std::optional<Job> job;
    if (!runs[i]) {
      run.status = "missed";
      run.error = why[i];
      run.finished_at = now;
      firing.events.push_back(Event{NewIdAt("evt", now), schedule.tenant_id, "schedule.run.missed",
                                    ToJson(json::object{{"schedule_id", schedule.id},
                                                        {"run_id", run.id},
                                                        {"cadence", p.cadence},
                                                        {"due_at", FormatRfc3339(p.run_at)},
                                                        {"from_date", p.from_date},
                                                        {"to_date", p.to_date},
                                                        {"reason", why[i]}}),
                                    now});
    } else if (!cannot_start.empty()) {
      run.status = "failed";
      run.error = cannot_start;
      run.finished_at = now;
    } else {
      Job j;
      j.id = NewIdAt("job", now);
      j.tenant_id = schedule.tenant_id;
      j.kind = std::string(kSlaReportJobKind);
      j.created_at = j.updated_at = j.run_after = now;
      j.step = "queued";
      j.message = "Report is being generated.";
      j.payload = ToJson(json::object{{"schedule_id", schedule.id},
                                      {"run_id", run.id},
                                      {"trigger", "scheduled"},
                                      {"from_date", p.from_date},
                                      {"to_date", p.to_date}});
      run.job_id = j.id;
      run.status = "pending";
      job = std::move(j);
    }
    firing.runs.emplace_back(std::move(run), std::move(job));
  }
  return firing;
}

Result<int64_t> SlaScheduler::Tick() {
  int64_t enqueued = 0;
  std::set<std::string> failed_ids;  // schedules that could not be planned, skipped this tick
  for (;;) {
    UnixMs now = clock_.NowMs();
    RAPPORT_TRY(std::vector<SlaSchedule> due, store_.DueSlaSchedules(now, options_.batch));
    std::map<std::string, std::vector<Site>> sites_by_tenant;
    std::vector<ScheduleFiring> firings;
    for (const auto& schedule : due) {
      if (failed_ids.contains(schedule.id)) continue;
      try {
        SlaScheduleSpec spec = SpecFromJson(schedule.settings);
        auto sites = sites_by_tenant.find(schedule.tenant_id);
        if (sites == sites_by_tenant.end()) {
          RAPPORT_TRY(std::vector<Site> all, store_.AllSites(schedule.tenant_id));
          sites = sites_by_tenant.emplace(schedule.tenant_id, std::move(all)).first;
        }
        bool hours_exist =
            spec.business_hours_id &&
            store_.GetBusinessHours(schedule.tenant_id, *spec.business_hours_id).ok();
        firings.push_back(PlanSlaFiring(schedule, now, options_,
                                        SlaRunPrecondition(spec, sites->second, hours_exist)));
      } catch (const std::exception&) {  // unreadable settings: leave it for an operator
        failed_ids.insert(schedule.id);
      }
    }
    if (firings.empty()) break;
    RAPPORT_TRY(std::vector<bool> applied, store_.FireSchedules(firings));
    for (size_t i = 0; i < firings.size(); ++i) {
      if (!applied[i]) continue;
      for (const auto& [run, job] : firings[i].runs) enqueued += job ? 1 : 0;
      ProcessMetrics().Observe("rapport_scheduler_lag_seconds",
                               "How late schedules fired after their due time, by report kind.",
                               {{"kind", "sla"}}, (now - firings[i].expected_next_run_at) / 1000.0);
    }
    if (static_cast<int>(due.size()) < options_.batch) break;
  }
  return enqueued;
}

}  // namespace rapport
