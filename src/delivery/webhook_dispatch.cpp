// The outbox fan-out and the job that delivers one event to one endpoint.
#include <rapport/client/http_client.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/delivery/webhooks.hpp>

#include "delivery_json.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr int kMaxEndpointsPerOwner = 100;

std::string Envelope(const Event& event, json::value data) {
  return ToJson(json::object{{"id", event.id},
                             {"type", event.type},
                             {"api_version", "v1"},
                             {"created_at", FormatRfc3339(event.created_at)},
                             {"data", std::move(data)}});
}

// `message` with every occurrence of the endpoint's URL (as the HTTP client names it, without
// trailing slashes) replaced by its redacted form: a chat endpoint's URL is its secret.
std::string WithoutUrl(std::string message, const WebhookEndpoint& e) {
  if (!IsChatFormat(e.format)) return message;
  std::string url = e.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) return message;
  std::string redacted = RedactWebhookUrl(e.url);
  for (size_t at = message.find(url); at != std::string::npos;
       at = message.find(url, at + redacted.size())) {
    message.replace(at, url.size(), redacted);
  }
  return message;
}

}  // namespace

Result<std::string> WebhookDispatcher::BodyFor(const std::string& format, const Event& event,
                                               const EventOwner& owner, const json::object& data,
                                               const std::string& envelope,
                                               std::map<std::string, std::string>& cache) {
  if (!IsChatFormat(format)) return envelope;
  if (auto it = cache.find(format); it != cache.end()) return it->second;
  std::optional<ChannelSummary> summary;
  if (owner.type->summary) {
    RAPPORT_TRY(summary, owner.type->summary(event, data));
  }
  if (!summary) summary = GenericSummary(event, data);
  std::string body = format == "slack" ? RenderSlackMessage(*summary, settings_.public_url)
                                       : RenderTeamsMessage(*summary, settings_.public_url);
  return cache[format] = std::move(body);
}

