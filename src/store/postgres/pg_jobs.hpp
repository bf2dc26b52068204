// Job queries of the PostgreSQL store (issue 8, in progress). Callers open the transaction; a
// claim locks its row with FOR UPDATE SKIP LOCKED, so workers on several nodes never claim the
// same job and never wait on each other.
#pragma once

#include "pg_db.hpp"

#include <rapport/store/records.hpp>

namespace rapport::pg::jobs {

void Insert(Connection& c, const Job& job);
// The next runnable job (pending and due, or processing with an expired lease), now leased to
// `worker_id`; a job whose lease expired with no attempt left is failed ("worker_lost") and the
// next one is tried. nullopt when none is runnable or every runnable one is locked by another
// claimer.
std::optional<Job> Claim(Connection& c, const std::string& worker_id, UnixMs now, int64_t lease_ms);
// Returns nullopt when `worker_id` does not hold the lease, else whether cancel was requested.
std::optional<bool> Heartbeat(Connection& c, const std::string& job_id,
                              const std::string& worker_id, const JobProgress& progress, UnixMs now,
                              int64_t lease_ms);
// Moves a job held by `worker_id` to `status`; false when the worker does not hold it.
bool Finish(Connection& c, const std::string& job_id, const std::string& worker_id,
            JobStatus status, const std::string& result, UnixMs now);
bool Retry(Connection& c, const std::string& job_id, const std::string& worker_id,
           const std::string& error_result, UnixMs retry_at, UnixMs now);
std::optional<Job> Get(Connection& c, const std::string& id);

}  // namespace rapport::pg::jobs
