// Faults: the data SLA reports consume, entered through the API (one, or up to 10,000 at once,
// all-or-nothing, as JSON or CSV) or from the webhooks of Prometheus Alertmanager, Grafana
// Alerting, Zabbix (the media type in packaging/zabbix/) and Uptime Kuma. Validates,
// keeps tenancy, and gives the JSON form.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace rapport {

inline constexpr size_t kMaxBulkFaults = 10'000;

// What tells one Alertmanager-shaped webhook from another.
struct AlertSource {
  std::string_view version;          // the payload's required "version"
  std::string_view version_message;  // the problem when it differs
  std::string_view key_prefix;       // of each fault's source_key ("alertmanager:")
};

class FaultService {
 public:
  // `sites`: a fault's site must be one of the tenant's.
  FaultService(FaultStore& faults, SiteStore& sites, const Clock& clock)
      : faults_(faults), sites_(sites), clock_(clock) {}

  Result<Fault> Create(const std::string& tenant_id, const boost::json::object& body);
  // `body` is {"faults": [...]}: every item valid (problems name body.faults.N.field) or none
  // stored.
  Result<std::vector<Fault>> CreateBulk(const std::string& tenant_id,
                                        const boost::json::object& body);
  Result<Fault> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<Fault>> List(const std::string& tenant_id, const FaultFilter& filter,
                           const PageRequest& page);
  // Resolve (status "resolved", optional resolved_at, default now), reopen (status
  // "unresolved"), or edit severity, cause and message.
  Result<Fault> Patch(const std::string& tenant_id, const std::string& id,
                      const boost::json::object& body);

  // Alertmanager webhook (version 4). Alerts whose `site_label` names a site of the tenant open
  // a fault at startsAt (resolved at endsAt when the alert is resolved); others are ignored.
  // Redelivery changes nothing. Returns {"received", "matched", "changed"}.
  Result<boost::json::object> IngestAlertmanager(const std::string& tenant_id,
                                                 const boost::json::object& body,
                                                 const std::string& site_label);
  // Grafana Alerting's webhook contact point (version "1"), the same way as Alertmanager's.
  Result<boost::json::object> IngestGrafana(const std::string& tenant_id,
                                            const boost::json::object& body,
                                            const std::string& site_label);
  // Zabbix, as packaging/zabbix/rapport-webhook.js posts it: a problem event opens a fault of
  // the site its tag `site_tag` names (source_key zabbix:<event_id>), its recovery resolves it,
  // updates change nothing. Returns {"received", "matched", "changed"}.
  Result<boost::json::object> IngestZabbix(const std::string& tenant_id,
                                           const boost::json::object& body,
                                           const std::string& site_tag);
  // Uptime Kuma's webhook notification: a down heartbeat opens a fault of the monitor's site
  // (`site_field`: "name" for the monitor name, or "tag:<tag name>"; its value a site id or the
  // name of exactly one site) unless one of that monitor is open; an up heartbeat resolves it.
  Result<boost::json::object> IngestUptimeKuma(const std::string& tenant_id,
                                               const boost::json::object& body,
                                               const std::string& site_field);
  // CSV with a header row naming fault fields of POST /faults (plus `external_id`); every row
  // valid or none stored (the error names every bad row and column). A row whose external_id
  // is stored already is not stored again. Returns {"rows", "imported", "unchanged"}.
  Result<boost::json::object> ImportCsv(const std::string& tenant_id, std::string_view csv);

 private:
  Result<boost::json::object> IngestAlerts(const std::string& tenant_id,
                                           const boost::json::object& body,
                                           const AlertSource& source,
                                           const std::string& site_label);

  FaultStore& faults_;
  SiteStore& sites_;
  const Clock& clock_;
};

boost::json::object FaultToJson(const Fault& fault);

}  // namespace rapport
