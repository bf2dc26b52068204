// The SLA report kind (seed 002's side): the `sla_report` job, the SLA schedules' firing, and
// the routes of sites, faults, business hours, SLA schedules, SLA reports and their e-mails and
// the tenant's SLA webhooks.
#pragma once

#include <rapport/delivery/email.hpp>
#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/kinds/report_kind.hpp>
#include <rapport/store/store.hpp>

#include <memory>
#include <string>

namespace rapport {

struct SlaKindOptions {
  int64_t grace_ms = 10 * 60'000;  // a period due longer ago than this was missed (skip)
  QueueLimits queue_limits;        // unfinished jobs; past them an on-demand run is a 503
  std::string alertmanager_site_label = "site";  // the alert label naming a site id
  std::string grafana_site_label = "site";       // the same for Grafana Alerting
  std::string zabbix_site_tag = "site";          // the Zabbix event tag naming a site id
  std::string uptime_kuma_site_field = "name";   // "name" or "tag:<Uptime Kuma monitor tag>"
  SmtpSettings smtp;  // reports say their e-mails are queued when a server is configured
};

std::unique_ptr<ReportKind> MakeSlaKind(Store& store, const Clock& clock, SlaKindOptions options);

}  // namespace rapport
