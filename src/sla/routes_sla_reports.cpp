// Seed 002's /reports/sla: schedules (CRUD, on-demand run, run history) and generated reports.
#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_json.hpp>

#include <rapport/api/export_reply.hpp>
#include <rapport/api/pagination.hpp>
#include <rapport/api/pdf_reply.hpp>
#include <rapport/api/query.hpp>
#include <rapport/core/time.hpp>
#include <rapport/sla/sla_export.hpp>

#include <boost/json/parse.hpp>

#include <charconv>
#include "sla_routes.hpp"

namespace rapport::api {
namespace {

constexpr std::string_view kSlaKind = "sla";

Result<Report> FindSlaReport(const ReportService& reports, const RequestContext& ctx) {
  return reports.Find(ctx.tenant(), kSlaKind, ctx.Param("reportId"));
}

Result<ReportFilter> ReadSlaReportFilter(const RequestContext& ctx) {
  ReportFilter filter{.kind = std::string(kSlaKind)};
  if (auto v = ctx.Query("schedule_id"); v && !v->empty()) {
    if (!IsValidId(*v, "sla")) {
      return ParameterError("query.schedule_id",
                            "must be a schedule id (sla_ and 27 letters or digits)", "pattern");
    }
    filter.schedule_id = std::string(*v);
  }
  return filter;
}

boost::json::object ReportSummary(const Report& report) {
  // The list shows each report whole: reports are bounded by the page size (≤ 100).
  return ReportToJson(report);
}

void AddSlaScheduleRunRoutes(Router& router, SlaScheduleService& schedules,
                             std::function<void()> on_enqueue) {
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
}

// The planned runs as the CLI's `schedule preview --json` prints them, plus the zone.
boost::json::object PreviewToJson(const std::vector<PlannedRun>& runs, bool disabled) {
  boost::json::array data;
  for (const auto& r : runs) {
    data.push_back({{"run_at", FormatRfc3339(r.run_at)},
                    {"local", r.local},
                    {"from_date", r.from_date},
                    {"to_date", r.to_date},
                    {"cadence", r.cadence}});
  }
  return {{"data", std::move(data)}, {"disabled", disabled}};
}

Result<int> ReadPreviewCount(const RequestContext& ctx) {
  auto text = QueryText(ctx, "count");
  if (!text) return 5;
  int n = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || ptr != text->data() + text->size() || n < 1 || n > 50) {
    return ParameterError("query.count", "must be an integer between 1 and 50", "int_parsing");
  }
  return n;
}

void AddSlaSchedulePreviewRoute(Router& router, SlaScheduleService& schedules) {
  router.Add({.method = "POST",
              .pattern = "/reports/sla/schedules/preview",
              .required_scope = "read:sla",
              .accepts_body = true,
              .handler = [&schedules](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(int count, ReadPreviewCount(ctx));
                const auto& body = ctx.body.as_object();
                RAPPORT_TRY(std::vector<PlannedRun> runs,
                            schedules.Preview(ctx.tenant(), body, count));
                const auto* disabled = body.if_contains("disabled");
                bool off = disabled && disabled->is_bool() && disabled->as_bool();
                return Reply::Json(200, PreviewToJson(runs, off));
              }});
}

}  // namespace

void AddSlaScheduleRoutes(Router& router, SlaScheduleService& schedules,
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
  AddSlaSchedulePreviewRoute(router, schedules);
  AddSlaScheduleRunRoutes(router, schedules, std::move(on_enqueue));
}

void AddSlaReportRoutes(Router& router, const ReportService& reports) {
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports",
              .required_scope = "read:sla",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "rpt", 50));
                RAPPORT_TRY(ReportFilter filter, ReadSlaReportFilter(ctx));
                RAPPORT_TRY(Page<Report> result, reports.List(ctx.tenant(), filter, page));
                return Reply::Json(200, SlaList(result, ReportSummary));
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}",
              .required_scope = "read:sla",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, FindSlaReport(reports, ctx));
                return Reply::Json(200, ReportToJson(report));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/reports/sla/reports/{reportId}",
              .required_scope = "write:sla",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_CHECK(reports.Delete(ctx.tenant(), kSlaKind, ctx.Param("reportId")));
                return Reply::NoContent();
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}/pdf",
              .required_scope = "read:sla",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, FindSlaReport(reports, ctx));
                return PdfReply(
                    ctx, reports, report.id,
                    "sla-report-" + report.from_date + "-to-" + report.to_date + ".pdf");
              }});
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}/export",
              .required_scope = "read:sla",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, FindSlaReport(reports, ctx));
                boost::json::value body = boost::json::parse(report.body);
                return ExportReply(ctx, SlaExportTables(body.as_object()),
                                   SlaReportFileStem(body.as_object()), report.created_at);
              }});
}

}  // namespace rapport::api
