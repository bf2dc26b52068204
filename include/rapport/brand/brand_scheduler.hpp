// The firing hook of seed 000's scheduled reports: `frequency` daily | weekly | monthly anchored
// at `next_run_at` (the next is the previous + 1 day / 7 days / 1 calendar month clamped to the
// month's end, so runs never drift). The generic ScheduleFirer applies the missed_runs policy and
// the compare-and-set; a run that cannot start (no facts, nothing to run) is recorded as failed
// without retries.
#pragma once

#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/store/interfaces.hpp>

namespace rapport {

// Brand periods (one a due run, from_date = to_date = its UTC date, one group), the brand_report
// job over the runnable region configs, and the brand wording of missed runs.
class BrandScheduleHook final : public ScheduleKindHook {
 public:
  std::string Kind() const override { return "brand"; }
  std::string ScheduleTable() const override { return "scheduled_reports"; }
  std::string EnabledColumn() const override { return "is_active"; }
  DuePeriods Periods(const DueSchedule& schedule, UnixMs now, int cap) const override;
  ScheduledJob Job(const DueSchedule& schedule, const DuePeriod& period, const std::string& run_id,
                   UnixMs now) const override;
  std::string MissedEvent(const DueSchedule& schedule, const DuePeriod& period,
                          const std::string& run_id, const std::string& reason) const override;
  std::string MissedReason(MissedBecause why, const DuePeriod& period,
                           int catch_up_cap) const override;
};

// The decision for one due schedule at `now`. `cannot_start` non-empty records a failed run;
// otherwise the latest due run enqueues a brand_report job over `region_config_ids`.
// `grace_ms`: a run due longer ago than this was missed (for missed_runs: skip).
ScheduleFiring PlanBrandFiring(const ScheduledReport& schedule, UnixMs now, int64_t grace_ms,
                               const std::string& cannot_start,
                               const std::vector<std::string>& region_config_ids);

// What BrandScheduler uses: the scheduled reports; brands, region configs and prompts to tell
// whether a schedule can start; schedule runs for the firer.
struct BrandSchedulerStores {
  ScheduledReportStore& schedules;
  BrandStore& brands;
  RegionConfigStore& configs;
  PromptStore& prompts;
  ScheduleRunStore& runs;
};

// Fires the due scheduled reports through a ScheduleFirer. Not thread-safe (one ticking thread).
class BrandScheduler final : public DueScheduleSource {
 public:
  BrandScheduler(BrandSchedulerStores stores, const Clock& clock, int64_t grace_ms = 10 * 60'000,
                 int batch = 500)
      : stores_(stores),
        firer_(stores.runs, *this, hook_, clock, {.batch = batch, .grace_ms = grace_ms}) {}
  // Handles every scheduled report due now; returns the number of jobs enqueued.
  Result<int64_t> Tick() { return firer_.Tick(); }

  Result<std::vector<DueSchedule>> Due(UnixMs now, int limit) override;
  // Why the schedule cannot run now (empty when it can); fills the region configs it would run.
  Result<std::string> CannotStart(DueSchedule& schedule) override;

 private:
  BrandSchedulerStores stores_;
  BrandScheduleHook hook_;
  ScheduleFirer firer_;
};

}  // namespace rapport
