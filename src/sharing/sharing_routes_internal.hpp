// Private to the sharing module: what its route files share.
#pragma once

#include <rapport/reports/report_service.hpp>
#include <rapport/sharing/sharing_routes.hpp>

namespace rapport::sharing {

// Everything the share routes use; owned by the RouteSet, which outlives the Api's router.
struct Env {
  ShareService& shares;
  ReportService reports;
  ReportStore& report_store;  // a shared report is found by id alone (its kind is any shared one)
  WhiteLabelStore& labels;
  std::vector<SharedReportKind> kinds;
  std::string public_url;
};

// Each family's create, list, revoke (and schedule) routes.
void AddShareRoutes(api::Router& router, const Env& env);
// GET /shared/{token}, /shared/{token}/pdf, /shared/{token}/logo (public).
void AddSharedRoutes(api::Router& router, const Env& env);

}  // namespace rapport::sharing
