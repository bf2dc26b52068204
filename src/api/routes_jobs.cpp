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

void AddJobRoutes(Router& router, JobService& jobs) {
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
              .alternative_scopes = SideScopesFor(false),
              .handler = [&jobs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job job, jobs.Get(ctx.tenant(), ctx.Param("job_id"), ctx.now));
                RAPPORT_CHECK(CheckJobScope(ctx, job, "read:jobs"));
                return Reply::Json(200, JobToJson(job));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/jobs/{job_id}",
              .required_scope = "write:jobs",
              .alternative_scopes = SideScopesFor(true),
              .handler = [&jobs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job visible, jobs.Get(ctx.tenant(), ctx.Param("job_id"), ctx.now));
                RAPPORT_CHECK(CheckJobScope(ctx, visible, "write:jobs"));
                RAPPORT_TRY(Job job, jobs.Cancel(ctx.tenant(), visible.id, ctx.now));
                return Reply::Json(200, JobToJson(job));
              }});
}

}  // namespace rapport::api
