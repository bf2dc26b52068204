#include "routes.hpp"

#include <rapport/core/metrics.hpp>

namespace rapport::embedded {
extern const std::string_view rapport_openapi_json;
}

namespace rapport::api {
namespace {

// The page every seed-002 `doc_url` points at: one anchor per error code.
std::string ErrorReferencePage() {
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
  for (const auto& spec : AllErrorSpecs()) {
    row(spec.code, std::to_string(spec.status), spec.sla_type, spec.default_message);
  }
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Rapport errors</title>"
         "</head><body><h1>Rapport error codes</h1><p>Paths under <code>/v1</code> answer "
         "<code>{\"error\":{\"code\",\"message\",\"details\"},\"request_id\"}</code>; "
         "the others <code>{\"type\",\"code\",\"message\",\"doc_url\"}</code>, with every "
         "request error a 400.</p><table><tr><th>code</th><th>status</th><th>type</th>"
         "<th>meaning</th></tr>\n" +
         rows + "</table></body></html>\n";
}

}  // namespace

void AddSystemRoutes(Router& router, Store& store, const Metrics& metrics) {
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
              .handler = [&store, &metrics](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(auto jobs, store.CountJobsByStatus());
                RAPPORT_TRY(std::optional<UnixMs> oldest, store.OldestDueJobAt(ctx.now));
                Reply reply;
                reply.raw_body = metrics.Render(jobs, oldest ? (ctx.now - *oldest) / 1000.0 : 0.0) +
                                 ProcessMetrics().Render();
                reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
                return reply;
              }});
  router.Add({.method = "GET",
              .pattern = "/docs/errors",
              .required_scope = "",
              .is_public = true,
              .handler = [](RequestContext&) -> Result<Reply> {
                static const std::string page = ErrorReferencePage();
                Reply reply;
                reply.raw_body = page;
                reply.content_type = "text/html; charset=utf-8";
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
