// Webhooks: endpoints that receive signed events, the dispatcher that fans the outbox out to
// them, and the `webhook_delivery` job that POSTs one event to one endpoint.
//
// Events are written to the outbox (`events`) in the transaction of the state change they report
// (a job's completion or final failure, a missed run). The dispatcher turns each event into one
// delivery (and its job) per subscribed, enabled endpoint of the event's owner, in one
// transaction, and marks the event dispatched. Each delivery job signs the envelope and POSTs it;
// failures are retried with exponential backoff for about a day (at-least-once). Receivers verify
// `X-Rapport-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
#pragma once

#include <rapport/delivery/email.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <vector>

namespace rapport {

struct WebhookSettings {
  // Loopback, private, link-local and metadata addresses are refused unless this is set.
  bool allow_private_addresses = false;
  long timeout_ms = 10'000;
  size_t max_response_bytes = 64 * 1024;
  // Retries: 30 s doubling to 4 h; 15 attempts span about 24 h.
  int max_attempts = 15;
  RetryPolicy retry{30'000, 4 * 3'600'000};
};

// Event types each owner's endpoints may subscribe to.
const std::vector<std::string>& BrandWebhookEvents();
const std::vector<std::string>& SlaWebhookEvents();

// "t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<body>" keyed with `secret`>".
std::string SignWebhook(const std::string& secret, int64_t unix_seconds, const std::string& body);

// Checks that `url` is an absolute http(s) URL whose host resolves only to addresses webhooks may
// reach; returns one of those addresses (kValidation naming the problem otherwise).
struct ResolvedUrl {
  std::string host;
  int port = 0;
  std::string ip;
};
Result<ResolvedUrl> ResolveWebhookUrl(const std::string& url, bool allow_private_addresses);

// CRUD of endpoints for one owner (a brand, or the tenant's SLA side), their delivery log and
// re-delivery. Thread-safe.
class WebhookService {
 public:
  WebhookService(Store& store, const Clock& clock, WebhookSettings settings)
      : store_(store), clock_(clock), settings_(std::move(settings)) {}

  struct Owner {
    std::string kind;  // "brand" | "sla"
    std::string brand_id;
  };
  // `body`: {url, events[], enabled?}. The secret is generated and returned with the endpoint.
  Result<WebhookEndpoint> Create(const std::string& tenant, const Owner& owner,
                                 const boost::json::object& body);
  Result<WebhookEndpoint> Get(const std::string& tenant, const Owner& owner, const std::string& id);
  Result<Page<WebhookEndpoint>> List(const std::string& tenant, const Owner& owner,
                                     const PageRequest& page);
  // `body`: any of {url, events, enabled}.
  Result<WebhookEndpoint> Patch(const std::string& tenant, const Owner& owner,
                                const std::string& id, const boost::json::object& body);
  Status Delete(const std::string& tenant, const Owner& owner, const std::string& id);
  // A new secret; the old one stops signing at once.
  Result<WebhookEndpoint> RotateSecret(const std::string& tenant, const Owner& owner,
                                       const std::string& id);
  Result<Page<WebhookDelivery>> Deliveries(const std::string& tenant, const Owner& owner,
                                           const std::string& id, const PageRequest& page);
  // Sends delivery `delivery_id`'s stored body again, as a new delivery with its own job.
  Result<WebhookDelivery> Redeliver(const std::string& tenant, const Owner& owner,
                                    const std::string& id, const std::string& delivery_id);

 private:
  Status CheckBrand(const std::string& tenant, const Owner& owner);

  Store& store_;
  const Clock& clock_;
  WebhookSettings settings_;
};

boost::json::object WebhookEndpointToJson(const WebhookEndpoint& e, bool with_secret);
boost::json::object WebhookDeliveryToJson(const WebhookDelivery& d);

// Fans pending outbox events out: to subscribed endpoints, and, for a completed SLA report
// when SMTP is configured, to its schedule's e-mail recipients. Call Tick periodically (the
// scheduler thread).
class WebhookDispatcher {
 public:
  WebhookDispatcher(Store& store, WebhookSettings settings, SmtpSettings smtp,
                    std::function<void()> on_enqueue)
      : store_(store),
        settings_(std::move(settings)),
        smtp_(std::move(smtp)),
        on_enqueue_(std::move(on_enqueue)) {}
  // Dispatches up to `limit` events; returns how many deliveries it created.
  Result<int> Tick(UnixMs now, int limit = 200);

 private:
  Result<std::vector<EmailDelivery>> EmailsFor(const Event& event, const boost::json::object& data,
                                               UnixMs now, std::vector<Job>& jobs);

  Store& store_;
  WebhookSettings settings_;
  SmtpSettings smtp_;
  std::function<void()> on_enqueue_;
};

// The "webhook_delivery" job kind.
class WebhookDeliveryJob final : public JobHandler {
 public:
  WebhookDeliveryJob(Store& store, const Clock& clock, WebhookSettings settings)
      : store_(store), clock_(clock), settings_(std::move(settings)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  std::optional<RetryPolicy> Retry() const override { return settings_.retry; }

 private:
  Store& store_;
  const Clock& clock_;
  WebhookSettings settings_;
};

}  // namespace rapport
