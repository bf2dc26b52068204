#include "jobs.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace rapport::sql::jobs {
namespace {

namespace json = boost::json;

constexpr const char* kCancelledResult = R"({"cancelled":true})";
constexpr const char* kRetryMessage = "retrying after a transient error";

#define JOB_COLUMNS                                                                           \
  "id, tenant_id, kind, payload, status, step, message, completed, total, result, attempts, " \
  "max_attempts, cancel_requested, lease_owner, lease_expires_at, run_after, created_at, "    \
  "started_at, updated_at, finished_at, lease_losses"

Job ReadJob(const Statement& s, int o = 0) {
  Job j;
  j.id = s.Text(o + 0);
  j.tenant_id = s.Text(o + 1);
  j.kind = s.Text(o + 2);
  j.payload = s.Text(o + 3);
  j.status = ParseJobStatus(s.Text(o + 4)).value_or(JobStatus::kFailed);
  j.step = s.Text(o + 5);
  j.message = s.Text(o + 6);
  j.completed = s.Int(o + 7);
  j.total = s.Int(o + 8);
  j.result = s.Text(o + 9);
  j.attempts = s.Int(o + 10);
  j.max_attempts = s.Int(o + 11);
  j.cancel_requested = s.Int(o + 12) != 0;
  j.lease_owner = s.Text(o + 13);
  j.lease_expires_at = s.Int(o + 14);
  j.run_after = s.Int(o + 15);
  j.created_at = s.Int(o + 16);
  j.started_at = s.OptionalInt(o + 17);
  j.updated_at = s.Int(o + 18);
  j.finished_at = s.OptionalInt(o + 19);
  j.lease_losses = s.Int(o + 20);
  return j;
}

std::optional<Job> GetById(Connection& c, const std::string& tenant_id, const std::string& id) {
  auto q = c.Prepare("SELECT " JOB_COLUMNS " FROM jobs WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadJob(q);
}

// RETURNING does not promise an order.
void SortOldestFirst(std::vector<Job>& jobs) {
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return std::tie(a.run_after, a.id) < std::tie(b.run_after, b.id);
  });
}

// SQLite: the batch's statements one after the other, in the caller's transaction (one commit,
// one fsync, for the whole batch).
JobBatchResult BatchStatementwise(Connection& c, const JobBatch& b) {
  JobBatchResult out;
  out.finished.reserve(b.finishes.size());
  for (const auto& f : b.finishes) {
    bool held = false;
    switch (f.end) {
      case JobEnd::kCompleted:
      case JobEnd::kFailed:
        held = Finish(c, f.job_id, b.owner,
                      f.end == JobEnd::kCompleted ? JobStatus::kCompleted : JobStatus::kFailed,
                      f.result, b.now)
                   .has_value();
        break;
      case JobEnd::kRetry:
        held = Retry(c, f.job_id, b.owner, f.result, f.retry_at, b.now);
        break;
      case JobEnd::kCancelled:
        held = Finish(c, f.job_id, b.owner, JobStatus::kCancelled, kCancelledResult, b.now)
                   .has_value();
        break;
      case JobEnd::kReleased:
        held = Release(c, f.job_id, b.owner, b.now);
        break;
    }
    out.finished.push_back(held);
  }
  for (const auto& id : b.renew) {
    if (auto cancel = Renew(c, id, b.owner, b.now, b.lease)) out.renewed.emplace_back(id, *cancel);
  }
  if (b.claim > 0) out.claimed = Claim(c, b.owner, b.now, b.lease, b.claim);
  return out;
}

// The finishes as a JSON array of records for jsonb_to_recordset.
std::string FinishesJson(const std::vector<JobFinish>& finishes) {
  json::array rows;
  for (const auto& f : finishes) {
    json::object r{{"id", f.job_id}};
    switch (f.end) {
      case JobEnd::kCompleted:
        r["status"] = "completed", r["result"] = f.result;
        break;
      case JobEnd::kFailed:
        r["status"] = "failed", r["result"] = f.result;
        break;
      case JobEnd::kRetry:
        r["status"] = "pending", r["result"] = f.result, r["run_after"] = f.retry_at;
        r["message"] = kRetryMessage;
        break;
      case JobEnd::kCancelled:
        r["status"] = "cancelled", r["result"] = kCancelledResult;
        break;
      case JobEnd::kReleased:
        r["status"] = "pending", r["released"] = true;
        break;
    }
    rows.push_back(std::move(r));
  }
  return json::serialize(rows);
}

