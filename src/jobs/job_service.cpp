#include <rapport/jobs/job_service.hpp>

#include <rapport/core/ids.hpp>

namespace rapport {

Result<Job> JobService::Get(const std::string& tenant_id, const std::string& id, UnixMs now) {
  if (!IsValidId(id, "job")) return Error::NotFound("Job");
  RAPPORT_TRY(Job job, store_.GetJob(tenant_id, id));
  if (Expired(job, now)) return Error::NotFound("Job");
  return job;
}

Result<Page<Job>> JobService::List(const std::string& tenant_id, std::optional<JobStatus> status,
                                   const PageRequest& page, UnixMs now) {
  RAPPORT_TRY(Page<Job> jobs, store_.ListJobs(tenant_id, status, page));
  std::erase_if(jobs.items, [&](const Job& j) { return Expired(j, now); });
  return jobs;
}

Result<Job> JobService::Cancel(const std::string& tenant_id, const std::string& id, UnixMs now) {
  return store_.RequestJobCancel(tenant_id, id, now);
}

Result<std::map<std::string, int64_t>> JobService::CountByStatus() {
  return store_.CountJobsByStatus();
}

Result<std::optional<UnixMs>> JobService::OldestDueAt(UnixMs now) {
  return store_.OldestDueJobAt(now);
}

}  // namespace rapport
