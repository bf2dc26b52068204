// Retention of reports: a daily job deletes every report past its retention (its schedule's
// `report_retention_days`, else its tenant's default; neither: kept forever) with its PDF and
// what hangs off it, then gives the space back. The job is enqueued once per UTC day for the
// whole deployment: its id is the day's, so a second node's enqueue is a conflict, not a job.
// A deployment where no one sets a retention gets no job.
// This module names no report kind.
#pragma once

#include <rapport/core/json.hpp>
#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>
#include <rapport/store/interfaces.hpp>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace rapport {

// The longest retention a tenant or a schedule may set: a hundred years.
inline constexpr int64_t kMaxRetentionDays = 36'500;

// `report_retention_days` of a request body into `days`: absent leaves it, null clears it, an
// integer 1..kMaxRetentionDays sets it; anything else is a problem named after the field.
void ReadRetentionDays(BodyReader& reader, std::optional<int64_t>& days);
// The `report_retention_days` member of a stored object (nullopt: absent or null).
std::optional<int64_t> RetentionDaysIn(const boost::json::object& o);
// `days` as JSON: the number, or null.
boost::json::value RetentionDaysJson(const std::optional<int64_t>& days);

// The job kind of the daily purge.
inline constexpr const char* kRetentionJobKind = "report_retention";

// What one purge removed from one tenant.
struct TenantPurge {
  std::string tenant_id;
  int64_t reports = 0;
  int64_t artifact_bytes = 0;  // of their PDFs
};

// Thread-safe as the store is; holds references to `store` and `jobs`, which must outlive it.
class ReportRetention {
 public:
  // `batch`: reports read and deleted per transaction.
  ReportRetention(RetentionStore& store, JobQueue& jobs, int batch = 500)
      : store_(store), jobs_(jobs), batch_(batch) {}

  // Deletes every report past its retention as of `now`, a batch per transaction, asking
  // `keep_going(deleted so far)` between batches (false: stop, what is deleted stays deleted),
  // then gives the freed space back (SQLite: incremental vacuum). Returns what went, per tenant
  // in tenant order (tenants that lost nothing are not listed).
  Result<std::vector<TenantPurge>> PurgeExpired(UnixMs now,
                                                const std::function<bool(int64_t)>& keep_going);

  // Enqueues the purge of `now`'s UTC day unless this process or another node already did, or
  // no tenant or schedule sets a retention (asked at most once a minute until one does); cheap
  // when called often (an in-memory check until the day changes). Returns whether this call
  // enqueued it.
  Result<bool> EnqueueDaily(UnixMs now);

  // The id of the day's job ("job_retentionday20261205…"): the same on every node.
  static std::string DailyJobId(UnixMs now);

 private:
  RetentionStore& store_;
  JobQueue& jobs_;
  int batch_;
  std::mutex mu_;
  std::string enqueued_day_;  // the last day this process saw enqueued
  UnixMs asked_at_ = 0;       // when AnyRetentionSet last answered no
};

}  // namespace rapport
