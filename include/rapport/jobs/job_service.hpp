// Jobs as the API shows them: a tenant's jobs within the retention, cancellation, and the queue
// figures /metrics exports.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <map>
#include <optional>

namespace rapport {

// Thread-safe as the store is; holds a reference to `store`, which must outlive it.
class JobService {
 public:
  // `retention_ms`: a job finished longer ago than that is gone (404), even before the janitor
  // deletes it.
  JobService(JobQueue& store, int64_t retention_ms) : store_(store), retention_ms_(retention_ms) {}

  // The tenant's job `id` as of `now`; kNotFound for a malformed id, another tenant's job or one
  // past the retention.
  Result<Job> Get(const std::string& tenant_id, const std::string& id, UnixMs now);
  // The tenant's jobs (of `status`, if set), newest first, those past the retention left out of
  // the page.
  Result<Page<Job>> List(const std::string& tenant_id, std::optional<JobStatus> status,
                         const PageRequest& page, UnixMs now);
  // Cancels the tenant's job `id` (one Get returned): a pending one at once, a processing one at
  // its worker's next step; a finished one stays as it is. Returns the job after the request.
  Result<Job> Cancel(const std::string& tenant_id, const std::string& id, UnixMs now);

  // Number of jobs in each status; when the pending job that has waited longest became due
  // (nullopt: none is due).
  Result<std::map<std::string, int64_t>> CountByStatus();
  Result<std::optional<UnixMs>> OldestDueAt(UnixMs now);

 private:
  bool Expired(const Job& job, UnixMs now) const {
    return job.finished_at && *job.finished_at < now - retention_ms_;
  }
  JobQueue& store_;
  int64_t retention_ms_;
};

}  // namespace rapport
