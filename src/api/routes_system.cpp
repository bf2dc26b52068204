#include "routes.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/metrics.hpp>

#include <rapport/api/pdf_reply.hpp>

namespace rapport::embedded {
extern const std::string_view rapport_openapi_json;
extern const std::string_view rapport_redoc_js;  // empty in a build with RAPPORT_DOCS_UI=OFF
}  // namespace rapport::embedded

namespace rapport::api {
namespace {

// The page every seed-002 `doc_url` points at: one anchor per error code.
std::string BuildErrorReferencePage(const std::vector<ErrorSpec>& kind_specs) {
  std::string rows;
  auto row = [&rows](std::string_view code, std::string_view status, std::string_view type,
                     std::string_view text) {
    rows += "<tr id=\"" + std::string(code) + "\"><td><code>" + std::string(code) +
            "</code></td><td>" + std::string(status) + "</td><td><code>" + std::string(type) +
            "</code></td><td>" + std::string(text) + "</td></tr>\n";
  };
  row("parameter_missing", "400", "invalid_request_error",
      "A required parameter or body field is absent; the message names it.");
  row("parameter_invalid", "400", "invalid_request_error",
      "A parameter or body field has the wrong type, format or range; the message names it.");
  for (auto specs : {AllErrorSpecs(), std::span<const ErrorSpec>(kind_specs)}) {
    for (const auto& spec : specs) {
      row(spec.code, std::to_string(spec.status), spec.sla_type, spec.default_message);
    }
  }
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Rapport errors</title>"
         "</head><body><h1>Rapport error codes</h1><p>Paths under <code>/v1</code> answer "
         "<code>{\"error\":{\"code\",\"message\",\"details\"},\"request_id\"}</code>; "
         "the others <code>{\"type\",\"code\",\"message\",\"doc_url\"}</code>, with every "
         "request error a 400.</p><table><tr><th>code</th><th>status</th><th>type</th>"
         "<th>meaning</th></tr>\n" +
         rows + "</table></body></html>\n";
}

// The API reference at /docs: Redoc, served from rapportd itself, renders /openapi.json.
std::string BuildApiReferencePage() {
  const std::string head =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Rapport API reference</title><style>body{margin:0;padding:0}</style></head><body>";
  if (embedded::rapport_redoc_js.empty()) {
    return head +
           "<h1>Rapport API reference</h1><p>This rapportd was built without the bundled "
           "reference viewer (<code>-DRAPPORT_DOCS_UI=OFF</code>). The OpenAPI 3.1 document is "
           "at <a href=\"/openapi.json\">/openapi.json</a>; error codes are listed at "
           "<a href=\"/docs/errors\">/docs/errors</a>.</p></body></html>\n";
  }
  return head +
         "<noscript>The reference needs JavaScript; the document itself is at "
         "<a href=\"/openapi.json\">/openapi.json</a>.</noscript><div id=\"redoc\"></div>"
         "<script src=\"/docs/redoc.standalone.js\"></script>"
         "<script src=\"/docs/redoc-init.js\"></script></body></html>\n";
}

// Starts Redoc; a file of its own because the page's CSP allows no inline script.
constexpr std::string_view kRedocInit =
    "Redoc.init(\"/openapi.json\",{expandResponses:\"200,201,202\",pathInMiddlePanel:true,"
    "sortPropsAlphabetically:false,jsonSampleExpandLevel:3},"
    "document.getElementById(\"redoc\"));\n";

// The bundle is a megabyte: streamed from the binary's read-only data, never copied, and
// cacheable (its ETag is its digest).
Result<Reply> RedocBundleReply(const RequestContext& ctx) {
  constexpr size_t kPiece = 256 * 1024;
  std::string_view bundle = embedded::rapport_redoc_js;
  if (bundle.empty()) return Error(ErrorCode::kNotFound, "This build has no bundled Redoc");
  static const std::string etag = "\"" + HexEncode(Sha256(bundle)).substr(0, 32) + "\"";
  Reply reply;
  reply.content_type = "text/javascript; charset=utf-8";
  if (AnswerNotModified(ctx, reply, etag, "public, max-age=86400")) return reply;
  reply.raw_length = static_cast<int64_t>(bundle.size());
  reply.next_piece = [bundle]() mutable -> std::optional<std::string> {
    std::string piece(bundle.substr(0, kPiece));
    bundle.remove_prefix(piece.size());
    return piece;
  };
  return reply;
}

std::string ApiReferencePage() {
  static const std::string page = BuildApiReferencePage();
  return page;
}

// A public GET route answering `page()` as HTML.
Route HtmlPageRoute(std::string pattern, std::function<std::string()> page) {
  return {.method = "GET",
          .pattern = std::move(pattern),
          .required_scope = "",
          .is_public = true,
          .handler = [page](RequestContext&) -> Result<Reply> {
            Reply reply;
            reply.raw_body = page();
            reply.content_type = "text/html; charset=utf-8";
            AddHtmlSecurityHeaders(reply, HtmlPolicy::kDocs);
            return reply;
          }};
}

}  // namespace

void AddSystemRoutes(Router& router, StoreHealth& store, JobService& jobs, const Metrics& metrics,
                     const std::vector<ErrorSpec>& kind_errors, StorageGauges& storage) {
  router.Add({.method = "GET",
              .pattern = "/healthz",
              .required_scope = "",
              .is_public = true,
              .handler = [](RequestContext&) -> Result<Reply> {
                return Reply::Json(200, {{"status", "ok"}});
              }});
  router.Add({.method = "GET",
              .pattern = "/readyz",
              .required_scope = "",
              .is_public = true,
              .handler = [&store](RequestContext&) -> Result<Reply> {
                RAPPORT_CHECK(store.CheckReady());
                RAPPORT_TRY(int version, store.SchemaVersion());
                return Reply::Json(200, {{"status", "ready"}, {"schema_version", version}});
              }});
  router.Add({.method = "GET",
              .pattern = "/metrics",
              .required_scope = "",
              .is_public = true,
              .handler = [&jobs, &metrics, &storage](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(auto counts, jobs.CountByStatus());
                RAPPORT_TRY(std::optional<UnixMs> oldest, jobs.OldestDueAt(ctx.now));
                RAPPORT_TRY(std::string stored, storage.Render(ctx.now));
                Reply reply;
                reply.raw_body =
                    metrics.Render(counts, oldest ? (ctx.now - *oldest) / 1000.0 : 0.0) + stored +
                    ProcessMetrics().Render();
                reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
                return reply;
              }});
  auto errors = std::make_shared<const std::string>(BuildErrorReferencePage(kind_errors));
  router.Add(HtmlPageRoute("/docs/errors", [errors] { return *errors; }));
  router.Add(HtmlPageRoute("/docs", ApiReferencePage));
  router.Add({.method = "GET",
              .pattern = "/docs/redoc.standalone.js",
              .required_scope = "",
              .is_public = true,
              .handler = RedocBundleReply});
  router.Add({.method = "GET",
              .pattern = "/docs/redoc-init.js",
              .required_scope = "",
              .is_public = true,
              .handler = [](RequestContext&) -> Result<Reply> {
                Reply reply;
                reply.raw_body = std::string(kRedocInit);
                reply.content_type = "text/javascript; charset=utf-8";
                return reply;
              }});
  router.Add({.method = "GET",
              .pattern = "/openapi.json",
              .required_scope = "",
              .is_public = true,
              .handler = [](RequestContext&) -> Result<Reply> {
                Reply reply;
                reply.raw_body = std::string(embedded::rapport_openapi_json);
                reply.content_type = "application/json";
                return reply;
              }});
}

}  // namespace rapport::api