Result<std::vector<WebhookDelivery>> WebhookDispatcher::WebhooksFor(
    const Event& event, const EventOwner& owner, const json::object& data, const std::string& body,
    UnixMs now, std::vector<Job>& jobs) {
  RAPPORT_TRY(Page<WebhookEndpoint> endpoints,
              endpoints_.ListWebhookEndpoints(event.tenant_id, owner.type->kind, owner.owner_id,
                                              PageRequest{.limit = kMaxEndpointsPerOwner}));
  std::vector<WebhookDelivery> out;
  std::map<std::string, std::string> bodies;
  for (const auto& e : endpoints.items) {
    if (!e.enabled || std::find(e.events.begin(), e.events.end(), event.type) == e.events.end()) {
      continue;
    }
    WebhookDelivery d;
    d.id = NewIdAt("dlv", now);
    d.tenant_id = event.tenant_id;
    d.endpoint_id = e.id;
    d.event_id = event.id;
    d.event_type = event.type;
    RAPPORT_TRY(d.body, BodyFor(e.format, event, owner, data, body, bodies));
    d.created_at = d.updated_at = now;
    Job job = DeliveryJob(event.tenant_id, "webhook_delivery", settings_.max_attempts, d.id, now);
    d.job_id = job.id;
    jobs.push_back(std::move(job));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<EmailDelivery>> WebhookDispatcher::EmailsFor(const Event& event,
                                                                const EventOwner& owner,
                                                                const json::object& data,
                                                                UnixMs now,
                                                                std::vector<Job>& jobs) {
  std::vector<EmailDelivery> out;
  if (!smtp_.enabled() || !owner.type->email_recipients) return out;
  RAPPORT_TRY(EmailRecipients to, owner.type->email_recipients(event, data));
  for (const auto& recipient : to.recipients) {
    EmailDelivery d;
    d.id = NewIdAt("eml", now);
    d.tenant_id = event.tenant_id;
    d.report_id = to.report_id;
    d.schedule_id = to.schedule_id;
    d.recipient = recipient;
    d.created_at = d.updated_at = now;
    Job job = DeliveryJob(event.tenant_id, "email_delivery", smtp_.max_attempts, d.id, now);
    d.job_id = job.id;
    jobs.push_back(std::move(job));
    out.push_back(std::move(d));
  }
  return out;
}

Result<int> WebhookDispatcher::Tick(UnixMs now, int limit) {
  RAPPORT_TRY(std::vector<Event> events, outbox_.PendingEvents(limit));
  int created = 0;
  for (const auto& event : events) {
    boost::system::error_code ec;
    json::value data = json::parse(event.payload, ec);
    if (ec || !data.is_object()) data = json::object{};
    json::object fields = data.as_object();
    std::vector<WebhookDelivery> deliveries;
    std::vector<EmailDelivery> emails;
    std::vector<Job> jobs;
    if (std::optional<EventOwner> owner = owners_.OwnerOf(event, fields)) {
      std::string body = Envelope(event, std::move(data));
      RAPPORT_TRY(deliveries, WebhooksFor(event, *owner, fields, body, now, jobs));
      RAPPORT_TRY(emails, EmailsFor(event, *owner, fields, now, jobs));
    }
    RAPPORT_TRY(bool dispatched, outbox_.DispatchEvent(event.id, deliveries, emails, jobs, now));
    if (dispatched) created += static_cast<int>(deliveries.size() + emails.size());
  }
  if (created > 0 && on_enqueue_) on_enqueue_();
  return created;
}

Result<JobOutcome> WebhookDeliveryJob::Run(JobContext& ctx) {
  const Job& job = ctx.job();
  RAPPORT_TRY(WebhookDelivery d, store_.GetWebhookDeliveryByJob(job.id));
  bool last_attempt = job.attempts >= job.max_attempts;
  // A failure that cannot be logged is retried (a store error is transient), so that the
  // delivery log never keeps a settled delivery as pending.
  auto give_up = [&](std::optional<int64_t> status, const std::string& why) -> Error {
    CountDeliveryAttempt("webhook", "failed");
    Status logged = store_.RecordWebhookAttempt(d.id, "failed", status, why, clock_.NowMs());
    if (!logged.ok()) return logged.error();
    return Error(ErrorCode::kValidation, why);  // permanent: no retry
  };
  auto retry = [&](std::optional<int64_t> status, const std::string& why) -> Error {
    CountDeliveryAttempt("webhook", last_attempt ? "failed" : "pending");
    Status logged = store_.RecordWebhookAttempt(d.id, last_attempt ? "failed" : "pending", status,
                                                why, clock_.NowMs());
    if (!logged.ok()) return logged.error();
    return Error(ErrorCode::kServiceUnavailable, why);
  };
  auto endpoint = store_.GetWebhookEndpoint(d.tenant_id, d.endpoint_id);
  if (!endpoint.ok()) return give_up(std::nullopt, "The endpoint was deleted");
  if (!endpoint->enabled) return give_up(std::nullopt, "The endpoint is disabled");
  auto target = ResolveWebhookUrl(endpoint->url, settings_.allow_private_addresses);
  if (!target.ok()) return give_up(std::nullopt, WithoutUrl(target.error().message(), *endpoint));

  client::HttpClient http(endpoint->url, settings_.timeout_ms);
  http.Pin(target->host, target->port, target->ip);
  http.SetMaxResponseBytes(settings_.max_response_bytes);
  http.RestrictToHttp();
  std::vector<std::string> headers{
      "Content-Type: application/json", "User-Agent: Rapport-Webhooks/1",
      "X-Rapport-Event: " + d.event_type, "X-Rapport-Event-Id: " + d.event_id,
      "X-Rapport-Delivery: " + d.id};
  if (!IsChatFormat(endpoint->format)) {
    headers.push_back("X-Rapport-Signature: " +
                      SignWebhook(endpoint->secret, clock_.NowMs() / 1000, d.body));
  }
  auto response = http.Send("POST", "", d.body, headers);
  if (!response.ok()) return retry(std::nullopt, WithoutUrl(response.error().message(), *endpoint));
  if (response->status < 200 || response->status >= 300) {
    return retry(response->status,
                 "The endpoint answered HTTP " + std::to_string(response->status));
  }
  CountDeliveryAttempt("webhook", "succeeded");
  RAPPORT_CHECK(
      store_.RecordWebhookAttempt(d.id, "succeeded", response->status, "", clock_.NowMs()));
  JobOutcome outcome;
  outcome.result = json::object{{"delivery_id", d.id}, {"response_status", response->status}};
  return outcome;
}

}  // namespace rapport
