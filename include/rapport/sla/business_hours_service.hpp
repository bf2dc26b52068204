// Business hours: weekly opening hours an SLA schedule can measure uptime within.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/sla/uptime.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

class BusinessHoursService {
 public:
  BusinessHoursService(BusinessHoursStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  Result<BusinessHours> Create(const std::string& tenant_id, const boost::json::object& body);
  Result<BusinessHours> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<BusinessHours>> List(const std::string& tenant_id, const PageRequest& page);
  // PUT: the body replaces every field.
  Result<BusinessHours> Replace(const std::string& tenant_id, const std::string& id,
                                const boost::json::object& body);
  // kConflict while an SLA schedule uses them.
  Status Delete(const std::string& tenant_id, const std::string& id);

 private:
  BusinessHoursStore& store_;
  const Clock& clock_;
};

boost::json::object BusinessHoursToJson(const BusinessHours& hours);
// The stored `hours` array as opening hours for the uptime engine.
std::vector<OpeningHours> OpeningHoursOf(const BusinessHours& hours);

}  // namespace rapport
