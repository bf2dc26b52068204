// The schedule firer, one for every report kind: finds a kind's due schedules, decides per due
// period whether to run it, record it as missed (the schedule's `missed_runs` policy after
// downtime) or as failed (it cannot start), and applies each schedule's decision in one
// compare-and-set transaction (ScheduleRunStore::FireSchedules), so two firers (threads or nodes)
// sharing a store fire every period exactly once. A kind plugs in with two small objects: a
// ScheduleKindHook (its periods, job and missed-run event; pure) and a DueScheduleSource (its due
// schedules and whether one can start; reads its store).
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>
#include <rapport/store/interfaces.hpp>

#include <any>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rapport {

struct SchedulerOptions {
  int batch = 2000;                // schedules per transaction (a few thousand rows)
  int64_t grace_ms = 10 * 60'000;  // a period due longer ago than this was missed
  int catch_up_cap = 100;          // missed_runs=all fires at most this many periods
  int enumerate_cap = 1000;        // due periods looked at per schedule and tick
  // Batches of due schedules read at once; above 1, while the store fires one batch (on a thread
  // of its own) the firer plans the next. 1 by default: on 2 cores, 4 made a PostgreSQL tick of
  // 100,000 schedules ~7% faster when the machine was quiet but slower under load (the threads
  // compete with the database for the cores), and SQLite no faster for ~10% more CPU.
  int batches_per_read = 1;
};

// One due schedule of some kind, as the firer sees it.
struct DueSchedule {
  std::string tenant_id;
  std::string id;
  UnixMs anchor = 0;                 // next_run_at the compare-and-set expects
  std::string missed_runs = "once";  // skip | once | all (anything else: once)
  std::any data;                     // the kind's own: its schedule record, parsed settings, …
};

// One period of a schedule that is due: a run row each.
struct DuePeriod {
  UnixMs run_at = 0;
  std::string from_date;  // YYYY-MM-DD
  std::string to_date;    // YYYY-MM-DD
  std::string group;      // missed_runs=once runs the newest period of each group ("" = one group)
};

// The due periods of a schedule, in time order, and when it runs next (the first run after now;
// nullopt: never).
struct DuePeriods {
  std::vector<DuePeriod> due;
  std::optional<UnixMs> next_run_at;
};

// The job a period that runs enqueues.
struct ScheduledJob {
  std::string kind;
  std::string message;  // the job's first progress message
  std::string payload;  // JSON
};

// Why a period did not run.
enum class MissedBecause {
  kLate,              // missed_runs=skip: due longer ago than the grace
  kBeyondCatchUpCap,  // missed_runs=all: older than the newest `catch_up_cap` periods
  kNotNewest,         // missed_runs=once: not the newest of its group
};

// What a report kind says about firing one of its schedules. Pure: no store, no clock. Must be
// safe to call from the firer's thread.
class ScheduleKindHook {
 public:
  virtual ~ScheduleKindHook() = default;

  // The kind's name: ScheduleFiring::kind and the lag metric's `kind` label.
  virtual std::string Kind() const = 0;
  // The kind's schedule table, whose rows have tenant_id, id and next_run_at: the store advances
  // next_run_at there with a compare-and-set (ScheduleFiring::schedule_table). A plain SQL name,
  // [a-z_][a-z0-9_]* (else FireSchedules fails with kInternal).
  virtual std::string ScheduleTable() const = 0;
  // The column of ScheduleTable() that says whether a schedule may fire, and its value when it
  // may ("" for none): the compare-and-set advances only a schedule still enabled, so one disabled
  // while the firer was planning does not fire. A plain SQL name.
  virtual std::string EnabledColumn() const { return ""; }
  virtual int64_t EnabledValue() const { return 1; }
  // The periods of `schedule` due from its anchor up to `now` (at most `cap`, the oldest first)
  // and its next run after `now`.
  virtual DuePeriods Periods(const DueSchedule& schedule, UnixMs now, int cap) const = 0;
  // The job that runs `period` as run `run_id`.
  virtual ScheduledJob Job(const DueSchedule& schedule, const DuePeriod& period,
                           const std::string& run_id, UnixMs now) const = 0;
  // The JSON payload of the `schedule.run.missed` event of run `run_id`.
  virtual std::string MissedEvent(const DueSchedule& schedule, const DuePeriod& period,
                                  const std::string& run_id, const std::string& reason) const = 0;
  // The reason recorded on a missed run. The default names the policy, the cap and the group.
  virtual std::string MissedReason(MissedBecause why, const DuePeriod& period,
                                   int catch_up_cap) const;
};

