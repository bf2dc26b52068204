#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_json.hpp>

#include "dialect.hpp"
#include "pagination.hpp"
#include "routes.hpp"

#include <algorithm>

namespace rapport::api {
namespace {

// The side that enqueues each kind of job, by the scope its requests need: a client that ran an
// SLA report with `write:sla` follows its `Location: /v1/jobs/…` with `read:sla` alone.
struct SideScopes {
  std::string_view kind;
  std::string_view read;
  std::string_view write;
};
constexpr SideScopes kSideScopes[] = {
    {"sla_report", "read:sla", "write:sla"},
    {"email_delivery", "read:sla", "write:sla"},
    {"brand_report", "read:scheduled", "write:scheduled"},
    {"brand_facts", "read:brands", "write:brands"},
    {"webhook_delivery", "read:webhooks", "write:webhooks"},
};

std::vector<std::string> SideScopesFor(bool write) {
  std::vector<std::string> out;
  for (const auto& s : kSideScopes) {
    std::string scope(write ? s.write : s.read);
    if (std::find(out.begin(), out.end(), scope) == out.end()) out.push_back(std::move(scope));
  }
  return out;
}

// 403 unless the token holds `jobs_scope` or the side scope of the job's kind.
Status CheckJobScope(const RequestContext& ctx, const Job& job, const std::string& jobs_scope) {
  const auto& scopes = ctx.principal.scopes;
  if (ScopesGrant(scopes, jobs_scope)) return Ok{};
  bool write = jobs_scope.starts_with("write:");
  for (const auto& s : kSideScopes) {
    if (s.kind == job.kind && ScopesGrant(scopes, write ? s.write : s.read)) return Ok{};
  }
  return MissingScope(ctx.dialect, jobs_scope);
}

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
              .alternative_scopes = SideScopesFor(false),
              .handler = [&store, retention_ms](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job job, VisibleJob(store, ctx, retention_ms));
                RAPPORT_CHECK(CheckJobScope(ctx, job, "read:jobs"));
                return Reply::Json(200, JobToJson(job));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/jobs/{job_id}",
              .required_scope = "write:jobs",
              .alternative_scopes = SideScopesFor(true),
              .handler = [&store, retention_ms](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job visible, VisibleJob(store, ctx, retention_ms));
                RAPPORT_CHECK(CheckJobScope(ctx, visible, "write:jobs"));
                RAPPORT_TRY(Job job, store.RequestJobCancel(ctx.tenant(), visible.id, ctx.now));
                return Reply::Json(200, JobToJson(job));
              }});
}

}  // namespace rapport::api
