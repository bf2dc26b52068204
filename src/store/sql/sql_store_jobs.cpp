// SqlStore: the job queue and schedule runs.
#include "sql_store_impl.hpp"

#include "fire_schedules.hpp"

namespace rapport::sql {

Result<std::map<std::string, int64_t>> SqlStoreCore::CountJobsByStatus() {
  return Guard([&]() -> Result<std::map<std::string, int64_t>> {
    return WithReader([](Connection& c) {
      std::map<std::string, int64_t> out;
      for (const char* s : {"pending", "processing", "completed", "failed", "cancelled"}) {
        out[s] = 0;
      }
      auto q = c.Prepare("SELECT status, COUNT(*) FROM jobs GROUP BY status");
      while (q.Step()) out[q.Text(0)] = q.Int(1);
      return out;
    });
  });
}

Result<std::optional<UnixMs>> SqlStoreCore::OldestDueJobAt(UnixMs now) {
  return Guard([&]() -> Result<std::optional<UnixMs>> {
    return WithReader([&](Connection& c) {
      auto q =
          c.Prepare("SELECT MIN(run_after) FROM jobs WHERE status = 'pending' AND run_after <= ?1");
      q.Bind(1, now);
      q.Step();
      return q.OptionalInt(0);
    });
  });
}

Status SqlStoreCore::InsertJob(const Job& job) {
  return WriteTxn([&](Connection& w) { jobs::Insert(w, job); });
}

Result<int64_t> SqlStoreCore::CountUnfinishedJobs(const std::string& tenant_id) {
  return Guard([&]() -> Result<int64_t> {
    return WithReader([&](Connection& c) { return jobs::CountUnfinished(c, tenant_id); });
  });
}

Result<std::optional<Job>> SqlStoreCore::ClaimJob(const std::string& worker_id, UnixMs now,
                                                  LeaseTerm lease) {
  auto batch = RunJobBatch({.owner = worker_id, .now = now, .lease = lease, .claim = 1});
  if (!batch.ok()) return batch.error();
  if (batch->claimed.empty()) return std::optional<Job>();
  return std::optional<Job>(std::move(batch->claimed.front()));
}

Result<JobBatchResult> SqlStoreCore::RunJobBatch(const JobBatch& batch) {
  return InWriteTxn([&](Connection& w) -> Result<JobBatchResult> { return jobs::Batch(w, batch); },
                    Isolation::kSingleStatements);
}

Result<int64_t> SqlStoreCore::RecoverLostJobs(UnixMs now, UnixMs lease_now,
                                              const LostJobPolicy& policy) {
  return InWriteTxn(
      [&](Connection& w) -> Result<int64_t> {
        return jobs::RecoverLost(w, now, lease_now, policy);
      },
      Isolation::kReadCommitted);
}

std::unique_ptr<JobNotices> SqlStoreCore::ListenForJobs() { return backend_->ListenForJobs(); }

int SqlStoreCore::ConcurrentBatches() const { return backend_->ConcurrentBatches(); }

Result<bool> SqlStoreCore::HeartbeatJob(const std::string& job_id, const std::string& worker_id,
                                        const JobProgress& progress, UnixMs now, LeaseTerm lease) {
  return InWriteTxn(
      [&](Connection& w) -> Result<bool> {
        auto cancel = jobs::Heartbeat(w, job_id, worker_id, progress, now, lease);
        if (!cancel) return LeaseLost();
        return *cancel;
      },
      Isolation::kSingleStatements);
}

Status SqlStoreCore::CompleteJob(const std::string& job_id, const std::string& worker_id,
                                 const std::string& result, const std::vector<Artifact>& artifacts,
                                 const std::vector<Report>& reports,
                                 const std::vector<Event>& events, UnixMs now) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        std::optional<std::string> tenant =
            jobs::Finish(w, job_id, worker_id, JobStatus::kCompleted, result, now);
        if (!tenant) return LeaseLost();
        jobs::InsertArtifacts(w, job_id, *tenant, artifacts, now);
        for (const auto& report : reports) {
          Report row = report;
          row.job_id = job_id;
          row.tenant_id = *tenant;
          if (row.created_at == 0) row.created_at = now;
          reports::InsertReport(w, row);
          ForEachHooks(row.kind, [&](const ReportHooks& h) {
            if (h.stored) h.stored(w, row);
          });
        }
        for (const auto& e : events) reports::InsertEvent(w, e);
        return Ok{};
      },
      artifacts.empty() && reports.empty() && events.empty() ? Isolation::kSingleStatements
                                                             : Isolation::kReadCommitted);
}

Status SqlStoreCore::FailJob(const std::string& job_id, const std::string& worker_id,
                             const std::string& error_result, std::optional<UnixMs> retry_at,
                             const std::vector<Event>& events, UnixMs now) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        bool held = retry_at
                        ? jobs::Retry(w, job_id, worker_id, error_result, *retry_at, now)
                        : jobs::Finish(w, job_id, worker_id, JobStatus::kFailed, error_result, now)
                              .has_value();
        if (!held) return LeaseLost();
        if (!retry_at) {
          for (const auto& e : events) reports::InsertEvent(w, e);
        }
        return Ok{};
      },
      Isolation::kReadCommitted);
}

