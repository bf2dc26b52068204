// Faults: the data SLA reports consume, entered through the API (one, or up to 10,000 at once,
// all-or-nothing) or from Prometheus Alertmanager's webhook. Validates, keeps tenancy, and gives
// the JSON form.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr size_t kMaxBulkFaults = 10'000;

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

 private:
  FaultStore& faults_;
  SiteStore& sites_;
  const Clock& clock_;
};

boost::json::object FaultToJson(const Fault& fault);

}  // namespace rapport
