#include <rapport/core/ids.hpp>
#include <rapport/delivery/email.hpp>

#include "delivery_json.hpp"

namespace rapport {

Result<std::vector<EmailDelivery>> EmailDeliveryService::List(const std::string& tenant_id,
                                                              const std::string& report_id) {
  return store_.ListEmailDeliveries(tenant_id, report_id);
}

Result<EmailDelivery> EmailDeliveryService::Resend(const std::string& tenant,
                                                   const std::string& report_id,
                                                   const std::string& delivery_id) {
  if (!settings_.enabled()) {
    return Error(ErrorCode::kConflict, "No SMTP server is configured (smtp.url)");
  }
  if (!IsValidId(delivery_id, "eml")) return Error::NotFound("Delivery");
  RAPPORT_TRY(EmailDelivery original, store_.GetEmailDelivery(tenant, delivery_id));
  if (original.report_id != report_id) return Error::NotFound("Delivery");
  UnixMs now = clock_.NowMs();
  std::string id = NewIdAt("eml", now);
  Job job = DeliveryJob(tenant, "email_delivery", settings_.max_attempts, id, now);
  EmailDelivery d = Redelivery(original, id, job.id, now);
  d.smtp_status.reset();
  RAPPORT_CHECK(store_.InsertEmailDelivery(d, job));
  return d;
}

}  // namespace rapport
