// The brand kind's webhook owner: a brand, whose endpoints (/v1/brands/{brand_id}/webhooks)
// receive its reports' and scheduled runs' events.
#pragma once

#include <rapport/delivery/webhooks.hpp>
#include <rapport/store/interfaces.hpp>

namespace rapport {

// Owner kind "brand", owner field "brand_id"; events report.completed, report.failed,
// schedule.run.completed, schedule.run.failed, schedule.run.missed. An owner that is not a brand
// of the tenant is 404 "Brand not found". Nothing is e-mailed. `store` must outlive the returned
// type's functions.
WebhookOwnerType BrandWebhookOwner(BrandStore& store);

}  // namespace rapport
