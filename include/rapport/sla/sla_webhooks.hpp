// The SLA kind's webhook owner: the tenant's SLA side, whose endpoints (/reports/sla/webhooks)
// receive SLA report, missed-run and e-mail failure events, and whose completed reports are
// e-mailed to their schedule's recipients.
#pragma once

#include <rapport/delivery/webhooks.hpp>
#include <rapport/store/interfaces.hpp>

namespace rapport {

// Owner kind "sla", no owner field (the tenant as a whole); events sla_report.completed,
// sla_report.failed, schedule.run.missed, delivery.failed. An sla_report.completed event is
// e-mailed to the `recipients` of its schedule's settings (none once the schedule is deleted).
// `store` must outlive the returned type's functions.
WebhookOwnerType SlaWebhookOwner(SlaScheduleStore& store);

}  // namespace rapport
