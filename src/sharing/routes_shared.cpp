// The public side of share links: /shared/{token} (the report's JSON and the tenant's branding;
// counts a view), its PDF inline and its logo. An unknown, expired or revoked token, or a report
// deleted since, is one 404. The pipeline adds X-Robots-Tag, Referrer-Policy and Cache-Control to
// every /shared response, errors included.
#include "sharing_routes_internal.hpp"

#include <rapport/api/pdf_reply.hpp>
#include <rapport/api/white_label_reply.hpp>

#include <algorithm>

namespace rapport::sharing {
namespace {

namespace json = boost::json;
using api::Reply;
using api::RequestContext;

const SharedReportKind* KindOf(const Env& env, const Report& report) {
  for (const auto& kind : env.kinds) {
    if (kind.kind == report.kind) return &kind;
  }
  return nullptr;
}

// The share's report; kNotFound ("Shared report") when it was deleted or its kind is not shared.
Result<Report> SharedReport(const Env& env, const Share& share) {
  auto report = env.report_store.GetReport(share.tenant_id, share.report_id);
  if (!report.ok()) return Error::NotFound("Shared report");
  return report;
}

WhiteLabel BrandingOf(const Env& env, const std::string& tenant_id) {
  auto label = env.labels.GetWhiteLabel(tenant_id);
  return label.ok() ? std::move(*label) : WhiteLabel{.tenant_id = tenant_id};
}

json::object BrandingToJson(const WhiteLabel& label, const std::string& token) {
  auto text = [](const std::optional<std::string>& v) -> json::value {
    return v ? json::value(*v) : json::value(nullptr);
  };
  return {{"name", text(label.name)},
          {"accent_color", text(label.accent_color)},
          {"logo_url",
           label.logo.empty() ? json::value(nullptr) : json::value("/shared/" + token + "/logo")}};
}

Result<Reply> SharedJson(const Env& env, RequestContext& ctx) {
  const std::string& token = ctx.Param("token");
  RAPPORT_TRY(Share share, env.shares.Open(token, true));
  RAPPORT_TRY(Report report, SharedReport(env, share));
  const SharedReportKind* kind = KindOf(env, report);
  if (kind == nullptr) return Error::NotFound("Shared report");
  return Reply::Json(
      200, json::object{{"object", "shared_report"},
                        {"kind", report.kind},
                        {"report", kind->to_json(report)},
                        {"branding", BrandingToJson(BrandingOf(env, share.tenant_id), token)},
                        {"expires_at", FormatRfc3339(share.expires_at)}});
}

Result<Reply> SharedPdf(const Env& env, RequestContext& ctx) {
  RAPPORT_TRY(Share share, env.shares.Open(ctx.Param("token"), false));
  RAPPORT_TRY(Report report, SharedReport(env, share));
  ctx.principal.tenant_id = share.tenant_id;  // PdfReply reads the tenant's artifact
  RAPPORT_TRY(Reply reply, api::PdfReply(ctx, env.reports, report.id, report.id + ".pdf"));
  std::erase_if(reply.headers, [](const auto& h) { return h.first == "Content-Disposition"; });
  reply.headers.emplace_back("Content-Disposition", "inline; filename=\"" + report.id + ".pdf\"");
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return reply;
}

}  // namespace

void AddSharedRoutes(api::Router& router, const Env& env) {
  router.Add({.method = "GET",
              .pattern = "/shared/{token}",
              .is_public = true,
              .handler = [&env](RequestContext& ctx) { return SharedJson(env, ctx); }});
  router.Add({.method = "GET",
              .pattern = "/shared/{token}/pdf",
              .is_public = true,
              .handler = [&env](RequestContext& ctx) { return SharedPdf(env, ctx); }});
  router.Add({.method = "GET",
              .pattern = "/shared/{token}/logo",
              .is_public = true,
              .handler = [&env](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Share share, env.shares.Open(ctx.Param("token"), false));
                return api::WhiteLabelLogoReply(BrandingOf(env, share.tenant_id));
              }});
}

}  // namespace rapport::sharing

namespace rapport {

api::RouteSet SharingRouteSet(ShareService& shares, SharingStores stores,
                              std::vector<SharedReportKind> kinds, std::string public_url) {
  auto env = std::make_shared<sharing::Env>(sharing::Env{.shares = shares,
                                                         .reports = ReportService(stores.reports),
                                                         .report_store = stores.reports,
                                                         .labels = stores.labels,
                                                         .kinds = std::move(kinds),
                                                         .public_url = std::move(public_url)});
  return [env](api::Router& router, const api::RouteEnv&) {
    sharing::AddShareRoutes(router, *env);
    sharing::AddSharedRoutes(router, *env);
  };
}

}  // namespace rapport
