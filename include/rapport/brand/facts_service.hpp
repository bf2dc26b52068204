// A brand's facts in the /v1 dialect (seed 000's family): read, merge-patch, and the research job
// ("brand_facts") that asks an answer engine for them. Validation, tenancy and JSON forms live
// here; routes only translate HTTP.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr std::string_view kBrandFactsJobKind = "brand_facts";

// Thread-safe as the store is; holds references to `store` and `clock`, which must outlive it.
class FactsService {
 public:
  FactsService(BrandStore& store, const Clock& clock) : store_(store), clock_(clock) {}
  // 404 facts_not_generated when the brand has none.
  Result<BrandFacts> Get(const std::string& tenant_id, const std::string& brand_id);
  // Merge: sent fields written, null clears, lists replaced whole. Creates the facts if none.
  Result<BrandFacts> Patch(const std::string& tenant_id, const std::string& brand_id,
                           const boost::json::object& body);
  // Enqueues a brand_facts job (the answer engine researches the brand); facts go `pending`.
  Result<Job> Regenerate(const std::string& tenant_id, const std::string& brand_id);

 private:
  BrandStore& store_;
  const Clock& clock_;
};

boost::json::object FactsToJson(const BrandFacts& facts);

// Merges the fields of `researched` that are known facts with the right types into `facts`
// (anything else is dropped). Returns how many fields were taken.
int MergeResearchedFacts(boost::json::object& facts, const boost::json::object& researched);

}  // namespace rapport
