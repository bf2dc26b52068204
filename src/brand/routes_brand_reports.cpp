// Seed 000's /v1/reports: the reports brand runs produce (list, one, summary, its prompts page by
// page, delete, PDF), through the report service every kind shares.
#include <rapport/brand/brand_export.hpp>
#include <rapport/brand/report_prompts.hpp>

#include <boost/json.hpp>

#include <rapport/api/export_reply.hpp>
#include <rapport/api/pagination.hpp>
#include <rapport/api/pdf_reply.hpp>
#include <rapport/api/query.hpp>
#include "brand_routes.hpp"

namespace rapport::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kBrandKind = "brand";

Result<ReportFilter> ReadBrandReportFilter(const RequestContext& ctx) {
  ReportFilter filter{.kind = std::string(kBrandKind)};
  RAPPORT_TRY(std::string brand, RequiredId(ctx, "brand_id", "brand"));
  filter.brand_id = brand;
  filter.status = QueryText(ctx, "status");
  if (filter.status && *filter.status != "completed" && *filter.status != "failed") {
    return ParameterError("query.status", "must be completed or failed", "enum");
  }
  filter.schedule_id = QueryText(ctx, "scheduled_report_id");
  filter.batch_id = QueryText(ctx, "batch_id");
  return filter;
}

Result<Report> FindBrandReport(const ReportService& reports, const RequestContext& ctx) {
  return reports.Find(ctx.tenant(), kBrandKind, ctx.Param("report_id"));
}

void AddBrandReportReadRoutes(Router& router, const ReportService& reports) {
  router.Add({.method = "GET",
              .pattern = "/v1/reports",
              .required_scope = "read:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "rpt", 20));
                RAPPORT_TRY(ReportFilter filter, ReadBrandReportFilter(ctx));
                RAPPORT_TRY(Page<Report> result, reports.List(ctx.tenant(), filter, page));
                return Reply::Json(200, V1List(result, BrandReportSummaryToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}",
              .required_scope = "read:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(reports, ctx));
                json::object report = BrandReportToJson(r);
                CapInlinePrompts(report);  // the rest: GET /v1/reports/{report_id}/prompts
                return Reply::Json(200, std::move(report));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/summary",
              .required_scope = "read:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(reports, ctx));
                return Reply::Json(200, BrandReportSummaryToJson(r));
              }});
}

}  // namespace

void AddBrandReportRoutes(Router& router, const ReportService& reports) {
  AddBrandReportReadRoutes(router, reports);
  router.Add({.method = "DELETE",
              .pattern = "/v1/reports/{report_id}",
              .required_scope = "write:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r,
                            reports.Delete(ctx.tenant(), kBrandKind, ctx.Param("report_id")));
                return Reply::Json(200, {{"id", r.id}, {"object", "report"}, {"deleted", true}});
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/pdf",
              .required_scope = "read:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(reports, ctx));
                return PdfReply(ctx, reports, r.id, r.id + ".pdf");
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/export",
              .required_scope = "read:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report r, FindBrandReport(reports, ctx));
                json::value body = json::parse(r.body);
                return ExportReply(ctx, BrandExportTables(body.as_object()), r.id, r.created_at);
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/prompts",
              .required_scope = "read:reports",
              .handler = [&reports](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "prm", 20));
                RAPPORT_TRY(Report r, FindBrandReport(reports, ctx));
                RAPPORT_TRY(Page<ReportPrompt> prompts, ReportPrompts(r, page));
                return Reply::Json(200,
                                   V1List(prompts, [](const ReportPrompt& p) { return p.item; }));
              }});
}

}  // namespace rapport::api
