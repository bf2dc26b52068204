// Seed 000's /v1 brand-visibility family: facts, scheduled reports (and their manual execution),
// region configs, prompts and the reports runs produce.
#include <rapport/brand/report_prompts.hpp>
#include <rapport/core/ids.hpp>

#include <boost/json.hpp>

#include "pagination.hpp"
#include "pdf_reply.hpp"
#include "routes.hpp"

namespace rapport::api {
namespace {

namespace json = boost::json;

std::optional<std::string> QueryText(const RequestContext& ctx, std::string_view name) {
  auto v = ctx.Query(name);
  if (!v || v->empty()) return std::nullopt;
  return std::string(*v);
}

Result<std::optional<bool>> QueryBool(const RequestContext& ctx, std::string_view name) {
  auto v = QueryText(ctx, name);
  if (!v) return std::optional<bool>{};
  if (*v == "true") return std::optional<bool>(true);
  if (*v == "false") return std::optional<bool>(false);
  return ParameterError("query." + std::string(name), "must be true or false", "bool_parsing");
}

Result<std::string> RequiredId(const RequestContext& ctx, std::string_view name,
                               std::string_view prefix) {
  auto v = QueryText(ctx, name);
  if (!v) {
    return Error::FromProblems(ErrorCode::kValidation,
                               {{"query." + std::string(name), "field required", "missing"}});
  }
  if (!IsValidId(*v, prefix)) {
    return ParameterError("query." + std::string(name),
                          "must be an id starting with " + std::string(prefix) + "_", "pattern");
  }
  return *v;
}

Result<Report> FindBrandReport(Store& store, const RequestContext& ctx) {
  const std::string& id = ctx.Param("report_id");
  if (!IsValidId(id, "rpt")) return Error::NotFound("Report");
  RAPPORT_TRY(Report report, store.GetReport(ctx.tenant(), id));
  if (report.kind != "brand") return Error::NotFound("Report");
  return report;
}

json::object BrandReportJson(const Report& r) {
  json::value body = json::parse(r.body);
  json::object out{{"id", r.id}, {"object", "report"}};
  for (auto& [k, v] : body.as_object()) out[k] = std::move(v);
  out["job_id"] = r.job_id;
  out["has_pdf"] = r.has_pdf;
  out["created_at"] = FormatRfc3339(r.created_at);
  return out;
}

// The report without its per-prompt answers.
json::object BrandReportSummary(const Report& r) {
  json::object full = BrandReportJson(r);
  full.erase("prompts");
  full["object"] = "report.summary";
  return full;
}

}  // namespace

void AddVisibilityRoutes(Router& router, const VisibilityServices& s, Store& store,
                         std::function<void()> on_enqueue) {
  FactsService& facts = s.facts;
  ScheduledReportService& schedules = s.schedules;
  RegionConfigService& configs = s.configs;

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
                if (ctx.body.is_object() && !ctx.body.as_object().empty()) {
                  RAPPORT_TRY(BrandFacts f,
                              facts.Patch(ctx.tenant(), brand_id, ctx.body.as_object()));
                  return Reply::Json(200, FactsToJson(f));
                }
                RAPPORT_TRY(Job job, facts.Regenerate(ctx.tenant(), brand_id));
                on_enqueue();
                Reply reply =
                    Reply::Json(202, json::object{{"brand_id", brand_id},
                                                  {"job_id", job.id},
                                                  {"object", "brand_facts.regenerate.dispatched"}});
                reply.headers.emplace_back("Location", "/v1/jobs/" + job.id);
                return reply;
              }});
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
                ScheduledReportFilter filter;
                RAPPORT_TRY(filter.brand_id, RequiredId(ctx, "brand_id", "brand"));
                RAPPORT_TRY(filter.is_active, QueryBool(ctx, "is_active"));
                filter.frequency = QueryText(ctx, "frequency");
                if (filter.frequency && !ParseFrequency(*filter.frequency)) {
                  return ParameterError("query.frequency", "must be one of daily, weekly, monthly",
                                        "enum");
                }
                filter.search = QueryText(ctx, "search");
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
  router.Add(
      {.method = "DELETE",
       .pattern = "/v1/scheduled-reports/{scheduled_report_id}",
       .required_scope = "write:scheduled",
       .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
         const std::string& id = ctx.Param("scheduled_report_id");
         RAPPORT_CHECK(schedules.Delete(ctx.tenant(), id));
         return Reply::Json(200, {{"id", id}, {"object", "scheduled_report"}, {"deleted", true}});
       }});
  router.Add(
      {.method = "POST",
       .pattern = "/v1/scheduled-reports/{scheduled_report_id}/executions",
       .required_scope = "write:scheduled",
       .llm_tier = true,
       .accepts_body = true,
       .body_optional = true,
       .handler = [&schedules, on_enqueue](RequestContext& ctx) -> Result<Reply> {
         const std::string& id = ctx.Param("scheduled_report_id");
         static const json::object kEmpty;
         const json::object& body = ctx.body.is_object() ? ctx.body.as_object() : kEmpty;
         RAPPORT_TRY(Job job, schedules.Execute(ctx.tenant(), id, body, ctx.idempotency_key));
         on_enqueue();
         Reply reply = Reply::Json(202, json::object{{"job_id", job.id},
                                                     {"scheduled_report_id", id},
                                                     {"object", "scheduled_report.execution"}});
         reply.headers.emplace_back("Location", "/v1/jobs/" + job.id);
         return reply;
       }});
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/analytics",
              .required_scope = "read:scheduled",
              .handler = [&schedules, &store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(ScheduledReport r,
                            schedules.Get(ctx.tenant(), ctx.Param("scheduled_report_id")));
                // The newest 500 reports: up to 25 runs of 20 regions.
                std::vector<Report> reports;
                PageRequest page{.limit = 100};
                for (int i = 0; i < 5; ++i) {
                  RAPPORT_TRY(Page<Report> p,
                              store.ListReports(ctx.tenant(),
                                                {.kind = "brand", .schedule_id = r.id}, page));
                  for (auto& rep : p.items) reports.push_back(std::move(rep));
                  if (!p.has_more) break;
                  page.after_id = reports.back().id;
                }
                return Reply::Json(200, BuildScheduleAnalytics(r.id, reports));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/scheduled-reports/{scheduled_report_id}/runs",
              .required_scope = "read:scheduled",
              .handler = [&schedules, &store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "run", 20));
                RAPPORT_TRY(ScheduledReport r,
                            schedules.Get(ctx.tenant(), ctx.Param("scheduled_report_id")));
                RAPPORT_TRY(Page<ScheduleRun> runs,
                            store.ListScheduleRuns(ctx.tenant(), r.id, page));
                return Reply::Json(200, V1List(runs, [](const ScheduleRun& run) {
                                     json::object o = ScheduleRunToJson(run);
                                     o["object"] = "scheduled_report.run";
                                     return o;
                                   }));
              }});
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
  router.Add(
      {.method = "DELETE",
       .pattern = "/v1/region-configs/{config_id}",
       .required_scope = "write:region-configs",
       .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
         const std::string& id = ctx.Param("config_id");
         RAPPORT_CHECK(configs.Delete(ctx.tenant(), id));
         return Reply::Json(200, {{"id", id}, {"object", "region_config"}, {"deleted", true}});
       }});
  router.Add({.method = "POST",
              .pattern = "/v1/region-configs/{config_id}/prompts",
              .required_scope = "write:prompts",
              .accepts_body = true,
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(
                    std::vector<Prompt> added,
                    configs.AddPrompts(ctx.tenant(), ctx.Param("config_id"), ctx.body.as_object()));
                json::array data;
                for (const auto& p : added) data.push_back(PromptToJson(p));
                return Reply::Json(201, json::object{{"object", "list"},
                                                     {"data", std::move(data)},
                                                     {"has_more", false},
                                                     {"next_cursor", nullptr}});
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/region-configs/{config_id}/prompts",
              .required_scope = "read:region-configs",
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "prm", 50));
                RAPPORT_TRY(Page<Prompt> result,
                            configs.ListPrompts(ctx.tenant(), ctx.Param("config_id"), page));
                return Reply::Json(200, V1List(result, PromptToJson));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/region-configs/{config_id}/prompts/{prompt_id}",
              .required_scope = "write:prompts",
              .accepts_body = true,
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Prompt p,
                            configs.PatchPrompt(ctx.tenant(), ctx.Param("config_id"),
                                                ctx.Param("prompt_id"), ctx.body.as_object()));
                return Reply::Json(200, PromptToJson(p));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/region-configs/{config_id}/prompts/{prompt_id}",
              .required_scope = "write:prompts",
              .handler = [&configs](RequestContext& ctx) -> Result<Reply> {
                const std::string& id = ctx.Param("prompt_id");
                RAPPORT_CHECK(configs.DeletePrompt(ctx.tenant(), ctx.Param("config_id"), id));
                return Reply::Json(200, {{"id", id}, {"object", "prompt"}, {"deleted", true}});
              }});

  router.Add({.method = "GET",
              .pattern = "/v1/reports",
              .required_scope = "read:reports",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "rpt", 20));
                ReportFilter filter{.kind = "brand"};
                RAPPORT_TRY(std::string brand, RequiredId(ctx, "brand_id", "brand"));
                filter.brand_id = brand;
                filter.status = QueryText(ctx, "status");
                if (filter.status && *filter.status != "completed" && *filter.status != "failed") {
                  return ParameterError("query.status", "must be completed or failed", "enum");
                }
                filter.schedule_id = QueryText(ctx, "scheduled_report_id");
                filter.batch_id = QueryText(ctx, "batch_id");
                RAPPORT_TRY(Page<Report> result, store.ListReports(ctx.tenant(), filter, page));
                return Reply::Json(200, V1List(result, BrandReportSummary));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}",
              .required_scope = "read:reports",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(store, ctx));
                json::object report = BrandReportJson(r);
                CapInlinePrompts(report);  // the rest: GET /v1/reports/{report_id}/prompts
                return Reply::Json(200, std::move(report));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/summary",
              .required_scope = "read:reports",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(store, ctx));
                return Reply::Json(200, BrandReportSummary(r));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/reports/{report_id}",
              .required_scope = "write:reports",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(store, ctx));
                RAPPORT_CHECK(store.DeleteReport(ctx.tenant(), r.id));
                return Reply::Json(200, {{"id", r.id}, {"object", "report"}, {"deleted", true}});
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/pdf",
              .required_scope = "read:reports",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(store, ctx));
                return PdfReply(ctx, store, r.id, r.id + ".pdf");
              }});
}

}  // namespace rapport::api
