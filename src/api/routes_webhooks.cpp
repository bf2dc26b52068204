// Deliveries. Webhook endpoints in both families: /v1/brands/{brand_id}/webhooks (a brand's
// events) and /reports/sla/webhooks (the tenant's SLA events), same service, each family's list
// shape and delete answer; and the e-mail delivery log of SLA reports.
#include <rapport/core/ids.hpp>
#include <rapport/delivery/email.hpp>
#include <rapport/delivery/webhooks.hpp>

#include <boost/json.hpp>

#include "pagination.hpp"
#include "routes.hpp"

namespace rapport::api {
namespace {

namespace json = boost::json;

struct Family {
  std::string base;  // up to and including ".../webhooks"
  bool v1;
  std::function<WebhookService::Owner(const RequestContext&)> owner;
};

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

void AddFamily(Router& router, WebhookService& hooks, const Family& f,
               const std::function<void()>& on_enqueue) {
  AddEndpointRoutes(router, hooks, f);
  AddEndpointActionRoutes(router, hooks, f, on_enqueue);
}

}  // namespace

void AddWebhookRoutes(Router& router, WebhookService& hooks, std::function<void()> on_enqueue) {
  AddFamily(router, hooks,
            {"/v1/brands/{brand_id}/webhooks", true,
             [](const RequestContext& ctx) {
               return WebhookService::Owner{"brand", ctx.Param("brand_id")};
             }},
            on_enqueue);
  AddFamily(router, hooks,
            {"/reports/sla/webhooks", false,
             [](const RequestContext&) {
               return WebhookService::Owner{"sla", ""};
             }},
            on_enqueue);
}

void AddReportDeliveryRoutes(Router& router, const ReportService& reports,
                             EmailDeliveryService& emails, std::function<void()> on_enqueue) {
  auto find_report = [&reports](const RequestContext& ctx) -> Result<Report> {
    return reports.Find(ctx.tenant(), "sla", ctx.Param("reportId"));
  };
  router.Add({.method = "GET",
              .pattern = "/reports/sla/reports/{reportId}/deliveries",
              .required_scope = "read:sla",
              .handler = [&emails, find_report](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, find_report(ctx));
                RAPPORT_TRY(std::vector<EmailDelivery> list, emails.List(ctx.tenant(), report.id));
                Page<EmailDelivery> page{std::move(list), false};
                return Reply::Json(200, SlaList(page, EmailDeliveryToJson));
              }});
  router.Add({.method = "POST",
              .pattern = "/reports/sla/reports/{reportId}/deliveries/{deliveryId}/resend",
              .required_scope = "write:sla",
              .accepts_body = true,
              .body_optional = true,
              .handler = [&emails, find_report, on_enqueue](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, find_report(ctx));
                RAPPORT_TRY(EmailDelivery d,
                            emails.Resend(ctx.tenant(), report.id, ctx.Param("deliveryId")));
                if (on_enqueue) on_enqueue();
                return Reply::Json(202, EmailDeliveryToJson(d));
              }});
}

}  // namespace rapport::api
