#include <rapport/brand/brand_webhooks.hpp>

#include <rapport/core/ids.hpp>

namespace rapport {

WebhookOwnerType BrandWebhookOwner(BrandStore& store) {
  return {
      .kind = "brand",
      .owner_field = "brand_id",
      .events = {"report.completed", "report.failed", "schedule.run.completed",
                 "schedule.run.failed", "schedule.run.missed", "visibility.dropped"},
      .check_owner = [&store](const std::string& tenant_id, const std::string& brand_id) -> Status {
        if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
        RAPPORT_CHECK(store.GetBrand(tenant_id, brand_id));
        return Ok{};
      },
      .email_recipients = nullptr};
}

}  // namespace rapport
