// /v1/settings: a tenant's settings (today the default retention of its reports), read and
// patched by its admins.
#include "routes.hpp"

#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>
#include <rapport/reports/retention.hpp>

namespace rapport::api {
namespace {

namespace json = boost::json;

json::object SettingsToJson(const TenantSettings& s) {
  return json::object{{"object", "settings"},
                      {"report_retention_days", RetentionDaysJson(s.report_retention_days)},
                      {"updated_at", s.updated_at ? json::value(FormatRfc3339(s.updated_at))
                                                  : json::value(nullptr)}};
}

// Applies a PATCH body to `s`: a member left out keeps its value, null clears it.
Status PatchSettings(const json::object& body, TenantSettings& s) {
  BodyReader reader(body, "body");
  reader.RejectUnknown({"report_retention_days"});
  ReadRetentionDays(reader, s.report_retention_days);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return Ok{};
}

}  // namespace

void AddSettingsRoutes(Router& router, RetentionStore& store) {
  router.Add({.method = "GET",
              .pattern = "/v1/settings",
              .required_scope = "read:settings",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(TenantSettings s, store.GetTenantSettings(ctx.tenant()));
                return Reply::Json(200, SettingsToJson(s));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/settings",
              .required_scope = "write:settings",
              .accepts_body = true,
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(TenantSettings s, store.GetTenantSettings(ctx.tenant()));
                RAPPORT_CHECK(PatchSettings(ctx.body.as_object(), s));
                s.updated_at = ctx.now;
                RAPPORT_CHECK(store.PutTenantSettings(s));
                return Reply::Json(200, SettingsToJson(s));
              }});
}

}  // namespace rapport::api
