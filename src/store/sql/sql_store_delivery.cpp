// SqlStore: the outbox, webhooks and e-mail deliveries.
#include "sql_store_impl.hpp"

namespace rapport::sql {

Status SqlStoreCore::InsertWebhookEndpoint(const WebhookEndpoint& e) {
  return WriteTxn([&](Connection& w) { webhooks::InsertEndpoint(w, e); });
}

Result<WebhookEndpoint> SqlStoreCore::GetWebhookEndpoint(const std::string& tenant_id,
                                                         const std::string& id) {
  return ReadRow<WebhookEndpoint>(
      "Webhook endpoint", [&](Connection& c) { return webhooks::GetEndpoint(c, tenant_id, id); });
}

Result<Page<WebhookEndpoint>> SqlStoreCore::ListWebhookEndpoints(const std::string& tenant_id,
                                                                 const std::string& owner_kind,
                                                                 const std::string& owner_id,
                                                                 const PageRequest& page) {
  return Guard([&]() -> Result<Page<WebhookEndpoint>> {
    return WithReader([&](Connection& c) {
      return webhooks::ListEndpoints(c, tenant_id, owner_kind, owner_id, page);
    });
  });
}

Status SqlStoreCore::UpdateWebhookEndpoint(const WebhookEndpoint& e) {
  return WriteOne("Webhook endpoint",
                  [&](Connection& w) { return webhooks::UpdateEndpoint(w, e); });
}

Status SqlStoreCore::DeleteWebhookEndpoint(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Webhook endpoint",
                  [&](Connection& w) { return webhooks::DeleteEndpoint(w, tenant_id, id); });
}

Result<std::vector<Event>> SqlStoreCore::PendingEvents(int limit) {
  return Guard([&]() -> Result<std::vector<Event>> {
    return WithReader([&](Connection& c) { return webhooks::PendingEvents(c, limit); });
  });
}

Result<bool> SqlStoreCore::DispatchEvent(const std::string& event_id,
                                         const std::vector<WebhookDelivery>& deliveries,
                                         const std::vector<EmailDelivery>& emails,
                                         const std::vector<Job>& jobs, UnixMs now) {
  return InWriteTxn(
      [&](Connection& w) -> Result<bool> {
        if (!webhooks::MarkDispatched(w, event_id, now)) return false;
        for (const auto& job : jobs) jobs::Insert(w, job);
        for (const auto& d : deliveries) webhooks::InsertDelivery(w, d);
        for (const auto& e : emails) webhooks::InsertEmail(w, e);
        return true;
      },
      Isolation::kReadCommitted);
}

Status SqlStoreCore::InsertEmailDelivery(const EmailDelivery& d, const Job& job) {
  return InWriteTxn([&](Connection& w) -> Status {
    jobs::Insert(w, job);
    webhooks::InsertEmail(w, d);
    return Ok{};
  });
}

Result<EmailDelivery> SqlStoreCore::GetEmailDelivery(const std::string& tenant_id,
                                                     const std::string& id) {
  return ReadRow<EmailDelivery>(
      "Delivery", [&](Connection& c) { return webhooks::GetEmail(c, tenant_id, id); });
}

Result<EmailDelivery> SqlStoreCore::GetEmailDeliveryByJob(const std::string& job_id) {
  return ReadRow<EmailDelivery>("Delivery",
                                [&](Connection& c) { return webhooks::GetEmailByJob(c, job_id); });
}

Result<std::vector<EmailDelivery>> SqlStoreCore::ListEmailDeliveries(const std::string& tenant_id,
                                                                     const std::string& report_id) {
  return Guard([&]() -> Result<std::vector<EmailDelivery>> {
    return WithReader([&](Connection& c) { return webhooks::ListEmails(c, tenant_id, report_id); });
  });
}

Status SqlStoreCore::RecordEmailAttempt(const std::string& id, const std::string& status,
                                        std::optional<int64_t> smtp_status,
                                        const std::string& error, UnixMs now) {
  return WriteOne("Delivery", [&](Connection& w) {
    return webhooks::RecordEmailAttempt(w, id, status, smtp_status, error, now);
  });
}

Status SqlStoreCore::InsertWebhookDelivery(const WebhookDelivery& d, const Job& job) {
  return InWriteTxn([&](Connection& w) -> Status {
    jobs::Insert(w, job);
    webhooks::InsertDelivery(w, d);
    return Ok{};
  });
}

Result<WebhookDelivery> SqlStoreCore::GetWebhookDelivery(const std::string& tenant_id,
                                                         const std::string& id) {
  return ReadRow<WebhookDelivery>(
      "Delivery", [&](Connection& c) { return webhooks::GetDelivery(c, tenant_id, id); });
}

Result<WebhookDelivery> SqlStoreCore::GetWebhookDeliveryByJob(const std::string& job_id) {
  return ReadRow<WebhookDelivery>(
      "Delivery", [&](Connection& c) { return webhooks::GetDeliveryByJob(c, job_id); });
}

Result<Page<WebhookDelivery>> SqlStoreCore::ListWebhookDeliveries(const std::string& tenant_id,
                                                                  const std::string& endpoint_id,
                                                                  const PageRequest& page) {
  return Guard([&]() -> Result<Page<WebhookDelivery>> {
    return WithReader(
        [&](Connection& c) { return webhooks::ListDeliveries(c, tenant_id, endpoint_id, page); });
  });
}

Status SqlStoreCore::RecordWebhookAttempt(const std::string& id, const std::string& status,
                                          std::optional<int64_t> response_status,
                                          const std::string& error, UnixMs now) {
  return WriteOne("Delivery", [&](Connection& w) {
    return webhooks::RecordAttempt(w, id, status, response_status, error, now);
  });
}

}  // namespace rapport::sql