// PostgreSQL: the finishes and renewals in one statement (one round trip, one commit; its two
// data-modifying parts touch disjoint rows: the owner's finished jobs and its running ones). They
// are found through the lease index, (lease_owner, id) over processing jobs, by
// `id = ANY(ARRAY(…))`. A plain join with the finishes is not enough: the generic plan of the
// prepared statement (after five runs) estimates 100 finishes and, without fresh statistics,
// scans the whole table on lease_owner each round (16 ms a round at 20,000 rows, growing with
// every finished job kept).
void RecordInOneStatement(Connection& c, const JobBatch& b, JobBatchResult& out) {
  auto q = c.Prepare(
      "WITH v AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(?1::jsonb) AS v(id text, "
      "status text, result text, run_after bigint, released boolean, message text)), "
      "fin AS (UPDATE jobs j SET status = v.status, result = COALESCE(v.result, j.result), "
      "lease_owner = NULL, run_after = CASE WHEN v.released THEN ?2 ELSE "
      "COALESCE(v.run_after, j.run_after) END, attempts = CASE WHEN v.released AND j.attempts > 0 "
      "THEN j.attempts - 1 ELSE j.attempts END, finished_at = CASE WHEN v.status = 'pending' "
      "THEN NULL ELSE ?2 END, completed = CASE WHEN v.status = 'completed' THEN j.total ELSE "
      "j.completed END, message = COALESCE(v.message, j.message), updated_at = ?2 "
      "FROM v WHERE j.lease_owner = ?3 AND j.id = ANY(ARRAY(SELECT id FROM v)) AND j.id = v.id "
      "AND j.status = 'processing' "
      "RETURNING j.id), "
      "hb AS (UPDATE jobs SET lease_expires_at = ?4, updated_at = ?2 WHERE lease_owner = ?3 "
      "AND id = ANY(ARRAY(SELECT jsonb_array_elements_text(?5::jsonb))) "
      "AND status = 'processing' RETURNING id, cancel_requested) "
      "SELECT (SELECT COALESCE(json_agg(id), '[]') FROM fin)::text, "
      "(SELECT COALESCE(json_agg(json_build_array(id, cancel_requested)), '[]') FROM hb)::text");
  json::array renew;
  for (const auto& id : b.renew) renew.emplace_back(id);
  q.Bind(1, FinishesJson(b.finishes)).Bind(2, b.now).Bind(3, b.owner);
  q.Bind(4, b.lease.now + b.lease.ms).Bind(5, json::serialize(renew));
  std::set<std::string> finished;
  if (q.Step()) {
    json::value done = json::parse(q.Text(0));
    for (const auto& id : done.as_array()) finished.insert(std::string(id.as_string()));
    json::value held = json::parse(q.Text(1));
    for (const auto& row : held.as_array()) {
      const auto& pair = row.as_array();
      out.renewed.emplace_back(std::string(pair.at(0).as_string()),
                               pair.at(1).to_number<int64_t>() != 0);
    }
  }
  for (const auto& f : b.finishes) out.finished.push_back(finished.count(f.job_id) > 0);
}

