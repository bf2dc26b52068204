// Which report families can be shared, and how each shows a report: the one place that names
// the kinds for the sharing module (as MakeReportKinds does for rapportd).
#include <rapport/app/sharing_wiring.hpp>

#include <rapport/brand/report_prompts.hpp>
#include <rapport/sla/sla_report.hpp>

namespace rapport {
namespace {

SharedReportKind SlaShares() {
  return {.kind = "sla",
          .v1 = false,
          .report_path = "/reports/sla/reports/{reportId}",
          .report_param = "reportId",
          .share_param = "shareId",
          .read_scope = "read:sla",
          .write_scope = "write:sla",
          .to_json = [](const Report& r) { return ReportToJson(r); }};
}

// The newest completed report of a scheduled report; kNotFound for another tenant's or an
// unknown schedule, kConflict when none has completed yet.
Result<Report> LatestOfScheduledReport(Store& store, const std::string& tenant_id,
                                       const std::string& schedule_id) {
  RAPPORT_TRY(ScheduledReport schedule, store.GetScheduledReport(tenant_id, schedule_id));
  ReportFilter filter{.kind = "brand", .schedule_id = schedule.id, .status = "completed"};
  RAPPORT_TRY(Page<Report> latest, store.ListReports(tenant_id, filter, {.limit = 1}));
  if (latest.items.empty()) {
    return Error(ErrorCode::kConflict,
                 "Scheduled report " + schedule.id + " has no completed report to share yet");
  }
  return std::move(latest.items.front());
}

SharedReportKind BrandShares(Store& store) {
  return {.kind = "brand",
          .v1 = true,
          .report_path = "/v1/reports/{report_id}",
          .report_param = "report_id",
          .share_param = "share_id",
          .read_scope = "read:reports",
          .write_scope = "write:reports",
          .to_json =
              [](const Report& r) {
                boost::json::object report = BrandReportToJson(r);
                CapInlinePrompts(report);  // as GET /v1/reports/{report_id}
                return report;
              },
          .schedule_path = "/v1/scheduled-reports/{scheduled_report_id}/shares",
          .schedule_param = "scheduled_report_id",
          .schedule_scope = "write:scheduled",
          .latest =
              [&store](const std::string& tenant, const std::string& id) {
                return LatestOfScheduledReport(store, tenant, id);
              }};
}

}  // namespace

std::vector<SharedReportKind> SharedReportKinds(Store& store) {
  return {SlaShares(), BrandShares(store)};
}

}  // namespace rapport
