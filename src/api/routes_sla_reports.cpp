// Seed 002's /reports/sla: schedules (CRUD, on-demand run, run history) and generated reports.
#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_json.hpp>

#include "pagination.hpp"
#include "pdf_reply.hpp"
#include "routes.hpp"

namespace rapport::api {
namespace {

Result<Report> FindReport(Store& store, const RequestContext& ctx) {
  const std::string& id = ctx.Param("reportId");
  if (!IsValidId(id, "rpt")) return Error::NotFound("Report");
  RAPPORT_TRY(Report report, store.GetReport(ctx.tenant(), id));
  if (report.kind != "sla") return Error::NotFound("Report");
  return report;
}

boost::json::object ReportSummary(const Report& report) {
  // The list shows each report whole: reports are bounded by the page size (≤ 100).
  return ReportToJson(report);
}

}  // namespace

void AddSlaReportRoutes(Router& router, SlaScheduleService& schedules, Store& store,
                        std::function<void()> on_enqueue) {
  router.Add({.method = "GET",
              .pattern = "/reports/sla/schedules",
              .required_scope = "read:sla",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "sla", 50));
                RAPPORT_TRY(Page<SlaSchedule> result, schedules.List(ctx.tenant(), page));
                return Reply::Json(200, SlaList(result, SlaScheduleToJson));
              }});
  router.Add({.method = "POST",
              .pattern = "/reports/sla/schedules",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(SlaSchedule s, schedules.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, SlaScheduleToJson(s));
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/schedules/{scheduleId}",
              .required_scope = "read:sla",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(SlaSchedule s, schedules.Get(ctx.tenant(), ctx.Param("scheduleId")));
                return Reply::Json(200, SlaScheduleToJson(s));
              }});
  router.Add({.method = "PUT",
              .pattern = "/reports/sla/schedules/{scheduleId}",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(SlaSchedule s, schedules.Replace(ctx.tenant(), ctx.Param("scheduleId"),
                                                             ctx.body.as_object()));
                return Reply::Json(200, SlaScheduleToJson(s));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/reports/sla/schedules/{scheduleId}",
              .required_scope = "write:sla",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_CHECK(schedules.Delete(ctx.tenant(), ctx.Param("scheduleId")));
                return Reply::NoContent();
              }});
  router.Add({.method = "POST",
              .pattern = "/reports/sla/schedules/{scheduleId}/run",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&schedules, on_enqueue](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Job job,
                            schedules.RunOnDemand(ctx.tenant(), ctx.Param("scheduleId"),
                                                  ctx.body.as_object(), ctx.idempotency_key));
                on_enqueue();
                Reply reply =
                    Reply::Json(202, boost::json::object{{"message", "Report is being generated."},
                                                         {"job_id", job.id}});
                reply.headers.emplace_back("Location", "/v1/jobs/" + job.id);
                return reply;
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/schedules/{scheduleId}/runs",
              .required_scope = "read:sla",
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "run", 50));
                RAPPORT_TRY(Page<ScheduleRun> runs,
                            schedules.Runs(ctx.tenant(), ctx.Param("scheduleId"), page));
                return Reply::Json(200, SlaList(runs, ScheduleRunToJson));
              }});

  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports",
              .required_scope = "read:sla",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "rpt", 50));
                std::optional<std::string> schedule_id;
                if (auto v = ctx.Query("schedule_id"); v && !v->empty()) {
                  if (!IsValidId(*v, "sla")) {
                    return ParameterError("query.schedule_id",
                                          "must be a schedule id (sla_ and 27 letters or digits)",
                                          "pattern");
                  }
                  schedule_id = std::string(*v);
                }
                RAPPORT_TRY(Page<Report> reports,
                            store.ListReports(ctx.tenant(),
                                              {.kind = "sla", .schedule_id = schedule_id}, page));
                return Reply::Json(200, SlaList(reports, ReportSummary));
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}",
              .required_scope = "read:sla",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, FindReport(store, ctx));
                return Reply::Json(200, ReportToJson(report));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/reports/sla/reports/{reportId}",
              .required_scope = "write:sla",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, FindReport(store, ctx));
                RAPPORT_CHECK(store.DeleteReport(ctx.tenant(), report.id));
                return Reply::NoContent();
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}/pdf",
              .required_scope = "read:sla",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, FindReport(store, ctx));
                return PdfReply(
                    ctx, store, report.id,
                    "sla-report-" + report.from_date + "-to-" + report.to_date + ".pdf");
              }});
}

}  // namespace rapport::api
