// The scheduler for seed 000's scheduled reports: `frequency` daily | weekly | monthly anchored
// at `next_run_at` (the next is the previous + 1 day / 7 days / 1 calendar month clamped to the
// month's end, so runs never drift). A due schedule fires once for its latest due run (missed
// ones after downtime are recorded as missed, per the schedule's missed_runs); a run that cannot
// start (no facts, nothing to run) is recorded as failed without retries. Same compare-and-set
// transaction as SLA schedules.
#pragma once

#include <rapport/store/store.hpp>

namespace rapport {

// The decision for one due schedule at `now`. `cannot_start` non-empty records a failed run;
// otherwise the latest due run enqueues a brand_report job over `region_config_ids`.
// `grace_ms`: a run due longer ago than this was missed (for missed_runs: skip).
ScheduleFiring PlanBrandFiring(const ScheduledReport& schedule, UnixMs now, int64_t grace_ms,
                               const std::string& cannot_start,
                               const std::vector<std::string>& region_config_ids);

class BrandScheduler {
 public:
  BrandScheduler(Store& store, const Clock& clock, int64_t grace_ms = 10 * 60'000, int batch = 500)
      : store_(store), clock_(clock), grace_ms_(grace_ms), batch_(batch) {}
  // Handles every scheduled report due now; returns the number of jobs enqueued.
  Result<int64_t> Tick();

 private:
  // Why the schedule cannot run now (empty when it can) and what it would run.
  Result<std::string> Precondition(const ScheduledReport& s, std::vector<std::string>& configs);

  Store& store_;
  const Clock& clock_;
  int64_t grace_ms_;
  int batch_;
};

}  // namespace rapport