// Where a report kind's due schedules come from. Called from the firer's thread only.
class DueScheduleSource {
 public:
  virtual ~DueScheduleSource() = default;

  // At most `limit` schedules with next_run_at <= now, the oldest first.
  virtual Result<std::vector<DueSchedule>> Due(UnixMs now, int limit) = 0;
  // Why `schedule` cannot start now (its runs are recorded failed, without jobs), or empty. May
  // fill `schedule.data` (and `missed_runs`) with what planning needs. An error or an exception
  // (unreadable settings) skips the schedule until the next Tick.
  virtual Result<std::string> CannotStart(DueSchedule& schedule) = 0;
};

// Unfinished report jobs a kind accepts before answering 503 (jobs.queue_per_tenant,
// jobs.queue_total).
struct QueueLimits {
  int64_t per_tenant = 100;
  int64_t total = 1000;
};

// Room in the queue for one more report job of `tenant_id` (limits as jobs.queue_per_tenant and
// jobs.queue_total); else 503 with retry_after, naming which limit was reached.
Status CheckQueueRoom(JobQueue& queue, const std::string& tenant_id, int64_t per_tenant,
                      int64_t total);

// A job of `spec.kind` queued now (its payload is the caller's), the one place a job is shaped.
Job NewQueuedJob(const std::string& tenant_id, const ScheduledJob& spec, UnixMs now);

// An on-demand run of `schedule_id` over [from_date, to_date] and its queued job, not yet stored
// (ScheduleRunStore::EnqueueScheduleRun stores both); `spec.payload` is left for the caller, who
// names the run in it. `request_key`: the Idempotency-Key of the request that asked for it.
std::pair<ScheduleRun, Job> NewOnDemandRun(const std::string& tenant_id,
                                           const std::string& schedule_id, const ScheduledJob& spec,
                                           const std::string& from_date, const std::string& to_date,
                                           const std::string& request_key, UnixMs now);

// The decision for one due schedule at `now`: run rows (missed, failed with `cannot_start`, or
// pending with a job), their missed events, and the compare-and-set values.
ScheduleFiring PlanFiring(const ScheduleKindHook& hook, const DueSchedule& schedule, UnixMs now,
                          const SchedulerOptions& options, const std::string& cannot_start);

// Fires one kind's due schedules. Not thread-safe: one thread calls Tick; references must outlive
// the firer.
class ScheduleFirer {
 public:
  ScheduleFirer(ScheduleRunStore& runs, DueScheduleSource& source, const ScheduleKindHook& hook,
                const Clock& clock, SchedulerOptions options = {})
      : runs_(runs), source_(source), hook_(hook), clock_(clock), options_(options) {}

  // Handles every schedule due now, `options.batch` per transaction; returns the number of jobs
  // enqueued. Errors: those of Due and FireSchedules (the batches before stay applied). With
  // batches_per_read > 1 the store's FireSchedules runs on a second thread while the next batch is
  // planned (one batch at a time in the store), so the store must allow a call from another thread.
  Result<int64_t> Tick();

 private:
  // `schedule`'s firing, or nullopt when it is in `skipped` or cannot be planned (then added).
  std::optional<ScheduleFiring> Plan(DueSchedule& schedule, UnixMs now,
                                     std::set<std::string>& skipped);
  // Plans and fires `due` in batches, adding the jobs enqueued; false when nothing was fired.
  Result<bool> FireBatches(std::vector<DueSchedule>& due, UnixMs now,
                           std::set<std::string>& skipped, int64_t& enqueued);
  // Adds the jobs of the applied firings to `enqueued` and observes their lag.
  void Count(const std::vector<ScheduleFiring>& firings, const std::vector<bool>& applied,
             UnixMs now, int64_t& enqueued) const;

  ScheduleRunStore& runs_;
  DueScheduleSource& source_;
  const ScheduleKindHook& hook_;
  const Clock& clock_;
  SchedulerOptions options_;
};

}  // namespace rapport
