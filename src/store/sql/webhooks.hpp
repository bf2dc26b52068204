// Delivery queries of the store (webhook endpoints, the outbox fan-out, the webhook and e-mail
// delivery logs), as functions over a connection of either backend. Callers open the
// transaction; these run the statements.
#pragma once

#include "sql_db.hpp"

#include <rapport/store/records.hpp>

namespace rapport::sql::webhooks {

void InsertEndpoint(Connection& c, const WebhookEndpoint& e);
std::optional<WebhookEndpoint> GetEndpoint(Connection& c, const std::string& tenant_id,
                                           const std::string& id);
Page<WebhookEndpoint> ListEndpoints(Connection& c, const std::string& tenant_id,
                                    const std::string& owner_kind, const std::string& brand_id,
                                    const PageRequest& page);
int UpdateEndpoint(Connection& c, const WebhookEndpoint& e);
int DeleteEndpoint(Connection& c, const std::string& tenant_id, const std::string& id);

std::vector<Event> PendingEvents(Connection& c, int limit);
// Marks the event dispatched; false when it already was.
bool MarkDispatched(Connection& c, const std::string& event_id, UnixMs now);

void InsertDelivery(Connection& c, const WebhookDelivery& d);
std::optional<WebhookDelivery> GetDelivery(Connection& c, const std::string& tenant_id,
                                           const std::string& id);
std::optional<WebhookDelivery> GetDeliveryByJob(Connection& c, const std::string& job_id);
Page<WebhookDelivery> ListDeliveries(Connection& c, const std::string& tenant_id,
                                     const std::string& endpoint_id, const PageRequest& page);
int RecordAttempt(Connection& c, const std::string& id, const std::string& status,
                  std::optional<int64_t> response_status, const std::string& error, UnixMs now);

void InsertEmail(Connection& c, const EmailDelivery& d);
std::optional<EmailDelivery> GetEmail(Connection& c, const std::string& tenant_id,
                                      const std::string& id);
std::optional<EmailDelivery> GetEmailByJob(Connection& c, const std::string& job_id);
std::vector<EmailDelivery> ListEmails(Connection& c, const std::string& tenant_id,
                                      const std::string& report_id);
int RecordEmailAttempt(Connection& c, const std::string& id, const std::string& status,
                       std::optional<int64_t> smtp_status, const std::string& error, UnixMs now);

}  // namespace rapport::sql::webhooks