Status SqlStoreCore::CancelClaimedJob(const std::string& job_id, const std::string& worker_id,
                                      UnixMs now) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        if (!jobs::Finish(w, job_id, worker_id, JobStatus::kCancelled, R"({"cancelled":true})",
                          now)) {
          return LeaseLost();
        }
        return Ok{};
      },
      Isolation::kReadCommitted);
}

Status SqlStoreCore::ReleaseJob(const std::string& job_id, const std::string& worker_id,
                                UnixMs now) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        if (!jobs::Release(w, job_id, worker_id, now)) return LeaseLost();
        return Ok{};
      },
      Isolation::kReadCommitted);
}

Result<Job> SqlStoreCore::RequestJobCancel(const std::string& tenant_id, const std::string& id,
                                           UnixMs now) {
  return InWriteTxn([&](Connection& w) -> Result<Job> {
    auto job = jobs::RequestCancel(w, tenant_id, id, now);
    if (!job) return Error::NotFound("Job");
    return *job;
  });
}

Result<Job> SqlStoreCore::GetJob(const std::string& tenant_id, const std::string& id) {
  return Guard([&]() -> Result<Job> {
    return WithReader([&](Connection& c) -> Result<Job> {
      auto job = jobs::Get(c, tenant_id, id);
      if (!job) return Error::NotFound("Job");
      return *job;
    });
  });
}

Result<std::optional<Job>> SqlStoreCore::FindJobByRequestKey(const std::string& tenant_id,
                                                             const std::string& request_key) {
  return Guard([&]() -> Result<std::optional<Job>> {
    return WithReader([&](Connection& c) -> Result<std::optional<Job>> {
      auto q = c.Prepare(
          "SELECT id FROM jobs WHERE tenant_id = ? AND request_key = ? "
          "ORDER BY created_at, id LIMIT 1");
      q.Bind(1, tenant_id).Bind(2, request_key);
      if (!q.Step()) return std::optional<Job>();
      return jobs::Get(c, tenant_id, q.Text(0));
    });
  });
}

Result<Page<Job>> SqlStoreCore::ListJobs(const std::string& tenant_id,
                                         std::optional<JobStatus> status, const PageRequest& page) {
  return Guard([&]() -> Result<Page<Job>> {
    return WithReader([&](Connection& c) { return jobs::List(c, tenant_id, status, page); });
  });
}

Result<std::vector<Artifact>> SqlStoreCore::GetArtifacts(const std::string& tenant_id,
                                                         const std::string& job_id) {
  return Guard([&]() -> Result<std::vector<Artifact>> {
    return WithReader([&](Connection& c) { return jobs::Artifacts(c, tenant_id, job_id); });
  });
}

Result<int64_t> SqlStoreCore::PurgeFinishedJobs(UnixMs cutoff) {
  return InWriteTxn([&](Connection& w) -> Result<int64_t> {
    reports::FreezeRunsOfFinishedJobs(w, cutoff);
    ForEachHooks(std::nullopt, [&](const ReportHooks& h) {
      if (h.jobs_purged) h.jobs_purged(w, cutoff);
    });
    return jobs::PurgeFinished(w, cutoff);
  });
}

Result<std::vector<bool>> SqlStoreCore::FireSchedules(const std::vector<ScheduleFiring>& firings) {
  for (const auto& f : firings) {
    if (!reports::IsPlainName(f.schedule_table) ||
        (!f.enabled_column.empty() && !reports::IsPlainName(f.enabled_column))) {
      return Error(ErrorCode::kInternal, "The schedule table of kind '" + f.kind +
                                             "' is not a plain SQL name: '" + f.schedule_table +
                                             "' (enabled column '" + f.enabled_column + "')");
    }
  }
  return InWriteTxn(
      [&](Connection& w) -> Result<std::vector<bool>> { return fire::Fire(w, firings); },
      Isolation::kReadCommitted);
}

Status SqlStoreCore::EnqueueScheduleRun(const ScheduleRun& run, const Job& job) {
  return InWriteTxn([&](Connection& w) -> Status {
    if (!reports::InsertRun(w, run)) {
      return Error(ErrorCode::kConflict, "This period of the schedule already has a run");
    }
    jobs::Insert(w, job);
    return Ok{};
  });
}

Result<Page<ScheduleRun>> SqlStoreCore::ListScheduleRuns(const std::string& tenant_id,
                                                         const std::string& schedule_id,
                                                         const PageRequest& page) {
  return Guard([&]() -> Result<Page<ScheduleRun>> {
    return WithReader(
        [&](Connection& c) { return reports::ListRuns(c, tenant_id, schedule_id, page); });
  });
}

}  // namespace rapport::sql
