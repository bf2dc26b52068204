// The firing hook of SLA schedules: their periods are the cadences' report windows (PreviewSla),
// grouped by cadence for missed_runs=once; a period runs an sla_report job. The generic
// ScheduleFirer applies the missed_runs policy and the compare-and-set; a period that cannot start
// (no site matches, business hours deleted) is recorded as failed without retries.
#pragma once

#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/sla/sla_schedule_service.hpp>
#include <rapport/store/interfaces.hpp>

#include <map>

namespace rapport {

// Why a due period cannot start, or empty. `sites` are the tenant's sites.
std::string SlaRunPrecondition(const SlaScheduleSpec& spec, const std::vector<Site>& sites,
                               bool business_hours_exist);

// SLA periods (one per planned run, grouped by cadence), the sla_report job over the period and
// the SLA `schedule.run.missed` payload.
class SlaScheduleHook final : public ScheduleKindHook {
 public:
  std::string Kind() const override { return "sla"; }
  std::string ScheduleTable() const override { return "sla_schedules"; }
  std::string EnabledColumn() const override { return "disabled"; }
  int64_t EnabledValue() const override { return 0; }
  DuePeriods Periods(const DueSchedule& schedule, UnixMs now, int cap) const override;
  ScheduledJob Job(const DueSchedule& schedule, const DuePeriod& period, const std::string& run_id,
                   UnixMs now) const override;
  std::string MissedEvent(const DueSchedule& schedule, const DuePeriod& period,
                          const std::string& run_id, const std::string& reason) const override;
};

// The decision for one due schedule at `now`. `cannot_start` (from SlaRunPrecondition) turns
// every period that would run into a failed run. Throws when the settings are unreadable.
ScheduleFiring PlanSlaFiring(const SlaSchedule& schedule, UnixMs now,
                             const SchedulerOptions& options, const std::string& cannot_start);

// Fires the due SLA schedules through a ScheduleFirer. Not thread-safe (one ticking thread).
class SlaScheduler final : public DueScheduleSource {
 public:
  // `sites` and `hours`: whether a due schedule can start; `runs`: where the firer records its
  // runs and jobs.
  SlaScheduler(SlaScheduleStore& schedules, SiteStore& sites, BusinessHoursStore& hours,
               ScheduleRunStore& runs, const Clock& clock, SchedulerOptions options = {})
      : schedules_(schedules),
        sites_(sites),
        hours_(hours),
        firer_(runs, *this, hook_, clock, options) {}

  // Handles every schedule due now; returns the number of jobs enqueued.
  Result<int64_t> Tick() { return firer_.Tick(); }

  Result<std::vector<DueSchedule>> Due(UnixMs now, int limit) override;
  // SlaRunPrecondition over the tenant's sites (read once per batch). Throws when the settings
  // are unreadable (the firer leaves the schedule for an operator).
  Result<std::string> CannotStart(DueSchedule& schedule) override;

 private:
  SlaScheduleStore& schedules_;
  SiteStore& sites_;
  BusinessHoursStore& hours_;
  std::map<std::string, std::vector<Site>> sites_by_tenant_;  // this batch's
  SlaScheduleHook hook_;
  ScheduleFirer firer_;
};

}  // namespace rapport
