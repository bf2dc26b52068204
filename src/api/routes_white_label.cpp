// /v1/white-label: a tenant's branding (name, accent colour, logo), read and patched, and the
// logo's bytes; an SVG logo is served under a CSP that runs and fetches nothing.
#include <rapport/api/white_label_reply.hpp>

#include "routes.hpp"
#include "white_label.hpp"

namespace rapport::api {
namespace {

constexpr const char* kSvgLogoPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

}  // namespace

Result<Reply> WhiteLabelLogoReply(const WhiteLabel& label) {
  if (label.logo.empty()) return Error::NotFound("Logo");
  Reply reply;
  reply.content_type = label.logo_content_type;
  reply.raw_body = label.logo;
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Cache-Control", "private, no-cache");
  if (label.logo_content_type == "image/svg+xml") {
    reply.headers.emplace_back("Content-Security-Policy", kSvgLogoPolicy);
  }
  return reply;
}

void AddWhiteLabelRoutes(Router& router, WhiteLabelStore& store) {
  auto service = std::make_shared<WhiteLabelService>(store);
  router.Add({.method = "GET",
              .pattern = "/v1/white-label",
              .required_scope = "read:white-label",
              .handler = [service](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WhiteLabel label, service->Get(ctx.tenant()));
                return Reply::Json(200, WhiteLabelToJson(label));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/white-label",
              .required_scope = "write:white-label",
              .accepts_body = true,
              .handler = [service](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WhiteLabel label,
                            service->Patch(ctx.tenant(), ctx.body.as_object(), ctx.now));
                return Reply::Json(200, WhiteLabelToJson(label));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/white-label/logo",
              .required_scope = "read:white-label",
              .handler = [service](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WhiteLabel label, service->Get(ctx.tenant()));
                return WhiteLabelLogoReply(label);
              }});
}

}  // namespace rapport::api
