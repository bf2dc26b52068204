#include "jobs.hpp"

namespace rapport::sql::jobs {
namespace {

#define JOB_COLUMNS                                                                           \
  "id, tenant_id, kind, payload, status, step, message, completed, total, result, attempts, " \
  "max_attempts, cancel_requested, lease_owner, lease_expires_at, run_after, created_at, "    \
  "started_at, updated_at, finished_at"

Job ReadJob(const Statement& s) {
  Job j;
  j.id = s.Text(0);
  j.tenant_id = s.Text(1);
  j.kind = s.Text(2);
  j.payload = s.Text(3);
  j.status = ParseJobStatus(s.Text(4)).value_or(JobStatus::kFailed);
  j.step = s.Text(5);
  j.message = s.Text(6);
  j.completed = s.Int(7);
  j.total = s.Int(8);
  j.result = s.Text(9);
  j.attempts = s.Int(10);
  j.max_attempts = s.Int(11);
  j.cancel_requested = s.Int(12) != 0;
  j.lease_owner = s.Text(13);
  j.lease_expires_at = s.Int(14);
  j.run_after = s.Int(15);
  j.created_at = s.Int(16);
  j.started_at = s.OptionalInt(17);
  j.updated_at = s.Int(18);
  j.finished_at = s.OptionalInt(19);
  return j;
}

std::optional<Job> GetById(Connection& c, const std::string& id) {
  auto q = c.Prepare("SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?");
  q.Bind(1, id);
  if (!q.Step()) return std::nullopt;
  return ReadJob(q);
}

}  // namespace

void Insert(Connection& c, const Job& j) {
  c.Prepare(
       "INSERT INTO jobs (id, tenant_id, kind, payload, status, step, message, completed, total, "
       "result, attempts, max_attempts, run_after, created_at, updated_at, request_key) "
       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, ?)")
      .Bind(1, j.id)
      .Bind(2, j.tenant_id)
      .Bind(3, j.kind)
      .Bind(4, j.payload)
      .Bind(5, JobStatusName(j.status))
      .Bind(6, j.step)
      .Bind(7, j.message)
      .Bind(8, j.completed)
      .Bind(9, j.total)
      .Bind(10, j.max_attempts)
      .Bind(11, j.run_after)
      .Bind(12, j.created_at)
      .Bind(13, j.updated_at)
      .Bind(14, j.request_key.empty() ? std::nullopt : std::optional<std::string>(j.request_key))
      .Run();
}

int64_t CountUnfinished(Connection& c, const std::string& tenant_id) {
  auto q = c.Prepare(
      "SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'processing') "
      "AND kind NOT IN ('webhook_delivery', 'email_delivery') "
      "AND (?1 = '' OR tenant_id = ?1)");
  q.Bind(1, tenant_id);
  q.Step();
  return q.Int(0);
}

std::optional<Job> Claim(Connection& c, const std::string& worker_id, UnixMs now, LeaseTerm lease) {
  // A job whose worker died as often as it may be attempted is failed, not run again.
  c.Prepare(
       "UPDATE jobs SET status = 'failed', message = 'worker lost', lease_owner = NULL, "
       "result = '{\"error\":{\"code\":\"worker_lost\",\"message\":\"The job''s worker "
       "stopped responding ' || attempts || ' times; giving up\"}}', "
       "finished_at = ?1, updated_at = ?1 "
       "WHERE status = 'processing' AND lease_expires_at < ?2 AND attempts >= max_attempts")
      .Bind(1, now)
      .Bind(2, lease.now)
      .Run();
  // Then one statement picks and leases the next job: one whose lease expired (its worker
  // died; first, so that a backlog cannot starve it), else the pending one due longest. Each
  // subquery reads an index (an OR of both would scan the table) and COALESCE evaluates the
  // second only when the first finds nothing. PostgreSQL: several nodes claim at once; each
  // skips the rows another is claiming, and no transaction is needed around it.
  auto q = c.Prepare(
      c.Pick("UPDATE jobs SET status = 'processing', lease_owner = ?2, lease_expires_at = ?3, "
             "attempts = attempts + 1, started_at = COALESCE(started_at, ?1), updated_at = ?1 "
             "WHERE id = COALESCE("
             "(SELECT id FROM jobs WHERE status = 'processing' AND lease_expires_at < ?4 "
             "ORDER BY lease_expires_at LIMIT 1), "
             "(SELECT id FROM jobs WHERE status = 'pending' AND run_after <= ?1 "
             "ORDER BY run_after, id LIMIT 1)) RETURNING " JOB_COLUMNS,
             "UPDATE jobs SET status = 'processing', lease_owner = ?2, lease_expires_at = ?3, "
             "attempts = attempts + 1, started_at = COALESCE(started_at, ?1), updated_at = ?1 "
             "WHERE id = COALESCE("
             "(SELECT id FROM jobs WHERE status = 'processing' AND lease_expires_at < ?4 "
             "ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED), "
             "(SELECT id FROM jobs WHERE status = 'pending' AND run_after <= ?1 "
             "ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)) RETURNING " JOB_COLUMNS));
  q.Bind(1, now).Bind(2, worker_id).Bind(3, lease.now + lease.ms).Bind(4, lease.now);
  if (!q.Step()) return std::nullopt;
  return ReadJob(q);
}

std::optional<bool> Heartbeat(Connection& c, const std::string& job_id,
                              const std::string& worker_id, const JobProgress& p, UnixMs now,
                              LeaseTerm lease) {
  auto q = c.Prepare(
      "UPDATE jobs SET lease_expires_at = ?1, step = ?2, message = ?3, completed = ?4, "
      "total = ?5, updated_at = ?6 WHERE id = ?7 AND lease_owner = ?8 AND status = 'processing' "
      "RETURNING cancel_requested");
  q.Bind(1, lease.now + lease.ms).Bind(2, p.step).Bind(3, p.message).Bind(4, p.completed);
  q.Bind(5, p.total).Bind(6, now).Bind(7, job_id).Bind(8, worker_id);
  if (!q.Step()) return std::nullopt;
  return q.Int(0) != 0;
}

std::optional<std::string> Finish(Connection& c, const std::string& job_id,
                                  const std::string& worker_id, JobStatus status,
                                  const std::string& result, UnixMs now) {
  auto q = c.Prepare(
      "UPDATE jobs SET status = ?1, result = ?2, lease_owner = NULL, finished_at = ?3, "
      "updated_at = ?3, completed = CASE WHEN ?1 = 'completed' THEN total ELSE "
      "completed END WHERE id = ?4 AND lease_owner = ?5 AND status = 'processing' "
      "RETURNING tenant_id");
  q.Bind(1, JobStatusName(status)).Bind(2, result).Bind(3, now).Bind(4, job_id).Bind(5, worker_id);
  if (!q.Step()) return std::nullopt;
  return q.Text(0);
}

bool Retry(Connection& c, const std::string& job_id, const std::string& worker_id,
           const std::string& error_result, UnixMs retry_at, UnixMs now) {
  return c.Prepare(
              "UPDATE jobs SET status = 'pending', result = ?1, lease_owner = NULL, "
              "run_after = ?2, updated_at = ?3, message = 'retrying after a transient error' "
              "WHERE id = ?4 AND lease_owner = ?5 AND status = 'processing'")
             .Bind(1, error_result)
             .Bind(2, retry_at)
             .Bind(3, now)
             .Bind(4, job_id)
             .Bind(5, worker_id)
             .Run() > 0;
}

bool Release(Connection& c, const std::string& job_id, const std::string& worker_id, UnixMs now) {
  return c.Prepare(
              "UPDATE jobs SET status = 'pending', lease_owner = NULL, run_after = ?1, "
              "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = ?1 "
              "WHERE id = ?2 AND lease_owner = ?3 AND status = 'processing'")
             .Bind(1, now)
             .Bind(2, job_id)
             .Bind(3, worker_id)
             .Run() > 0;
}

void InsertArtifacts(Connection& c, const std::string& job_id, const std::string& tenant_id,
                     const std::vector<Artifact>& artifacts, UnixMs now) {
  for (const auto& a : artifacts) {
    c.Prepare(
         "INSERT INTO artifacts (job_id, name, tenant_id, content_type, bytes, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
        .Bind(1, job_id)
        .Bind(2, a.name)
        .Bind(3, tenant_id)
        .Bind(4, a.content_type)
        .BindBlob(5, a.bytes)
        .Bind(6, now)
        .Run();
  }
}

std::optional<Job> Get(Connection& c, const std::string& tenant_id, const std::string& id) {
  auto job = GetById(c, id);
  if (!job || job->tenant_id != tenant_id) return std::nullopt;
  return job;
}

Page<Job> List(Connection& c, const std::string& tenant_id, std::optional<JobStatus> status,
               const PageRequest& page) {
  auto q = c.Prepare("SELECT " JOB_COLUMNS
                     " FROM jobs WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) "
                     "AND (status = ?3 OR ?3 IS NULL) ORDER BY id DESC LIMIT ?4");
  q.Bind(1, tenant_id).Bind(2, page.after_id);
  if (status) {
    q.Bind(3, JobStatusName(*status));
  } else {
    q.BindNull(3);
  }
  q.Bind(4, int64_t{page.limit} + 1);
  Page<Job> out;
  while (q.Step()) out.items.push_back(ReadJob(q));
  if (out.items.size() > static_cast<size_t>(page.limit)) {
    out.items.pop_back();
    out.has_more = true;
  }
  return out;
}

std::vector<Artifact> Artifacts(Connection& c, const std::string& tenant_id,
                                const std::string& job_id) {
  auto q = c.Prepare(
      "SELECT name, content_type, bytes FROM artifacts WHERE tenant_id = ? AND job_id = ? "
      "ORDER BY name");
  q.Bind(1, tenant_id).Bind(2, job_id);
  std::vector<Artifact> out;
  while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Blob(2)});
  return out;
}

std::optional<Job> RequestCancel(Connection& c, const std::string& tenant_id, const std::string& id,
                                 UnixMs now) {
  auto job = Get(c, tenant_id, id);
  if (!job) return std::nullopt;
  if (job->status == JobStatus::kPending) {
    c.Prepare(
         "UPDATE jobs SET status = 'cancelled', finished_at = ?1, updated_at = ?1, "
         "cancel_requested = 1, message = 'cancelled before it started', "
         "result = '{\"cancelled\":true}' WHERE id = ?2")
        .Bind(1, now)
        .Bind(2, id)
        .Run();
  } else if (job->status == JobStatus::kProcessing) {
    c.Prepare("UPDATE jobs SET cancel_requested = 1, updated_at = ?1 WHERE id = ?2")
        .Bind(1, now)
        .Bind(2, id)
        .Run();
  }
  return GetById(c, id);
}

int64_t PurgeFinished(Connection& c, UnixMs cutoff) {
  return c.Prepare("DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?")
      .Bind(1, cutoff)
      .Run();
}

}  // namespace rapport::sql::jobs
