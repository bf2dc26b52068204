#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_json.hpp>

#include "pagination.hpp"
#include "routes.hpp"

namespace rapport::api {
namespace {

// A finished job older than the retention is gone, even before the janitor deletes it.
Result<Job> VisibleJob(Store& store, const RequestContext& ctx, int64_t retention_ms) {
  const std::string& id = ctx.Param("job_id");
  if (!IsValidId(id, "job")) return Error::NotFound("Job");
  RAPPORT_TRY(Job job, store.GetJob(ctx.tenant(), id));
  if (job.finished_at && *job.finished_at < ctx.now - retention_ms) return Error::NotFound("Job");
  return job;
}

}  // namespace

void AddJobRoutes(Router& router, Store& store, int64_t retention_ms) {
  router.Add({.method = "GET",
              .pattern = "/v1/jobs",
              .required_scope = "read:jobs",
              .handler = [&store, retention_ms](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "job", 20));
                std::optional<JobStatus> status;
                if (auto text = ctx.Query("status"); text && !text->empty()) {
                  status = ParseJobStatus(*text);
                  if (!status) {
                    return ParameterError(
                        "query.status",
                        "must be one of pending, processing, completed, failed, cancelled", "enum");
                  }
                }
                RAPPORT_TRY(Page<Job> jobs, store.ListJobs(ctx.tenant(), status, page));
                std::erase_if(jobs.items, [&](const Job& j) {
                  return j.finished_at && *j.finished_at < ctx.now - retention_ms;
                });
                return Reply::Json(200, V1List(jobs, JobToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/jobs/{job_id}",
              .required_scope = "read:jobs",
              .handler = [&store, retention_ms](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job job, VisibleJob(store, ctx, retention_ms));
                return Reply::Json(200, JobToJson(job));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/jobs/{job_id}",
              .required_scope = "write:jobs",
              .handler = [&store, retention_ms](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job visible, VisibleJob(store, ctx, retention_ms));
                RAPPORT_TRY(Job job, store.RequestJobCancel(ctx.tenant(), visible.id, ctx.now));
                return Reply::Json(200, JobToJson(job));
              }});
}

}  // namespace rapport::api
