// Sites: the network locations SLA reports measure. Validates input, keeps tenancy, and gives
// the seed-002 JSON form.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

class SiteService {
 public:
  SiteService(SiteStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Validates `body` (kBodyValidation listing every problem) and stores a new site.
  Result<Site> Create(const std::string& tenant_id, const boost::json::object& body);
  Result<Site> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<Site>> List(const std::string& tenant_id, const PageRequest& page);
  // Merge patch: sent fields are written; `tags` is replaced whole.
  Result<Site> Patch(const std::string& tenant_id, const std::string& id,
                     const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);

 private:
  SiteStore& store_;
  const Clock& clock_;
};

boost::json::object SiteToJson(const Site& site);

}  // namespace rapport
