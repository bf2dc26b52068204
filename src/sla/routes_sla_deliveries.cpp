// Seed 002's /reports/sla/reports/{reportId}/deliveries: a report's e-mails and re-sending one.
#include <rapport/api/pagination.hpp>
#include <rapport/delivery/email.hpp>

#include "sla_routes.hpp"

namespace rapport::api {

void AddReportDeliveryRoutes(Router& router, const ReportService& reports,
                             EmailDeliveryService& emails, std::function<void()> on_enqueue) {
  auto find_report = [&reports](const RequestContext& ctx) -> Result<Report> {
    return reports.Find(ctx.tenant(), "sla", ctx.Param("reportId"));
  };
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}/deliveries",
              .required_scope = "read:sla",
              .handler = [&emails, find_report](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, find_report(ctx));
                RAPPORT_TRY(std::vector<EmailDelivery> list, emails.List(ctx.tenant(), report.id));
                Page<EmailDelivery> page{std::move(list), false};
                return Reply::Json(200, SlaList(page, EmailDeliveryToJson));
              }});
  router.Add({.method = "POST",
              .pattern = "/reports/sla/reports/{reportId}/deliveries/{deliveryId}/resend",
              .required_scope = "write:sla",
              .accepts_body = true,
              .body_optional = true,
              .handler = [&emails, find_report, on_enqueue](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, find_report(ctx));
                RAPPORT_TRY(EmailDelivery d,
                            emails.Resend(ctx.tenant(), report.id, ctx.Param("deliveryId")));
                if (on_enqueue) on_enqueue();
                return Reply::Json(202, EmailDeliveryToJson(d));
              }});
}

}  // namespace rapport::api
