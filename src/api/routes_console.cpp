// The web console (web/console/, built by Vite into three files that CMake embeds): its page at
// `/` and at `/s/{token}` (a shared report, read by the app from location.pathname), and its two
// assets. Also the security headers every HTML page of rapportd carries (see routes.hpp).
#include "routes.hpp"

#include <rapport/core/encoding.hpp>

#include <rapport/api/pdf_reply.hpp>

namespace rapport::embedded {
// All three are empty in a build with RAPPORT_DOCS_UI=OFF.
extern const std::string_view rapport_console_html;
extern const std::string_view rapport_console_js;
extern const std::string_view rapport_console_css;
}  // namespace rapport::embedded

namespace rapport::api {
namespace {

constexpr std::string_view kConsolePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
// Redoc injects its styles as <style> elements (styled-components) and runs its search index in
// a worker made from a blob: URL; scripts stay 'self' only.
constexpr std::string_view kDocsPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; frame-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

constexpr std::string_view kNotBuiltPage =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Rapport</title></head><body><h1>Rapport</h1><p>This rapportd was built without the "
    "web console (<code>-DRAPPORT_DOCS_UI=OFF</code>). The API is served as usual; its "
    "reference is at <a href=\"/docs\">/docs</a> and <a href=\"/openapi.json\">/openapi.json</a>."
    "</p></body></html>\n";

std::string_view ConsolePage() {
  return embedded::rapport_console_html.empty() ? kNotBuiltPage : embedded::rapport_console_html;
}

Reply ConsolePageReply(HtmlPolicy policy) {
  Reply reply;
  reply.raw_body = std::string(ConsolePage());
  reply.content_type = "text/html; charset=utf-8";
  reply.headers.emplace_back("Cache-Control", "no-cache");
  AddHtmlSecurityHeaders(reply, policy);
  return reply;
}

// An embedded asset, cacheable for an hour, revalidated by its digest.
Route AssetRoute(std::string pattern, std::string_view bytes, std::string content_type) {
  auto etag =
      std::make_shared<const std::string>("\"" + HexEncode(Sha256(bytes)).substr(0, 32) + "\"");
  return {.method = "GET",
          .pattern = std::move(pattern),
          .required_scope = "",
          .is_public = true,
          .handler = [bytes, etag, content_type](RequestContext& ctx) -> Result<Reply> {
            if (bytes.empty()) return Error(ErrorCode::kNotFound, "This build has no console");
            Reply reply;
            reply.content_type = content_type;
            reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
            if (AnswerNotModified(ctx, reply, *etag, "public, max-age=3600")) return reply;
            reply.raw_body = std::string(bytes);
            return reply;
          }};
}

}  // namespace

void AddHtmlSecurityHeaders(Reply& reply, HtmlPolicy policy) {
  reply.headers.emplace_back("Content-Security-Policy",
                             policy == HtmlPolicy::kDocs ? kDocsPolicy : kConsolePolicy);
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("X-Frame-Options", "DENY");
  if (policy == HtmlPolicy::kSharedReport) {
    reply.headers.emplace_back("Referrer-Policy", "no-referrer");
    reply.headers.emplace_back("X-Robots-Tag", "noindex, nofollow");
  } else {
    reply.headers.emplace_back("Referrer-Policy", "same-origin");
  }
}

void AddConsoleRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = "/",
              .required_scope = "",
              .is_public = true,
              .handler = [](RequestContext&) -> Result<Reply> {
                return ConsolePageReply(HtmlPolicy::kConsole);
              }});
  router.Add({.method = "GET",
              .pattern = "/s/{token}",
              .required_scope = "",
              .is_public = true,
              .handler = [](RequestContext&) -> Result<Reply> {
                return ConsolePageReply(HtmlPolicy::kSharedReport);
              }});
  router.Add(AssetRoute("/assets/console.js", embedded::rapport_console_js,
                        "text/javascript; charset=utf-8"));
  router.Add(
      AssetRoute("/assets/console.css", embedded::rapport_console_css, "text/css; charset=utf-8"));
}

}  // namespace rapport::api
