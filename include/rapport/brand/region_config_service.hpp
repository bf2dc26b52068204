// A brand's region configs in the /v1 dialect (seed 000's family): where and on which answer
// engines a scheduled report asks its prompts. Validation, tenancy and JSON forms live here;
// routes only translate HTTP.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr int kMaxRegionConfigsPerSchedule = 20;
// The answer engines a region config can ask.
const std::vector<std::string>& AiPlatforms();

// Thread-safe as the store is; holds references to the stores and `clock`, which must outlive it.
class RegionConfigService {
 public:
  // `brands` and `schedules`: only to check that a config's brand and schedule are the tenant's.
  // `default_platforms`: what a config created without `ai_platforms` asks (the platforms the
  // server has a provider for); empty makes `ai_platforms` required.
  RegionConfigService(RegionConfigStore& configs, BrandStore& brands,
                      ScheduledReportStore& schedules, const Clock& clock,
                      std::vector<std::string> default_platforms = {})
      : configs_(configs),
        brands_(brands),
        schedules_(schedules),
        clock_(clock),
        default_platforms_(std::move(default_platforms)) {}

  Result<RegionConfig> Create(const std::string& tenant_id, const boost::json::object& body);
  // 404 for a malformed id or another tenant's.
  Result<RegionConfig> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<RegionConfig>> List(const std::string& tenant_id,
                                  const std::optional<std::string>& scheduled_report_id,
                                  const PageRequest& page);
  Result<RegionConfig> Patch(const std::string& tenant_id, const std::string& id,
                             const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);
  // Attaches the config to the schedule (same brand; at most 20 per schedule).
  Result<RegionConfig> Attach(const std::string& tenant_id, const std::string& schedule_id,
                              const std::string& config_id);

 private:
  Result<RegionConfig> Validate(const std::string& tenant_id, const boost::json::object& body,
                                RegionConfig config, bool creating);
  RegionConfigStore& configs_;
  BrandStore& brands_;
  ScheduledReportStore& schedules_;
  const Clock& clock_;
  std::vector<std::string> default_platforms_;
};

boost::json::object RegionConfigToJson(const RegionConfig& c);

}  // namespace rapport
