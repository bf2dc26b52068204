#include "routes.hpp"

namespace rapport::embedded {
extern const std::string_view rapport_openapi_json;
}

namespace rapport::api {

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
              .handler = [&store, &metrics](RequestContext&) -> Result<Reply> {
                RAPPORT_TRY(auto jobs, store.CountJobsByStatus());
                Reply reply;
                reply.raw_body = metrics.Render(jobs);
                reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
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
