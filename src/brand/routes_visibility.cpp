// Seed 000's /v1 brand-visibility family: facts, scheduled reports (and their runs), region
// configs and prompts, one registration function per resource. Reports: routes_brand_reports.cpp.
#include <boost/json.hpp>

#include <rapport/api/pagination.hpp>
#include <rapport/api/query.hpp>
#include <rapport/jobs/job_json.hpp>
#include <rapport/schedule/cadence.hpp>
#include "brand_routes.hpp"

namespace rapport::api {
namespace {

namespace json = boost::json;

// 202 for an enqueued job, with its Location.
Reply Dispatched(json::object body, const std::string& job_id) {
  Reply reply = Reply::Json(202, std::move(body));
  reply.headers.emplace_back("Location", "/v1/jobs/" + job_id);
  return reply;
}

Reply Deleted(const std::string& id, std::string_view object) {
  return Reply::Json(200, {{"id", id}, {"object", object}, {"deleted", true}});
}

Result<ScheduledReportFilter> ReadScheduledReportFilter(const RequestContext& ctx) {
  ScheduledReportFilter filter;
  RAPPORT_TRY(filter.brand_id, RequiredId(ctx, "brand_id", "brand"));
  RAPPORT_TRY(filter.is_active, QueryBool(ctx, "is_active"));
  filter.frequency = QueryText(ctx, "frequency");
  if (filter.frequency && !ParseFrequency(*filter.frequency)) {
    return ParameterError("query.frequency", "must be one of daily, weekly, monthly", "enum");
  }
  filter.search = QueryText(ctx, "search");
  return filter;
}

json::object ScheduledReportRunToJson(const ScheduleRun& run) {
  json::object o = ScheduleRunToJson(run);
  o["object"] = "scheduled_report.run";
  return o;
}

const json::object& BodyOrEmpty(const RequestContext& ctx) {
  static const json::object kEmpty;
  return ctx.body.is_object() ? ctx.body.as_object() : kEmpty;
}

}  // namespace

void AddFactsRoutes(Router& router, FactsService& facts, std::function<void()> on_enqueue) {
  router.Add({.method = "GET",
              .pattern = "/v1/brands/{brand_id}/facts",
              .required_scope = "read:brands",
              .handler = [&facts](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(BrandFacts f, facts.Get(ctx.tenant(), ctx.Param("brand_id")));
                return Reply::Json(200, FactsToJson(f));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/brands/{brand_id}/facts",
              .required_scope = "write:brands",
              .accepts_body = true,
              .handler = [&facts](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(BrandFacts f,
                            facts.Patch(ctx.tenant(), ctx.Param("brand_id"), ctx.body.as_object()));
                return Reply::Json(200, FactsToJson(f));
              }});
  // Seed 000: "populate facts via POST or PATCH". With fact fields POST sets them at once (200);
  // without, it starts the research job (202), the only form that asks an answer engine.
  router.Add({.method = "POST",
              .pattern = "/v1/brands/{brand_id}/facts",
              .required_scope = "write:brands",
              .llm_tier = true,
              .llm_tier_without_body_only = true,
              .accepts_body = true,
              .body_optional = true,
              .handler = [&facts, on_enqueue](RequestContext& ctx) -> Result<Reply> {
                const std::string& brand_id = ctx.Param("brand_id");
                if (!BodyOrEmpty(ctx).empty()) {
                  RAPPORT_TRY(BrandFacts f,
                              facts.Patch(ctx.tenant(), brand_id, ctx.body.as_object()));
                  return Reply::Json(200, FactsToJson(f));
                }
                RAPPORT_TRY(Job job, facts.Regenerate(ctx.tenant(), brand_id));
                on_enqueue();
                return Dispatched({{"brand_id", brand_id},
                                   {"job_id", job.id},
                                   {"object", "brand_facts.regenerate.dispatched"}},
                                  job.id);
              }});
}

void AddScheduledReportRoutes(Router& router, ScheduledReportService& schedules) {
  router.Add({.method = "POST",
              .pattern = "/v1/scheduled-reports",
              .required_scope = "write:scheduled",
              .accepts_body = true,
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(ScheduledReport r,
                            schedules.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, ScheduledReportToJson(r));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports",
              .required_scope = "read:scheduled",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "srep", 20));
                RAPPORT_TRY(ScheduledReportFilter filter, ReadScheduledReportFilter(ctx));
                RAPPORT_TRY(Page<ScheduledReport> result,
                            schedules.List(ctx.tenant(), filter, page));
                return Reply::Json(200, V1List(result, ScheduledReportToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}",
              .required_scope = "read:scheduled",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(ScheduledReport r,
                            schedules.Get(ctx.tenant(), ctx.Param("scheduled_report_id")));
                return Reply::Json(200, ScheduledReportToJson(r));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}",
              .required_scope = "write:scheduled",
              .accepts_body = true,
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(ScheduledReport r,
                            schedules.Patch(ctx.tenant(), ctx.Param("scheduled_report_id"),
                                            ctx.body.as_object()));
                return Reply::Json(200, ScheduledReportToJson(r));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}",
              .required_scope = "write:scheduled",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                const std::string& id = ctx.Param("scheduled_report_id");
                RAPPORT_CHECK(schedules.Delete(ctx.tenant(), id));
                return Deleted(id, "scheduled_report");
              }});
}