// PostgreSQL: a round is two transactions, the outcomes then the claim. When they shared one, the
// claim held locks that other nodes' finishes waited for: its scan meets jobs another node (or
// lane) claimed after the statement's snapshot, and READ COMMITTED locks such a row's newest
// version before it rechecks and skips it, a lock held to the end of the transaction; the owner's
// finish of the job then waited for the whole batch (a fifth of the batches' time at 3 nodes).
// A claim alone ends within a millisecond. A claim that fails after the outcomes were recorded
// claims nothing: the engine claims again at its next poll.
JobBatchResult BatchInTwoStatements(Connection& c, const JobBatch& b) {
  JobBatchResult out;
  bool recorded = !b.finishes.empty() || !b.renew.empty();
  if (recorded) RecordInOneStatement(c, b, out);
  if (b.claim <= 0) return out;
  if (!recorded) {
    out.claimed = Claim(c, b.owner, b.now, b.lease, b.claim);  // a failure is the round's
    return out;
  }
  try {
    out.claimed = Claim(c, b.owner, b.now, b.lease, b.claim);
  } catch (const DbError&) {
    out.claimed.clear();
  }
  return out;
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

std::vector<Job> Claim(Connection& c, const std::string& owner, UnixMs now, LeaseTerm lease,
                       int count) {
  // One statement picks and leases the `count` pending jobs due longest. PostgreSQL: several
  // nodes claim at once; each skips the rows another is claiming (no transaction needed). The
  // rows the subquery locked are updated by their ctid (the primary key needs the tenant). The
  // limit is hidden from the planner in an InitPlan (`LIMIT (SELECT …)`): with the number
  // visible, the custom plans PostgreSQL makes for a connection's first five runs found, on a
  // table without fresh statistics, that the limit exceeded the few rows they expected, and read
  // and sorted every due job instead of walking the index for the first few (36 ms a claim at
  // 20,000 due jobs, against 0.2 ms).
  auto q = c.Prepare(
      c.Pick("UPDATE jobs SET status = 'processing', lease_owner = ?2, lease_expires_at = ?3, "
             "attempts = attempts + 1, started_at = COALESCE(started_at, ?1), updated_at = ?1 "
             "WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_after <= ?1 "
             "ORDER BY run_after, id LIMIT ?4) RETURNING " JOB_COLUMNS,
             "UPDATE jobs SET status = 'processing', lease_owner = ?2, lease_expires_at = ?3, "
             "attempts = attempts + 1, started_at = COALESCE(started_at, ?1), updated_at = ?1 "
             "WHERE ctid = ANY(ARRAY(SELECT ctid FROM jobs WHERE status = 'pending' "
             "AND run_after <= ?1 ORDER BY run_after, id LIMIT (SELECT ?4::bigint) "
             "FOR UPDATE SKIP LOCKED)) "
             "RETURNING " JOB_COLUMNS));
  q.Bind(1, now).Bind(2, owner).Bind(3, lease.now + lease.ms).Bind(4, int64_t{count});
  std::vector<Job> out;
  while (q.Step()) out.push_back(ReadJob(q));
  SortOldestFirst(out);
  return out;
}

std::optional<bool> Renew(Connection& c, const std::string& job_id, const std::string& owner,
                          UnixMs now, LeaseTerm lease) {
  auto q = c.Prepare(
      "UPDATE jobs SET lease_expires_at = ?1, updated_at = ?2 WHERE id = ?3 AND lease_owner = ?4 "
      "AND status = 'processing' RETURNING cancel_requested");
  q.Bind(1, lease.now + lease.ms).Bind(2, now).Bind(3, job_id).Bind(4, owner);
  if (!q.Step()) return std::nullopt;
  return q.Int(0) != 0;
}

int64_t RecoverLost(Connection& c, UnixMs now, UnixMs lease_now, const LostJobPolicy& policy) {
  // Lost as often as the poison limit allows: failed, as it may be what kills its workers.
  int64_t failed =
      c.Prepare(
           "UPDATE jobs SET status = 'failed', message = 'worker lost', lease_owner = NULL, "
           "lease_losses = lease_losses + 1, result = "
           "'{\"error\":{\"code\":\"worker_lost\",\"message\":\"The "
           "job''s worker stopped responding ' || (lease_losses + 1) || ' times; giving up\"}}', "
           "finished_at = ?1, updated_at = ?1 "
           "WHERE status = 'processing' AND lease_expires_at < ?2 AND lease_losses + 1 >= ?3")
          .Bind(1, now)
          .Bind(2, lease_now)
          .Bind(3, policy.poison_limit)
          .Run();
  // The others: pending again after a backoff that doubles with each loss.
  int64_t requeued =
      c.Prepare(c.Pick("UPDATE jobs SET status = 'pending', lease_owner = NULL, "
                       "lease_losses = lease_losses + 1, "
                       "run_after = ?1 + MIN(?3 << MIN(lease_losses, 30), ?4), message = 'worker "
                       "lost; retrying', updated_at = ?1 "
                       "WHERE status = 'processing' AND lease_expires_at < ?2",
                       "UPDATE jobs SET status = 'pending', lease_owner = NULL, "
                       "lease_losses = lease_losses + 1, run_after = ?1 + LEAST(?3::bigint << "
                       "LEAST(lease_losses, 30)::int, ?4), message = 'worker lost; retrying', "
                       "updated_at = ?1 WHERE status = 'processing' AND lease_expires_at < ?2"))
          .Bind(1, now)
          .Bind(2, lease_now)
          .Bind(3, policy.backoff_base_ms)
          .Bind(4, policy.backoff_max_ms)
          .Run();
  return failed + requeued;
}

JobBatchResult Batch(Connection& c, const JobBatch& b) {
  return c.dialect() == Dialect::kPostgres ? BatchInTwoStatements(c, b) : BatchStatementwise(c, b);
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
  return GetById(c, tenant_id, id);
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
         "result = '{\"cancelled\":true}' WHERE tenant_id = ?2 AND id = ?3")
        .Bind(1, now)
        .Bind(2, tenant_id)
        .Bind(3, id)
        .Run();
  } else if (job->status == JobStatus::kProcessing) {
    c.Prepare(
         "UPDATE jobs SET cancel_requested = 1, updated_at = ?1 WHERE tenant_id = ?2 AND id = ?3")
        .Bind(1, now)
        .Bind(2, tenant_id)
        .Bind(3, id)
        .Run();
  }
  return GetById(c, tenant_id, id);
}

int64_t PurgeFinished(Connection& c, UnixMs cutoff) {
  return c.Prepare("DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?")
      .Bind(1, cutoff)
      .Run();
}

}  // namespace rapport::sql::jobs
