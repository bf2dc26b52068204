// Brands: the subject of AI-visibility reports. Validates input, keeps tenancy, and gives the
// canonical `/v1` JSON form (`object: "brand"`).
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

class BrandService {
 public:
  BrandService(BrandStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Validates `body` (kBodyValidation listing every problem) and stores a new brand.
  Result<Brand> Create(const std::string& tenant_id, const boost::json::object& body);
  Result<Brand> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<Brand>> List(const std::string& tenant_id, const PageRequest& page);
  // Merge patch: sent fields are written, `null` clears a nullable field, lists are replaced.
  Result<Brand> Patch(const std::string& tenant_id, const std::string& id,
                      const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);

 private:
  BrandStore& store_;
  const Clock& clock_;
};

boost::json::object BrandToJson(const Brand& brand);

// ISO 3166-1 alpha-2, upper case ("DE").
bool IsCountryCode(std::string_view s);
// ISO 639-1, optionally with a region ("de", "pt-BR").
bool IsLanguageTag(std::string_view s);

}  // namespace rapport
