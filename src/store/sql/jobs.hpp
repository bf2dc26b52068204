// Job queries of the store, as functions over a connection of either backend. Callers open the
// transaction; these run the statements.
#pragma once

#include "sql_db.hpp"

#include <rapport/core/result.hpp>
#include <rapport/store/records.hpp>

namespace rapport::sql::jobs {

void Insert(Connection& c, const Job& job);
int64_t CountUnfinished(Connection& c, const std::string& tenant_id);
// Leases up to `count` due pending jobs to `owner`, oldest first.
std::vector<Job> Claim(Connection& c, const std::string& owner, UnixMs now, LeaseTerm lease,
                       int count);
// Extends the lease `owner` holds; nullopt when it holds none, else whether cancel was requested.
std::optional<bool> Renew(Connection& c, const std::string& job_id, const std::string& owner,
                          UnixMs now, LeaseTerm lease);
// See JobQueue::RunJobBatch; the caller opens the transaction (SQLite) or none (PostgreSQL: two
// statements, each its own transaction: the outcomes, then the claim).
JobBatchResult Batch(Connection& c, const JobBatch& batch);
// See JobQueue::RecoverLostJobs.
int64_t RecoverLost(Connection& c, UnixMs now, UnixMs lease_now, const LostJobPolicy& policy);
// Returns nullopt when `worker_id` does not hold the lease, else whether cancel was requested.
std::optional<bool> Heartbeat(Connection& c, const std::string& job_id,
                              const std::string& worker_id, const JobProgress& progress, UnixMs now,
                              LeaseTerm lease);
// Moves a job held by `worker_id` to `status`; returns the job's tenant, or nullopt when the
// worker does not hold it.
std::optional<std::string> Finish(Connection& c, const std::string& job_id,
                                  const std::string& worker_id, JobStatus status,
                                  const std::string& result, UnixMs now);
bool Retry(Connection& c, const std::string& job_id, const std::string& worker_id,
           const std::string& error_result, UnixMs retry_at, UnixMs now);
bool Release(Connection& c, const std::string& job_id, const std::string& worker_id, UnixMs now);
void InsertArtifacts(Connection& c, const std::string& job_id, const std::string& tenant_id,
                     const std::vector<Artifact>& artifacts, UnixMs now);
std::optional<Job> Get(Connection& c, const std::string& tenant_id, const std::string& id);
Page<Job> List(Connection& c, const std::string& tenant_id, std::optional<JobStatus> status,
               const PageRequest& page);
std::vector<Artifact> Artifacts(Connection& c, const std::string& tenant_id,
                                const std::string& job_id);
// Pending -> cancelled; processing -> cancel requested. Returns the job after the change.
std::optional<Job> RequestCancel(Connection& c, const std::string& tenant_id, const std::string& id,
                                 UnixMs now);
int64_t PurgeFinished(Connection& c, UnixMs cutoff);

}  // namespace rapport::sql::jobs
