#include "pg_jobs.hpp"

namespace rapport::pg::jobs {
namespace {

#define JOB_COLUMNS                                                                           \
  "id, tenant_id, kind, payload, status, step, message, completed, total, result, attempts, " \
  "max_attempts, cancel_requested, lease_owner, lease_expires_at, run_after, created_at, "    \
  "started_at, updated_at, finished_at"

Job ReadJob(const Rows& r, int i) {
  Job j;
  j.id = r.Text(i, 0);
  j.tenant_id = r.Text(i, 1);
  j.kind = r.Text(i, 2);
  j.payload = r.Text(i, 3);
  j.status = ParseJobStatus(r.Text(i, 4)).value_or(JobStatus::kFailed);
  j.step = r.Text(i, 5);
  j.message = r.Text(i, 6);
  j.completed = r.Int(i, 7);
  j.total = r.Int(i, 8);
  j.result = r.Text(i, 9);
  j.attempts = r.Int(i, 10);
  j.max_attempts = r.Int(i, 11);
  j.cancel_requested = r.Text(i, 12) == "t";
  j.lease_owner = r.Text(i, 13);
  j.lease_expires_at = r.Int(i, 14);
  j.run_after = r.Int(i, 15);
  j.created_at = r.Int(i, 16);
  j.started_at = r.OptionalInt(i, 17);
  j.updated_at = r.Int(i, 18);
  j.finished_at = r.OptionalInt(i, 19);
  return j;
}

}  // namespace

void Insert(Connection& c, const Job& j) {
  c.Exec(
      "INSERT INTO jobs (id, tenant_id, kind, payload, status, step, message, completed, total, "
      "result, attempts, max_attempts, run_after, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0, $10, $11, $12, $13)",
      {P(j.id), P(j.tenant_id), P(j.kind), P(j.payload), P(std::string(JobStatusName(j.status))),
       P(j.step), P(j.message), P(j.completed), P(j.total), P(j.max_attempts), P(j.run_after),
       P(j.created_at), P(j.updated_at)});
}

std::optional<Job> Claim(Connection& c, const std::string& worker_id, UnixMs now,
                         int64_t lease_ms) {
  for (;;) {
    Rows next = c.Exec("SELECT " JOB_COLUMNS
                       " FROM jobs WHERE (status = 'pending' AND run_after <= $1) "
                       "OR (status = 'processing' AND lease_expires_at < $1) "
                       "ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                       {P(now)});
    if (next.size() == 0) return std::nullopt;
    Job job = ReadJob(next, 0);
    if (job.status == JobStatus::kProcessing && job.attempts >= job.max_attempts) {
      std::string result = R"({"error":{"code":"worker_lost","message":"The job's worker )"
                           R"(stopped responding )" +
                           std::to_string(job.attempts) + R"( times; giving up"}})";
      c.Exec(
          "UPDATE jobs SET status = 'failed', result = $1, message = 'worker lost', "
          "lease_owner = NULL, finished_at = $2, updated_at = $2 WHERE id = $3",
          {P(result), P(now), P(job.id)});
      continue;
    }
    Rows claimed = c.Exec(
        "UPDATE jobs SET status = 'processing', lease_owner = $1, lease_expires_at = $2, "
        "attempts = attempts + 1, started_at = COALESCE(started_at, $3), updated_at = $3 "
        "WHERE id = $4 RETURNING " JOB_COLUMNS,
        {P(worker_id), P(now + lease_ms), P(now), P(job.id)});
    return ReadJob(claimed, 0);
  }
}

std::optional<bool> Heartbeat(Connection& c, const std::string& job_id,
                              const std::string& worker_id, const JobProgress& p, UnixMs now,
                              int64_t lease_ms) {
  Rows r = c.Exec(
      "UPDATE jobs SET lease_expires_at = $1, step = $2, message = $3, completed = $4, "
      "total = $5, updated_at = $6 WHERE id = $7 AND lease_owner = $8 AND status = 'processing' "
      "RETURNING cancel_requested",
      {P(now + lease_ms), P(p.step), P(p.message), P(p.completed), P(p.total), P(now), P(job_id),
       P(worker_id)});
  if (r.size() == 0) return std::nullopt;
  return r.Text(0, 0) == "t";
}

bool Finish(Connection& c, const std::string& job_id, const std::string& worker_id,
            JobStatus status, const std::string& result, UnixMs now) {
  return c.Exec(
              "UPDATE jobs SET status = $1, result = $2, lease_owner = NULL, finished_at = $3, "
              "updated_at = $3, completed = CASE WHEN $1 = 'completed' THEN total ELSE "
              "completed END WHERE id = $4 AND lease_owner = $5 AND status = 'processing'",
              {P(std::string(JobStatusName(status))), P(result), P(now), P(job_id), P(worker_id)})
             .affected() > 0;
}

bool Retry(Connection& c, const std::string& job_id, const std::string& worker_id,
           const std::string& error_result, UnixMs retry_at, UnixMs now) {
  return c.Exec(
              "UPDATE jobs SET status = 'pending', result = $1, lease_owner = NULL, "
              "run_after = $2, updated_at = $3, message = 'retrying after a transient error' "
              "WHERE id = $4 AND lease_owner = $5 AND status = 'processing'",
              {P(error_result), P(retry_at), P(now), P(job_id), P(worker_id)})
             .affected() > 0;
}

std::optional<Job> Get(Connection& c, const std::string& id) {
  Rows r = c.Exec("SELECT " JOB_COLUMNS " FROM jobs WHERE id = $1", {P(id)});
  if (r.size() == 0) return std::nullopt;
  return ReadJob(r, 0);
}

}  // namespace rapport::pg::jobs
