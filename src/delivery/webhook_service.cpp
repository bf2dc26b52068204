#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/delivery/webhooks.hpp>

#include "delivery_json.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr size_t kMaxUrlLength = 2048;

std::string NewSecret() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  return "whsec_" + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
}

// Reads `format` ("signed", "slack" or "teams") into `e`.
void ReadFormat(BodyReader& r, WebhookEndpoint& e) {
  auto format = r.String("format", {.min_length = 1, .max_length = 16});
  if (!format) return;
  if (!IsWebhookFormat(*format)) {
    r.AddProblem("format", "Input should be 'signed', 'slack' or 'teams'", "enum");
    return;
  }
  e.format = *format;
}

// Reads url, events (one of `known`), enabled and format into `e`; `creating` makes url and
// events required.
void ReadFields(BodyReader& r, WebhookEndpoint& e, bool creating, const WebhookSettings& settings,
                const std::vector<std::string>& known) {
  r.RejectUnknown({"url", "events", "enabled", "format"});
  ReadFormat(r, e);
  if (auto url =
          r.String("url", {.required = creating, .min_length = 1, .max_length = kMaxUrlLength})) {
    auto resolved = ResolveWebhookUrl(*url, settings.allow_private_addresses);
    if (!resolved.ok()) {
      r.AddProblem("url", resolved.error().message(), "url_refused");
    } else {
      e.url = *url;
    }
  }
  if (auto events = r.StringList("events", 16, {.min_length = 1, .max_length = 64})) {
    if (events->empty()) r.AddProblem("events", "List should have at least 1 item", "too_short");
    for (const auto& type : *events) {
      if (std::find(known.begin(), known.end(), type) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        r.AddProblem("events", "Unknown event type '" + type + "'; one of: " + list, "enum");
      }
    }
    std::sort(events->begin(), events->end());
    events->erase(std::unique(events->begin(), events->end()), events->end());
    e.events = std::move(*events);
  } else if (creating && !r.Has("events")) {
    r.AddProblem("events", "Field required", "missing");
  }
  if (auto enabled = r.Bool("enabled", false)) e.enabled = *enabled;
}

}  // namespace

std::string SignWebhook(const std::string& secret, int64_t unix_seconds, const std::string& body) {
  std::string t = std::to_string(unix_seconds);
  return "t=" + t + ",v1=" + HexEncode(HmacSha256(secret, t + "." + body));
}

Result<const WebhookOwnerType*> WebhookService::CheckOwner(const std::string& tenant,
                                                           const Owner& owner) {
  const WebhookOwnerType* type = owners_.Find(owner.kind);
  if (!type) return Error::Internal("no webhook owner type '" + owner.kind + "' is registered");
  if (type->check_owner) RAPPORT_CHECK(type->check_owner(tenant, owner.owner_id));
  return type;
}

Result<WebhookEndpoint> WebhookService::Create(const std::string& tenant, const Owner& owner,
                                               const json::object& body) {
  RAPPORT_TRY(const WebhookOwnerType* type, CheckOwner(tenant, owner));
  WebhookEndpoint e;
  e.owner_kind = owner.kind;
  e.owner_id = owner.owner_id;
  BodyReader reader(body, "body");
  ReadFields(reader, e, true, settings_, type->events);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  e.tenant_id = tenant;
  e.created_at = e.updated_at = clock_.NowMs();
  e.id = NewIdAt("whk", e.created_at);
  e.secret = NewSecret();
  RAPPORT_CHECK(store_.InsertWebhookEndpoint(e));
  return e;
}

Result<WebhookEndpoint> WebhookService::Get(const std::string& tenant, const Owner& owner,
                                            const std::string& id) {
  RAPPORT_CHECK(CheckOwner(tenant, owner));
  if (!IsValidId(id, "whk")) return Error::NotFound("Webhook endpoint");
  RAPPORT_TRY(WebhookEndpoint e, store_.GetWebhookEndpoint(tenant, id));
  if (e.owner_kind != owner.kind || e.owner_id != owner.owner_id) {
    return Error::NotFound("Webhook endpoint");
  }
  return e;
}