void AddScheduledReportRunRoutes(Router& router, ScheduledReportService& schedules,
                                 std::function<void()> on_enqueue) {
  router.Add({.method = "POST",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/executions",
              .required_scope = "write:scheduled",
              .llm_tier = true,
              .accepts_body = true,
              .body_optional = true,
              .handler = [&schedules, on_enqueue](RequestContext& ctx) -> Result<Reply> {
                const std::string& id = ctx.Param("scheduled_report_id");
                RAPPORT_TRY(Job job, schedules.Execute(ctx.tenant(), id, BodyOrEmpty(ctx),
                                                       ctx.idempotency_key));
                on_enqueue();
                return Dispatched({{"job_id", job.id},
                                   {"scheduled_report_id", id},
                                   {"object", "scheduled_report.execution"}},
                                  job.id);
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/analytics",
              .required_scope = "read:scheduled",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(json::object analytics,
                            schedules.Analytics(ctx.tenant(), ctx.Param("scheduled_report_id")));
                return Reply::Json(200, std::move(analytics));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/runs",
              .required_scope = "read:scheduled",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "run", 20));
                RAPPORT_TRY(Page<ScheduleRun> runs,
                            schedules.Runs(ctx.tenant(), ctx.Param("scheduled_report_id"), page));
                return Reply::Json(200, V1List(runs, ScheduledReportRunToJson));
              }});
}

void AddScheduleRegionConfigRoutes(Router& router, ScheduledReportService& schedules,
                                   RegionConfigService& configs) {
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/region-configs",
              .required_scope = "read:region-configs",
              .handler = [&schedules, &configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "rcfg", 20));
                RAPPORT_TRY(ScheduledReport r,
                            schedules.Get(ctx.tenant(), ctx.Param("scheduled_report_id")));
                RAPPORT_TRY(Page<RegionConfig> result, configs.List(ctx.tenant(), r.id, page));
                return Reply::Json(200, V1List(result, RegionConfigToJson));
              }});
  router.Add({.method = "POST",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/region-configs/{config_id}",
              .required_scope = "write:region-configs",
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(RegionConfig c,
                            configs.Attach(ctx.tenant(), ctx.Param("scheduled_report_id"),
                                           ctx.Param("config_id")));
                return Reply::Json(200, RegionConfigToJson(c));
              }});
}

void AddRegionConfigRoutes(Router& router, RegionConfigService& configs) {
  router.Add({.method = "POST",
              .pattern = "/v1/region-configs",
              .required_scope = "write:region-configs",
              .accepts_body = true,
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(RegionConfig c, configs.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, RegionConfigToJson(c));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/region-configs",
              .required_scope = "read:region-configs",
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "rcfg", 20));
                std::optional<std::string> schedule = QueryText(ctx, "scheduled_report_id");
                RAPPORT_TRY(Page<RegionConfig> result, configs.List(ctx.tenant(), schedule, page));
                return Reply::Json(200, V1List(result, RegionConfigToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/region-configs/{config_id}",
              .required_scope = "read:region-configs",
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(RegionConfig c, configs.Get(ctx.tenant(), ctx.Param("config_id")));
                return Reply::Json(200, RegionConfigToJson(c));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/region-configs/{config_id}",
              .required_scope = "write:region-configs",
              .accepts_body = true,
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(RegionConfig c, configs.Patch(ctx.tenant(), ctx.Param("config_id"),
                                                          ctx.body.as_object()));
                return Reply::Json(200, RegionConfigToJson(c));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/region-configs/{config_id}",
              .required_scope = "write:region-configs",
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                const std::string& id = ctx.Param("config_id");
                RAPPORT_CHECK(configs.Delete(ctx.tenant(), id));
                return Deleted(id, "region_config");
              }});
}

void AddPromptRoutes(Router& router, PromptService& prompts) {
  router.Add(
      {.method = "POST",
       .pattern = "/v1/region-configs/{config_id}/prompts",
       .required_scope = "write:prompts",
       .accepts_body = true,
       .handler = [&prompts](RequestContext& ctx) -> Result<Reply> {
         RAPPORT_TRY(std::vector<Prompt> added,
                     prompts.Add(ctx.tenant(), ctx.Param("config_id"), ctx.body.as_object()));
         return Reply::Json(201, V1List(Page<Prompt>{std::move(added), false}, PromptToJson));
       }});
  router.Add({.method = "GET",
              .pattern = "/v1/region-configs/{config_id}/prompts",
              .required_scope = "read:region-configs",
              .handler = [&prompts](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "prm", 50));
                RAPPORT_TRY(Page<Prompt> result,
                            prompts.List(ctx.tenant(), ctx.Param("config_id"), page));
                return Reply::Json(200, V1List(result, PromptToJson));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/region-configs/{config_id}/prompts/{prompt_id}",
              .required_scope = "write:prompts",
              .accepts_body = true,
              .handler = [&prompts](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Prompt p, prompts.Patch(ctx.tenant(), ctx.Param("config_id"),
                                                    ctx.Param("prompt_id"), ctx.body.as_object()));
                return Reply::Json(200, PromptToJson(p));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/region-configs/{config_id}/prompts/{prompt_id}",
              .required_scope = "write:prompts",
              .handler = [&prompts](RequestContext& ctx) -> Result<Reply> {
                const std::string& id = ctx.Param("prompt_id");
                RAPPORT_CHECK(prompts.Delete(ctx.tenant(), ctx.Param("config_id"), id));
                return Deleted(id, "prompt");
              }});
}

}  // namespace rapport::api
