// The share-link routes: per report family (the SLA kind's seed-002 paths, the brand kind's /v1
// ones) create, list and revoke; and the public /shared/{token} pages. The sharing module names
// no kind: the wiring describes each family (SharedReportKind) and hands the RouteSet to the Api
// (ApiConfig::route_sets).
#pragma once

#include <rapport/api/kind_routes.hpp>
#include <rapport/sharing/share_service.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <vector>

namespace rapport {

// One report family whose reports can be shared.
struct SharedReportKind {
  std::string kind;  // Report::kind of its reports
  bool v1 = false;   // seed 000's list shape and delete answer, else seed 002's
  // The report's path and its parameter, e.g. "/reports/sla/reports/{reportId}", "reportId";
  // the routes are `report_path + "/shares"` and `report_path + "/shares/{" + share_param + "}"`.
  std::string report_path;
  std::string report_param;
  std::string share_param;
  std::string read_scope;
  std::string write_scope;
  // The report exactly as the family's own GET of it answers (the body of /shared/{token}).
  std::function<boost::json::object(const Report&)> to_json;
  // Optional: POST `schedule_path` (scope `schedule_scope`) shares the newest completed report of
  // the schedule named by `schedule_param`; `latest` finds it (kNotFound for an unknown schedule,
  // kConflict when it has none).
  std::string schedule_path;
  std::string schedule_param;
  std::string schedule_scope;
  std::function<Result<Report>(const std::string& tenant_id, const std::string& schedule_id)>
      latest;
};

// What the routes read beside the shares; each must outlive the Api.
struct SharingStores {
  ReportStore& reports;
  WhiteLabelStore& labels;
};

// Every share route: each family's, and GET /shared/{token} (the report's JSON, the tenant's
// branding; counts a view), /shared/{token}/pdf (inline) and /shared/{token}/logo, public.
// `public_url` is the base of each link's `url` (`<public_url>/s/<token>`). `shares`, the stores
// and the kinds' functions must outlive the Api.
api::RouteSet SharingRouteSet(ShareService& shares, SharingStores stores,
                              std::vector<SharedReportKind> kinds, std::string public_url);

}  // namespace rapport