Result<Page<WebhookEndpoint>> WebhookService::List(const std::string& tenant, const Owner& owner,
                                                   const PageRequest& page) {
  RAPPORT_CHECK(CheckOwner(tenant, owner));
  return store_.ListWebhookEndpoints(tenant, owner.kind, owner.owner_id, page);
}

Result<WebhookEndpoint> WebhookService::Patch(const std::string& tenant, const Owner& owner,
                                              const std::string& id, const json::object& body) {
  RAPPORT_TRY(WebhookEndpoint e, Get(tenant, owner, id));
  BodyReader reader(body, "body");
  ReadFields(reader, e, false, settings_, owners_.Find(owner.kind)->events);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  e.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateWebhookEndpoint(e));
  return e;
}

Status WebhookService::Delete(const std::string& tenant, const Owner& owner,
                              const std::string& id) {
  RAPPORT_TRY(WebhookEndpoint e, Get(tenant, owner, id));
  return store_.DeleteWebhookEndpoint(tenant, e.id);
}

Result<WebhookEndpoint> WebhookService::RotateSecret(const std::string& tenant, const Owner& owner,
                                                     const std::string& id) {
  RAPPORT_TRY(WebhookEndpoint e, Get(tenant, owner, id));
  e.secret = NewSecret();
  e.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateWebhookEndpoint(e));
  return e;
}

Result<Page<WebhookDelivery>> WebhookService::Deliveries(const std::string& tenant,
                                                         const Owner& owner, const std::string& id,
                                                         const PageRequest& page) {
  RAPPORT_TRY(WebhookEndpoint e, Get(tenant, owner, id));
  return store_.ListWebhookDeliveries(tenant, e.id, page);
}

Result<WebhookDelivery> WebhookService::Redeliver(const std::string& tenant, const Owner& owner,
                                                  const std::string& id,
                                                  const std::string& delivery_id) {
  RAPPORT_TRY(WebhookEndpoint e, Get(tenant, owner, id));
  if (!IsValidId(delivery_id, "dlv")) return Error::NotFound("Delivery");
  RAPPORT_TRY(WebhookDelivery original, store_.GetWebhookDelivery(tenant, delivery_id));
  if (original.endpoint_id != e.id) return Error::NotFound("Delivery");
  UnixMs now = clock_.NowMs();
  std::string new_id = NewIdAt("dlv", now);
  Job job = DeliveryJob(tenant, "webhook_delivery", settings_.max_attempts, new_id, now);
  WebhookDelivery d = Redelivery(original, new_id, job.id, now);
  d.response_status.reset();
  RAPPORT_CHECK(store_.InsertWebhookDelivery(d, job));
  return d;
}

json::object WebhookService::EndpointJson(const WebhookEndpoint& e, bool with_secret) const {
  json::array events;
  for (const auto& t : e.events) events.emplace_back(t);
  json::object out{
      {"id", e.id},
      {"object", "webhook_endpoint"},
      {"url", with_secret || !IsChatFormat(e.format) ? e.url : RedactWebhookUrl(e.url)},
      {"format", e.format},
      {"events", std::move(events)},
      {"enabled", e.enabled},
      {"created_at", FormatRfc3339(e.created_at)},
      {"updated_at", FormatRfc3339(e.updated_at)}};
  const WebhookOwnerType* type = owners_.Find(e.owner_kind);
  if (type && !type->owner_field.empty()) out[type->owner_field] = e.owner_id;
  if (with_secret) out["secret"] = e.secret;
  return out;
}

json::object WebhookDeliveryToJson(const WebhookDelivery& d) {
  json::object out = DeliveryJson(d, "webhook_delivery");
  out["webhook_id"] = d.endpoint_id;
  out["event_id"] = d.event_id;
  out["event_type"] = d.event_type;
  out["response_status"] =
      d.response_status ? json::value(*d.response_status) : json::value(nullptr);
  return out;
}

}  // namespace rapport
