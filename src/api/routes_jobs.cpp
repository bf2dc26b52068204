#include <rapport/jobs/job_json.hpp>

#include <rapport/api/dialect.hpp>
#include <rapport/api/pagination.hpp>
#include "routes.hpp"

#include <algorithm>

namespace rapport::api {
namespace {

// The alternative scopes of the jobs routes: each job kind's read (or write) scope, once.
std::vector<std::string> SideScopesFor(const std::vector<JobScope>& scopes, bool write) {
  std::vector<std::string> out;
  for (const auto& s : scopes) {
    const std::string& scope = write ? s.write : s.read;
    if (std::find(out.begin(), out.end(), scope) == out.end()) out.push_back(scope);
  }
  return out;
}

// 403 unless the token holds `jobs_scope` or the side scope of the job's kind.
Status CheckJobScope(const RequestContext& ctx, const std::vector<JobScope>& scopes, const Job& job,
                     const std::string& jobs_scope) {
  const auto& held = ctx.principal.scopes;
  if (ScopesGrant(held, jobs_scope)) return Ok{};
  bool write = jobs_scope.starts_with("write:");
  for (const auto& s : scopes) {
    if (s.job_kind == job.kind && ScopesGrant(held, write ? s.write : s.read)) return Ok{};
  }
  return MissingScope(ctx.dialect, jobs_scope);
}

// `status`, if given: one of the job states.
Result<std::optional<JobStatus>> ReadStatus(const RequestContext& ctx) {
  auto text = ctx.Query("status");
  if (!text || text->empty()) return std::optional<JobStatus>{};
  std::optional<JobStatus> status = ParseJobStatus(*text);
  if (!status) {
    return ParameterError(
        "query.status", "must be one of pending, processing, completed, failed, cancelled", "enum");
  }
  return status;
}

}  // namespace

void AddJobRoutes(Router& router, JobService& jobs, std::vector<JobScope> scopes) {
  router.Add({.method = "GET",
              .pattern = "/v1/jobs",
              .required_scope = "read:jobs",
              .handler = [&jobs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "job", 20));
                RAPPORT_TRY(std::optional<JobStatus> status, ReadStatus(ctx));
                RAPPORT_TRY(Page<Job> result, jobs.List(ctx.tenant(), status, page, ctx.now));
                return Reply::Json(200, V1List(result, JobToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/jobs/{job_id}",
              .required_scope = "read:jobs",
              .alternative_scopes = SideScopesFor(scopes, false),
              .handler = [&jobs, scopes](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job job, jobs.Get(ctx.tenant(), ctx.Param("job_id"), ctx.now));
                RAPPORT_CHECK(CheckJobScope(ctx, scopes, job, "read:jobs"));
                return Reply::Json(200, JobToJson(job));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/jobs/{job_id}",
              .required_scope = "write:jobs",
              .alternative_scopes = SideScopesFor(scopes, true),
              .handler = [&jobs, scopes](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job visible, jobs.Get(ctx.tenant(), ctx.Param("job_id"), ctx.now));
                RAPPORT_CHECK(CheckJobScope(ctx, scopes, visible, "write:jobs"));
                RAPPORT_TRY(Job job, jobs.Cancel(ctx.tenant(), visible.id, ctx.now));
                return Reply::Json(200, JobToJson(job));
              }});
}

}  // namespace rapport::api
