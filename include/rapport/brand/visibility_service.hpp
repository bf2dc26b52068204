// Brand visibility resources in the /v1 dialect (seed 000's family): a brand's facts, its
// scheduled reports, their region configs and prompts, and the manual execution that enqueues a
// "brand_report" job. Validation, tenancy and JSON forms live here; routes only translate HTTP.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/store.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr std::string_view kBrandReportJobKind = "brand_report";
inline constexpr std::string_view kBrandFactsJobKind = "brand_facts";
inline constexpr int kMaxRegionConfigsPerSchedule = 20;
inline constexpr int kMaxPromptsPerConfig = 50;
inline constexpr int kMaxSamplesPerPrompt = 10;
// The answer engines a region config can ask.
const std::vector<std::string>& AiPlatforms();

class FactsService {
 public:
  FactsService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  // 404 facts_not_generated when the brand has none.
  Result<BrandFacts> Get(const std::string& tenant_id, const std::string& brand_id);
  // Merge: sent fields written, null clears, lists replaced whole. Creates the facts if none.
  Result<BrandFacts> Patch(const std::string& tenant_id, const std::string& brand_id,
                           const boost::json::object& body);
  // Enqueues a brand_facts job (the answer engine researches the brand); facts go `pending`.
  Result<Job> Regenerate(const std::string& tenant_id, const std::string& brand_id);

 private:
  Store& store_;
  const Clock& clock_;
};

boost::json::object FactsToJson(const BrandFacts& facts);

// Merges the fields of `researched` that are known facts with the right types into `facts`
// (anything else is dropped). Returns how many fields were taken.
int MergeResearchedFacts(boost::json::object& facts, const boost::json::object& researched);

// What the server lets one brand run spend (llm.max_tokens_per_run; 0: no limit), and whether
// its answers are judged (a judge platform has a provider), for the estimate made before a run.
struct RunBudget {
  int64_t max_tokens_per_run = 0;
  bool judging = false;
};

class ScheduledReportService {
 public:
  ScheduledReportService(Store& store, const Clock& clock, int64_t queue_per_tenant,
                         int64_t queue_total, RunBudget budget = {})
      : store_(store),
        clock_(clock),
        queue_per_tenant_(queue_per_tenant),
        queue_total_(queue_total),
        budget_(budget) {}

  Result<ScheduledReport> Create(const std::string& tenant_id, const boost::json::object& body);
  Result<ScheduledReport> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<ScheduledReport>> List(const std::string& tenant_id,
                                     const ScheduledReportFilter& filter, const PageRequest& page);
  // name, frequency (next_run_at is not recomputed), is_active, next_run_at.
  Result<ScheduledReport> Patch(const std::string& tenant_id, const std::string& id,
                                const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);

  // Seed 000's manual execution: body {region_config_id?}. Returns the enqueued job; with
  // `request_key` (the request's Idempotency-Key), the job that key already created if any.
  // 422 with details.estimated_tokens when the run's estimate exceeds the budget.
  Result<Job> Execute(const std::string& tenant_id, const std::string& id,
                      const boost::json::object& body, const std::string& request_key = "");

 private:
  Store& store_;
  const Clock& clock_;
  int64_t queue_per_tenant_;
  int64_t queue_total_;
  RunBudget budget_;
};

boost::json::object ScheduledReportToJson(const ScheduledReport& s);

class RegionConfigService {
 public:
  // `default_platforms`: what a config created without `ai_platforms` asks (the platforms the
  // server has a provider for); empty makes `ai_platforms` required.
  RegionConfigService(Store& store, const Clock& clock,
                      std::vector<std::string> default_platforms = {})
      : store_(store), clock_(clock), default_platforms_(std::move(default_platforms)) {}

  Result<RegionConfig> Create(const std::string& tenant_id, const boost::json::object& body);
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

  // Adds 1-50 prompts ({prompts:[{prompt_text, category}]}); reactivates an inactive config.
  Result<std::vector<Prompt>> AddPrompts(const std::string& tenant_id, const std::string& config_id,
                                         const boost::json::object& body);
  Result<Page<Prompt>> ListPrompts(const std::string& tenant_id, const std::string& config_id,
                                   const PageRequest& page);
  Result<Prompt> PatchPrompt(const std::string& tenant_id, const std::string& config_id,
                             const std::string& prompt_id, const boost::json::object& body);
  Status DeletePrompt(const std::string& tenant_id, const std::string& config_id,
                      const std::string& prompt_id);

 private:
  Result<RegionConfig> Validate(const std::string& tenant_id, const boost::json::object& body,
                                RegionConfig config, bool creating);
  Store& store_;
  const Clock& clock_;
  std::vector<std::string> default_platforms_;
};

boost::json::object RegionConfigToJson(const RegionConfig& c);
boost::json::object PromptToJson(const Prompt& p);

}  // namespace rapport
