// GET /reports/sla/uptime: live uptime of every site over a window (default: this month so far),
// by tag group, with the lowest sites (SiteUptimeService).
#include <rapport/api/pagination.hpp>
#include <rapport/api/query.hpp>
#include "sla_routes.hpp"

#include <charconv>
#include <cstdlib>

namespace rapport::api {
namespace {

Result<UptimeSummaryRequest> ReadUptimeRequest(const RequestContext& ctx) {
  UptimeSummaryRequest request;
  RAPPORT_TRY(request.from, QueryInstant(ctx, "from"));
  RAPPORT_TRY(request.to, QueryInstant(ctx, "to"));
  request.group_by = QueryText(ctx, "group_by");
  if (auto text = QueryText(ctx, "lowest")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), request.lowest);
    if (ec != std::errc() || ptr != text->data() + text->size() || request.lowest < 0 ||
        request.lowest > 100) {
      return ParameterError("query.lowest", "must be an integer between 0 and 100", "int_parsing");
    }
  }
  if (auto text = QueryText(ctx, "target")) {
    char* end = nullptr;
    request.target = std::strtod(text->c_str(), &end);
    if (end != text->c_str() + text->size() || !(request.target >= 75 && request.target <= 100)) {
      return ParameterError("query.target", "must be a number between 75 and 100", "float_parsing");
    }
  }
  return request;
}

}  // namespace

void AddUptimeRoute(Router& router, const SiteUptimeService& uptime) {
  router.Add({.method = "GET",
              .pattern = "/reports/sla/uptime",
              .required_scope = "read:sla",
              .handler = [&uptime](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(UptimeSummaryRequest request, ReadUptimeRequest(ctx));
                RAPPORT_TRY(UptimeSummary summary, uptime.Summarize(ctx.tenant(), request));
                return Reply::Json(200, UptimeSummaryToJson(summary));
              }});
}

}  // namespace rapport::api
