// What a report kind's routes get from the API (RouteEnv), and the route families the API offers
// every kind: webhook endpoints of one owner. A kind registers its routes with
// ReportKind::AddRoutes (include/rapport/kinds/report_kind.hpp); rapportd hands them to the Api
// in ApiConfig::route_sets, so the API itself never names a kind.
#pragma once

#include <rapport/api/router.hpp>
#include <rapport/delivery/webhooks.hpp>

#include <functional>
#include <string>
#include <vector>

namespace rapport::api {

// What the API lends a kind's routes while they are registered; the references outlive them.
struct RouteEnv {
  std::function<void()> on_enqueue;  // wakes the job workers after a handler enqueued a job
  WebhookService& webhooks;          // endpoints of every owner (WebhookOwners)
};

// One kind's routes, added to the router when the Api is built.
using RouteSet = std::function<void(Router& router, const RouteEnv& env)>;

// A job kind's side scopes: a token with `read` (`write`) may also read (cancel) a job of
// `job_kind` through /v1/jobs/{job_id}, as it may read or write what enqueued it (a client that
// ran an SLA report with `write:sla` follows its `Location: /v1/jobs/…` with `read:sla` alone).
struct JobScope {
  std::string job_kind;
  std::string read;
  std::string write;
};

// The webhook endpoints of one owner, in one API family: POST and GET `base`, GET and PATCH and
// DELETE `base/{webhook_id}`, its deliveries and re-delivery. `v1`: seed 000's list shape and
// delete answer, else seed 002's.
struct WebhookFamily {
  std::string base;  // up to and including ".../webhooks"
  bool v1 = false;
  std::function<WebhookService::Owner(const RequestContext&)> owner;
};
void AddWebhookFamilyRoutes(Router& router, WebhookService& hooks, const WebhookFamily& family,
                            std::function<void()> on_enqueue);

}  // namespace rapport::api
