// The scheduler for SLA schedules: finds due schedules, decides per due period whether to run it,
// record it as missed (the schedule's `missed_runs` policy after downtime) or as failed (it
// cannot start), and applies each schedule's decision in one compare-and-set transaction, so two
// schedulers (threads or nodes) sharing a store fire every period exactly once.
#pragma once

#include <rapport/sla/sla_schedule_service.hpp>
#include <rapport/store/store.hpp>

#include <map>

namespace rapport {

struct SchedulerOptions {
  int batch = 500;                 // schedules per transaction
  int64_t grace_ms = 10 * 60'000;  // a period due longer ago than this was missed
  int catch_up_cap = 100;          // missed_runs=all fires at most this many periods
  int enumerate_cap = 1000;        // due periods looked at per schedule and tick
};

// Why a due period cannot start, or empty. `sites` are the tenant's sites.
std::string SlaRunPrecondition(const SlaScheduleSpec& spec, const std::vector<Site>& sites,
                               bool business_hours_exist);

// The decision for one due schedule at `now`. `cannot_start` (from SlaRunPrecondition) turns
// every period that would run into a failed run.
ScheduleFiring PlanSlaFiring(const SlaSchedule& schedule, UnixMs now,
                             const SchedulerOptions& options, const std::string& cannot_start);

class SlaScheduler {
 public:
  SlaScheduler(Store& store, const Clock& clock, SchedulerOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  // Handles every schedule due now; returns the number of jobs enqueued.
  Result<int64_t> Tick();

 private:
  Store& store_;
  const Clock& clock_;
  SchedulerOptions options_;
};

}  // namespace rapport
