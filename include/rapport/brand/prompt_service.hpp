// The prompts of a region config in the /v1 dialect (seed 000's family): what a scheduled report
// asks the answer engines. Validation, tenancy and JSON forms live here; routes only translate
// HTTP.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr int kMaxPromptsPerConfig = 50;

// Thread-safe as the store is; holds references to the stores and `clock`, which must outlive it.
// Every call is 404 unless `config_id` is one of the tenant's region configs, and a prompt of
// another config is 404 too.
class PromptService {
 public:
  // `configs`: the config a prompt belongs to (checked, and reactivated by Add).
  PromptService(PromptStore& prompts, RegionConfigStore& configs, const Clock& clock)
      : prompts_(prompts), configs_(configs), clock_(clock) {}

  // Adds 1-50 prompts ({prompts:[{prompt_text, category}]}); reactivates an inactive config.
  Result<std::vector<Prompt>> Add(const std::string& tenant_id, const std::string& config_id,
                                  const boost::json::object& body);
  Result<Page<Prompt>> List(const std::string& tenant_id, const std::string& config_id,
                            const PageRequest& page);
  // prompt_text, category, is_enabled.
  Result<Prompt> Patch(const std::string& tenant_id, const std::string& config_id,
                       const std::string& prompt_id, const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& config_id,
                const std::string& prompt_id);

 private:
  Result<RegionConfig> FindConfig(const std::string& tenant_id, const std::string& config_id);
  Result<Prompt> FindPrompt(const std::string& tenant_id, const std::string& config_id,
                            const std::string& prompt_id);
  PromptStore& prompts_;
  RegionConfigStore& configs_;
  const Clock& clock_;
};

boost::json::object PromptToJson(const Prompt& p);

}  // namespace rapport
