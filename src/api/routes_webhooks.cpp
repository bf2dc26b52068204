// Webhook endpoints of one owner in one API family (a kind says which: the brand kind
// /v1/brands/{brand_id}/webhooks, the SLA kind /reports/sla/webhooks): same service, each
// family's list shape and delete answer.
#include <rapport/core/ids.hpp>
#include <rapport/delivery/webhooks.hpp>

#include <boost/json.hpp>

#include <rapport/api/kind_routes.hpp>
#include <rapport/api/pagination.hpp>

namespace rapport::api {
namespace {

namespace json = boost::json;

using Family = WebhookFamily;

template <class T, class F>
json::object ListOf(const Family& f, const Page<T>& page, F to_json) {
  return f.v1 ? V1List(page, to_json) : SlaList(page, to_json);
}

// POST and GET of the family's endpoints, GET and PATCH of one.
void AddEndpointRoutes(Router& router, WebhookService& hooks, const Family& f) {
  std::string one = f.base + "/{webhook_id}";
  auto endpoint_json = [&hooks](const WebhookEndpoint& e) { return hooks.EndpointJson(e, false); };
  router.Add({.method = "POST",
              .pattern = f.base,
              .required_scope = "write:webhooks",
              .accepts_body = true,
              .handler = [&hooks, f](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WebhookEndpoint e,
                            hooks.Create(ctx.tenant(), f.owner(ctx), ctx.body.as_object()));
                return Reply::Json(201, hooks.EndpointJson(e, true));
              }});
  router.Add({.method = "GET",
              .pattern = f.base,
              .required_scope = "read:webhooks",
              .handler = [&hooks, f, endpoint_json](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "whk", 20));
                RAPPORT_TRY(Page<WebhookEndpoint> list,
                            hooks.List(ctx.tenant(), f.owner(ctx), page));
                return Reply::Json(200, ListOf(f, list, endpoint_json));
              }});
  router.Add({.method = "GET",
              .pattern = one,
              .required_scope = "read:webhooks",
              .handler = [&hooks, f](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WebhookEndpoint e,
                            hooks.Get(ctx.tenant(), f.owner(ctx), ctx.Param("webhook_id")));
                return Reply::Json(200, hooks.EndpointJson(e, false));
              }});
  router.Add({.method = "PATCH",
              .pattern = one,
              .required_scope = "write:webhooks",
              .accepts_body = true,
              .handler = [&hooks, f](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WebhookEndpoint e,
                            hooks.Patch(ctx.tenant(), f.owner(ctx), ctx.Param("webhook_id"),
                                        ctx.body.as_object()));
                return Reply::Json(200, hooks.EndpointJson(e, false));
              }});
}

// DELETE of one endpoint, its secret's rotation, its delivery log and re-delivery.
void AddEndpointActionRoutes(Router& router, WebhookService& hooks, const Family& f,
                             const std::function<void()>& on_enqueue) {
  std::string one = f.base + "/{webhook_id}";
  router.Add(
      {.method = "DELETE",
       .pattern = one,
       .required_scope = "write:webhooks",
       .handler = [&hooks, f](RequestContext& ctx) -> Result<Reply> {
         const std::string& id = ctx.Param("webhook_id");
         RAPPORT_CHECK(hooks.Delete(ctx.tenant(), f.owner(ctx), id));
         if (!f.v1) return Reply::NoContent();
         return Reply::Json(200, {{"id", id}, {"object", "webhook_endpoint"}, {"deleted", true}});
       }});
  router.Add({.method = "POST",
              .pattern = one + "/rotate-secret",
              .required_scope = "write:webhooks",
              .accepts_body = true,
              .body_optional = true,
              .handler = [&hooks, f](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WebhookEndpoint e, hooks.RotateSecret(ctx.tenant(), f.owner(ctx),
                                                                  ctx.Param("webhook_id")));
                return Reply::Json(200, hooks.EndpointJson(e, true));
              }});
  router.Add({.method = "GET",
              .pattern = one + "/deliveries",
              .required_scope = "read:webhooks",
              .handler = [&hooks, f](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "dlv", 20));
                RAPPORT_TRY(
                    Page<WebhookDelivery> list,
                    hooks.Deliveries(ctx.tenant(), f.owner(ctx), ctx.Param("webhook_id"), page));
                return Reply::Json(200, ListOf(f, list, WebhookDeliveryToJson));
              }});
  router.Add({.method = "POST",
              .pattern = one + "/deliveries/{delivery_id}/redeliver",
              .required_scope = "write:webhooks",
              .accepts_body = true,
              .body_optional = true,
              .handler = [&hooks, f, on_enqueue](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(WebhookDelivery d,
                            hooks.Redeliver(ctx.tenant(), f.owner(ctx), ctx.Param("webhook_id"),
                                            ctx.Param("delivery_id")));
                if (on_enqueue) on_enqueue();
                return Reply::Json(202, WebhookDeliveryToJson(d));
              }});
}

}  // namespace

void AddWebhookFamilyRoutes(Router& router, WebhookService& hooks, const WebhookFamily& family,
                            std::function<void()> on_enqueue) {
  AddEndpointRoutes(router, hooks, family);
  AddEndpointActionRoutes(router, hooks, family, on_enqueue);
}

}  // namespace rapport::api
