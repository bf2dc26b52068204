#include "webhooks.hpp"

#include <boost/json.hpp>

namespace rapport::sql::webhooks {
namespace {

namespace json = boost::json;

#define ENDPOINT_COLUMNS                                                                        \
  "id, tenant_id, owner_kind, brand_id, url, events, enabled, secret, created_at, updated_at, " \
  "format"
#define DELIVERY_COLUMNS                                                               \
  "id, tenant_id, endpoint_id, event_id, event_type, job_id, body, status, attempts, " \
  "response_status, error, created_at, updated_at, delivered_at, redelivery_of, attempt_log"

#define EMAIL_COLUMNS                                                                         \
  "id, tenant_id, report_id, schedule_id, recipient, job_id, status, attempts, smtp_status, " \
  "error, created_at, updated_at, delivered_at, redelivery_of, attempt_log"

EmailDelivery ReadEmail(const Statement& s) {
  EmailDelivery d;
  d.id = s.Text(0);
  d.tenant_id = s.Text(1);
  d.report_id = s.Text(2);
  d.schedule_id = s.Text(3);
  d.recipient = s.Text(4);
  d.job_id = s.Text(5);
  d.status = s.Text(6);
  d.attempts = s.Int(7);
  d.smtp_status = s.OptionalInt(8);
  d.error = s.Text(9);
  d.created_at = s.Int(10);
  d.updated_at = s.Int(11);
  d.delivered_at = s.OptionalInt(12);
  d.redelivery_of = s.OptionalText(13);
  d.attempt_log = s.Text(14);
  return d;
}

WebhookEndpoint ReadEndpoint(const Statement& s) {
  return WebhookEndpoint{
      s.Text(0),     s.Text(1), s.Text(2), s.Text(3), s.Text(4), StringsFromJson(s.Text(5)),
      s.Int(6) != 0, s.Text(7), s.Int(8),  s.Int(9),  s.Text(10)};
}

WebhookDelivery ReadDelivery(const Statement& s) {
  WebhookDelivery d;
  d.id = s.Text(0);
  d.tenant_id = s.Text(1);
  d.endpoint_id = s.Text(2);
  d.event_id = s.Text(3);
  d.event_type = s.Text(4);
  d.job_id = s.Text(5);
  d.body = s.Text(6);
  d.status = s.Text(7);
  d.attempts = s.Int(8);
  d.response_status = s.OptionalInt(9);
  d.error = s.Text(10);
  d.created_at = s.Int(11);
  d.updated_at = s.Int(12);
  d.delivered_at = s.OptionalInt(13);
  d.redelivery_of = s.OptionalText(14);
  d.attempt_log = s.Text(15);
  return d;
}

}  // namespace

void InsertEndpoint(Connection& c, const WebhookEndpoint& e) {
  c.Prepare("INSERT INTO webhook_endpoints (" ENDPOINT_COLUMNS
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, e.id)
      .Bind(2, e.tenant_id)
      .Bind(3, e.owner_kind)
      .Bind(4, e.owner_id)
      .Bind(5, e.url)
      .Bind(6, StringsToJson(e.events))
      .Bind(7, int64_t{e.enabled})
      .Bind(8, e.secret)
      .Bind(9, e.created_at)
      .Bind(10, e.updated_at)
      .Bind(11, e.format)
      .Run();
}

std::optional<WebhookEndpoint> GetEndpoint(Connection& c, const std::string& tenant_id,
                                           const std::string& id) {
  auto q = c.Prepare("SELECT " ENDPOINT_COLUMNS
                     " FROM webhook_endpoints WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadEndpoint(q);
}

Page<WebhookEndpoint> ListEndpoints(Connection& c, const std::string& tenant_id,
                                    const std::string& owner_kind, const std::string& brand_id,
                                    const PageRequest& page) {
  auto q = c.Prepare("SELECT " ENDPOINT_COLUMNS
                     " FROM webhook_endpoints WHERE tenant_id = ?1 AND owner_kind = ?2 "
                     "AND brand_id = ?3 AND (id < ?4 OR ?4 IS NULL) ORDER BY id DESC LIMIT ?5");
  q.Bind(1, tenant_id).Bind(2, owner_kind).Bind(3, brand_id).Bind(4, page.after_id);
  q.Bind(5, int64_t{page.limit} + 1);
  return ReadRows<WebhookEndpoint>(q, page.limit, ReadEndpoint);
}

int UpdateEndpoint(Connection& c, const WebhookEndpoint& e) {
  return c
      .Prepare(
          "UPDATE webhook_endpoints SET url = ?, events = ?, enabled = ?, secret = ?, "
          "updated_at = ?, format = ? WHERE tenant_id = ? AND id = ?")
      .Bind(1, e.url)
      .Bind(2, StringsToJson(e.events))
      .Bind(3, int64_t{e.enabled})
      .Bind(4, e.secret)
      .Bind(5, e.updated_at)
      .Bind(6, e.format)
      .Bind(7, e.tenant_id)
      .Bind(8, e.id)
      .Run();
}

int DeleteEndpoint(Connection& c, const std::string& tenant_id, const std::string& id) {
  c.Prepare("DELETE FROM webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
  return c.Prepare("DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

std::vector<Event> PendingEvents(Connection& c, int limit) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, type, payload, created_at FROM events WHERE delivered_at IS NULL "
      "ORDER BY created_at, id LIMIT ?");
  q.Bind(1, int64_t{limit});
  std::vector<Event> out;
  while (q.Step()) out.push_back(Event{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4)});
  return out;
}

bool MarkDispatched(Connection& c, const std::string& event_id, UnixMs now) {
  return c.Prepare("UPDATE events SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL")
             .Bind(1, now)
             .Bind(2, event_id)
             .Run() == 1;
}

void InsertDelivery(Connection& c, const WebhookDelivery& d) {
  c.Prepare("INSERT INTO webhook_deliveries (" DELIVERY_COLUMNS
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, d.id)
      .Bind(2, d.tenant_id)
      .Bind(3, d.endpoint_id)
      .Bind(4, d.event_id)
      .Bind(5, d.event_type)
      .Bind(6, d.job_id)
      .Bind(7, d.body)
      .Bind(8, d.status)
      .Bind(9, d.attempts)
      .Bind(10, d.response_status)
      .Bind(11, d.error)
      .Bind(12, d.created_at)
      .Bind(13, d.updated_at)
      .Bind(14, d.delivered_at)
      .Bind(15, d.redelivery_of)
      .Bind(16, d.attempt_log)
      .Run();
}

std::optional<WebhookDelivery> GetDelivery(Connection& c, const std::string& tenant_id,
                                           const std::string& id) {
  auto q = c.Prepare("SELECT " DELIVERY_COLUMNS
                     " FROM webhook_deliveries WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadDelivery(q);
}

std::optional<WebhookDelivery> GetDeliveryByJob(Connection& c, const std::string& job_id) {
  auto q = c.Prepare("SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries WHERE job_id = ?");
  q.Bind(1, job_id);
  if (!q.Step()) return std::nullopt;
  return ReadDelivery(q);
}

Page<WebhookDelivery> ListDeliveries(Connection& c, const std::string& tenant_id,
                                     const std::string& endpoint_id, const PageRequest& page) {
  auto q = c.Prepare("SELECT " DELIVERY_COLUMNS
                     " FROM webhook_deliveries WHERE tenant_id = ?1 AND endpoint_id = ?2 "
                     "AND (id < ?3 OR ?3 IS NULL) ORDER BY id DESC LIMIT ?4");
  q.Bind(1, tenant_id).Bind(2, endpoint_id).Bind(3, page.after_id);
  q.Bind(4, int64_t{page.limit} + 1);
  return ReadRows<WebhookDelivery>(q, page.limit, ReadDelivery);
}

int RecordAttempt(Connection& c, const std::string& id, const std::string& status,
                  std::optional<int64_t> response_status, const std::string& error, UnixMs now) {
  return c
      .Prepare(c.Pick(
          "UPDATE webhook_deliveries SET status = ?1, attempts = attempts + 1, "
          "response_status = ?2, error = ?3, updated_at = ?4, "
          "attempt_log = json_insert(attempt_log, '$[#]', json_object('at', ?4, 'status', ?1, "
          "'response_status', ?2, 'error', NULLIF(?3, ''))), "
          "delivered_at = CASE WHEN ?1 = 'succeeded' THEN ?4 ELSE delivered_at END WHERE id = ?5",
          "UPDATE webhook_deliveries SET status = ?1, attempts = attempts + 1, "
          "response_status = ?2, error = ?3, updated_at = ?4, "
          "attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('at', ?4::bigint, "
          "'status', ?1::text, "
          "'response_status', ?2::bigint, 'error', NULLIF(?3::text, ''))), "
          "delivered_at = CASE WHEN ?1 = 'succeeded' THEN ?4 ELSE delivered_at END WHERE id = ?5"))
      .Bind(1, status)
      .Bind(2, response_status)
      .Bind(3, error)
      .Bind(4, now)
      .Bind(5, id)
      .Run();
}

void InsertEmail(Connection& c, const EmailDelivery& d) {
  c.Prepare("INSERT INTO email_deliveries (" EMAIL_COLUMNS
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, d.id)
      .Bind(2, d.tenant_id)
      .Bind(3, d.report_id)
      .Bind(4, d.schedule_id)
      .Bind(5, d.recipient)
      .Bind(6, d.job_id)
      .Bind(7, d.status)
      .Bind(8, d.attempts)
      .Bind(9, d.smtp_status)
      .Bind(10, d.error)
      .Bind(11, d.created_at)
      .Bind(12, d.updated_at)
      .Bind(13, d.delivered_at)
      .Bind(14, d.redelivery_of)
      .Bind(15, d.attempt_log)
      .Run();
}

std::optional<EmailDelivery> GetEmail(Connection& c, const std::string& tenant_id,
                                      const std::string& id) {
  auto q =
      c.Prepare("SELECT " EMAIL_COLUMNS " FROM email_deliveries WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadEmail(q);
}

std::optional<EmailDelivery> GetEmailByJob(Connection& c, const std::string& job_id) {
  auto q = c.Prepare("SELECT " EMAIL_COLUMNS " FROM email_deliveries WHERE job_id = ?");
  q.Bind(1, job_id);
  if (!q.Step()) return std::nullopt;
  return ReadEmail(q);
}

std::vector<EmailDelivery> ListEmails(Connection& c, const std::string& tenant_id,
                                      const std::string& report_id) {
  auto q = c.Prepare("SELECT " EMAIL_COLUMNS
                     " FROM email_deliveries WHERE tenant_id = ? AND report_id = ? ORDER BY id");
  q.Bind(1, tenant_id).Bind(2, report_id);
  std::vector<EmailDelivery> out;
  while (q.Step()) out.push_back(ReadEmail(q));
  return out;
}

int RecordEmailAttempt(Connection& c, const std::string& id, const std::string& status,
                       std::optional<int64_t> smtp_status, const std::string& error, UnixMs now) {
  return c
      .Prepare(c.Pick(
          "UPDATE email_deliveries SET status = ?1, attempts = attempts + 1, smtp_status = ?2, "
          "error = ?3, updated_at = ?4, "
          "attempt_log = json_insert(attempt_log, '$[#]', json_object('at', ?4, 'status', ?1, "
          "'smtp_status', ?2, 'error', NULLIF(?3, ''))), "
          "delivered_at = CASE WHEN ?1 = 'succeeded' THEN ?4 ELSE delivered_at END WHERE id = ?5",
          "UPDATE email_deliveries SET status = ?1, attempts = attempts + 1, smtp_status = ?2, "
          "error = ?3, updated_at = ?4, "
          "attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('at', ?4::bigint, "
          "'status', ?1::text, "
          "'smtp_status', ?2::bigint, 'error', NULLIF(?3::text, ''))), "
          "delivered_at = CASE WHEN ?1 = 'succeeded' THEN ?4 ELSE delivered_at END WHERE id = ?5"))
      .Bind(1, status)
      .Bind(2, smtp_status)
      .Bind(3, error)
      .Bind(4, now)
      .Bind(5, id)
      .Run();
}

}  // namespace rapport::sql::webhooks
