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

#include <rapport/delivery/channels.hpp>
#include <rapport/delivery/email.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
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
  // The server's public base URL: chat messages link to reports under it.
  std::string public_url;
};

// What an event is e-mailed to: one delivery (and `email_delivery` job) per recipient, each
// recording the report sent and the schedule that asked for it. No recipients: no e-mail.
struct EmailRecipients {
  std::string report_id;
  std::string schedule_id;
  std::vector<std::string> recipients;
};

// One kind of webhook owner, registered by the report kind it belongs to: which events its
// endpoints may subscribe to and how an event names its owner. Its functions must be
// thread-safe; what they refer to must outlive every service given the registry.
struct WebhookOwnerType {
  std::string kind;  // WebhookEndpoint::owner_kind, e.g. "sla"
  // The event data field naming the owning resource, also the endpoint JSON's field naming it;
  // "" = the tenant as a whole (owner id "").
  std::string owner_field;
  std::vector<std::string> events;  // the event types its endpoints may subscribe to
  // NotFound (404) when owner `owner_id` does not exist for the tenant; unset: nothing to check.
  std::function<Status(const std::string& tenant_id, const std::string& owner_id)> check_owner;
  // Whom an event of this owner is e-mailed to; unset: nobody. Called by the dispatcher, only
  // when SMTP is configured; an error leaves the event to the next dispatch.
  std::function<Result<EmailRecipients>(const Event& event, const boost::json::object& data)>
      email_recipients;
  // What a Slack or Teams message says about an event of this owner (the report's summary and
  // its link); unset or nullopt: GenericSummary. Called by the dispatcher only when a chat
  // endpoint subscribes; an error leaves the event to the next dispatch.
  std::function<Result<std::optional<ChannelSummary>>(const Event& event,
                                                      const boost::json::object& data)>
      summary;
};

// The owner of one event: its type and the owning resource's id ("" for the tenant).
struct EventOwner {
  const WebhookOwnerType* type = nullptr;
  std::string owner_id;
};

// The webhook owner types rapportd serves, filled at start-up by the report kinds, then read
// only (reads are then thread-safe). Pointers it returns stay valid for its lifetime.
class WebhookOwners {
 public:
  void Add(WebhookOwnerType type);
  // The type of owner kind `kind`, nullptr when none is registered.
  const WebhookOwnerType* Find(std::string_view kind) const;
  // The owner of an event: among the types whose events contain its type, the first (in
  // registration order) whose owner_field is a string field of `data`, else the first whose
  // owner_field is "". So an event naming a resource goes to that resource's owner even when a
  // tenant-wide type lists the same event type. nullopt: no type takes the event.
  std::optional<EventOwner> OwnerOf(const Event& event, const boost::json::object& data) const;

 private:
  std::deque<WebhookOwnerType> types_;  // a deque: Add keeps earlier pointers valid
};

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

// CRUD of endpoints for one owner (a resource of a registered owner type, or the tenant's side
// of a type without owner field), their delivery log and re-delivery. Thread-safe; `store`,
// `clock` and `owners` must outlive it.
class WebhookService {
 public:
  WebhookService(WebhookStore& store, const Clock& clock, WebhookSettings settings,
                 const WebhookOwners& owners)
      : store_(store), clock_(clock), settings_(std::move(settings)), owners_(owners) {}

  struct Owner {
    std::string kind;      // a registered WebhookOwnerType::kind (else 500)
    std::string owner_id;  // "" for a type without owner field
  };
  // `body`: {url, events[], enabled?, format?}. The secret is generated and returned with the
  // endpoint.
  Result<WebhookEndpoint> Create(const std::string& tenant, const Owner& owner,
                                 const boost::json::object& body);
  Result<WebhookEndpoint> Get(const std::string& tenant, const Owner& owner, const std::string& id);
  Result<Page<WebhookEndpoint>> List(const std::string& tenant, const Owner& owner,
                                     const PageRequest& page);
  // `body`: any of {url, events, enabled, format}.
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

  // The endpoint as the API shows it; its owner is named by its type's owner_field, if any. The
  // URL of a slack or teams endpoint is its secret: shown whole only `with_secret`, else
  // redacted (RedactWebhookUrl).
  boost::json::object EndpointJson(const WebhookEndpoint& e, bool with_secret) const;

 private:
  // The owner's type, once the owner is known to exist (404 otherwise).
  Result<const WebhookOwnerType*> CheckOwner(const std::string& tenant, const Owner& owner);

  WebhookStore& store_;
  const Clock& clock_;
  WebhookSettings settings_;
  const WebhookOwners& owners_;
};

boost::json::object WebhookDeliveryToJson(const WebhookDelivery& d);

// Fans pending outbox events out: to the subscribed endpoints of each event's owner
// (WebhookOwners::OwnerOf), and, when SMTP is configured, to the e-mail recipients the owner's
// type names. Call Tick periodically (the scheduler thread). `outbox`, `endpoints` and `owners`
// must outlive it.
class WebhookDispatcher {
 public:
  // `outbox`: the events and their fan-out; `endpoints`: the subscribed endpoints (read only).
  WebhookDispatcher(Outbox& outbox, WebhookStore& endpoints, const WebhookOwners& owners,
                    WebhookSettings settings, SmtpSettings smtp, std::function<void()> on_enqueue)
      : outbox_(outbox),
        endpoints_(endpoints),
        owners_(owners),
        settings_(std::move(settings)),
        smtp_(std::move(smtp)),
        on_enqueue_(std::move(on_enqueue)) {}
  // Dispatches up to `limit` events; returns how many deliveries it created.
  Result<int> Tick(UnixMs now, int limit = 200);

 private:
  // The webhook deliveries of `event` (envelope `body`) to `owner`'s subscribed endpoints; a
  // chat endpoint's body is the summary rendered for its format.
  Result<std::vector<WebhookDelivery>> WebhooksFor(const Event& event, const EventOwner& owner,
                                                   const boost::json::object& data,
                                                   const std::string& body, UnixMs now,
                                                   std::vector<Job>& jobs);
  // The body sent to an endpoint of `format`: `envelope` for "signed", else the owner's summary
  // of the event rendered for Slack or Teams (`cache` keeps it per format for the event).
  Result<std::string> BodyFor(const std::string& format, const Event& event,
                              const EventOwner& owner, const boost::json::object& data,
                              const std::string& envelope,
                              std::map<std::string, std::string>& cache);
  Result<std::vector<EmailDelivery>> EmailsFor(const Event& event, const EventOwner& owner,
                                               const boost::json::object& data, UnixMs now,
                                               std::vector<Job>& jobs);

  Outbox& outbox_;
  WebhookStore& endpoints_;
  const WebhookOwners& owners_;
  WebhookSettings settings_;
  SmtpSettings smtp_;
  std::function<void()> on_enqueue_;
};

// The "webhook_delivery" job kind.
class WebhookDeliveryJob final : public JobHandler {
 public:
  WebhookDeliveryJob(WebhookStore& store, const Clock& clock, WebhookSettings settings)
      : store_(store), clock_(clock), settings_(std::move(settings)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  std::optional<RetryPolicy> Retry() const override { return settings_.retry; }

 private:
  WebhookStore& store_;
  const Clock& clock_;
  WebhookSettings settings_;
};

}  // namespace rapport
