#include <rapport/brand/region_config_service.hpp>

#include <rapport/brand/scheduled_report_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include "locale_names.hpp"
#include "visibility_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

bool IsPlatform(std::string_view p) {
  const auto& all = AiPlatforms();
  return std::find(all.begin(), all.end(), p) != all.end();
}

// `ai_platforms`: 1-8 known platforms, duplicates dropped; on create without it, `defaults`
// (the platforms the server has a provider for).
void ReadPlatforms(BodyReader& reader, RegionConfig& c, bool creating,
                   const std::vector<std::string>& defaults) {
  if (auto v = reader.StringList("ai_platforms", 8, {.min_length = 1})) {
    std::set<std::string> seen;
    std::vector<std::string> platforms;
    for (size_t i = 0; i < v->size(); ++i) {
      const auto& p = (*v)[i];
      if (!IsPlatform(p)) {
        reader.AddProblem("ai_platforms." + std::to_string(i),
                          "must be one of chatgpt, perplexity, ai_overviews, claude, "
                          "chatgpt_search, claude_search, gemini, grok",
                          "enum");
      } else if (seen.insert(p).second) {
        platforms.push_back(p);
      }
    }
    if (platforms.empty() && reader.ok()) {
      reader.AddProblem("ai_platforms", "must name at least one platform", "too_short");
    }
    c.ai_platforms = platforms;
  } else if (creating && !reader.Has("ai_platforms")) {
    if (defaults.empty()) {
      reader.AddProblem("ai_platforms",
                        "field required: this server has no answer engine configured to "
                        "default to",
                        "missing");
    }
    c.ai_platforms = defaults;
  }
}

void ReadBrand(BrandStore& store, const std::string& tenant_id, BodyReader& reader,
               RegionConfig& c) {
  if (auto brand = reader.String("brand_id", {.required = true, .min_length = 1})) {
    if (IsValidId(*brand, "brand") && store.GetBrand(tenant_id, *brand).ok()) {
      c.brand_id = *brand;
    } else {
      reader.AddProblem("brand_id", "must be the id of one of your brands", "unknown_brand");
    }
  }
}

// name, country, language and location.
void ReadPlace(BodyReader& reader, RegionConfig& c, bool creating) {
  if (auto v = reader.String("name", {.required = creating, .min_length = 1, .max_length = 200})) {
    c.name = *v;
  }
  if (auto v =
          reader.String("country", {.required = creating, .min_length = 1, .max_length = 100})) {
    c.country = *v;  // free text, as the family takes it; country_code says what it names
  }
  if (auto v = reader.String("language", {.min_length = 1, .max_length = 100})) {
    if (FindLanguage(*v)) {
      c.language = *v;
    } else {
      reader.AddProblem("language",
                        "must be an English language name such as \"German\" or an ISO 639-1 "
                        "code such as \"de\" or \"pt-BR\"",
                        "language");
    }
  } else if (creating && !reader.Has("language")) {
    c.language = "en";
  }
  if (auto v = reader.String("location", {.max_length = 200})) c.location = *v;
}

void ReadActiveAndSamples(BodyReader& reader, RegionConfig& c) {
  if (auto v = reader.Bool("is_active", false)) c.is_active = *v;
  if (reader.Has("samples_per_prompt") && reader.IsNull("samples_per_prompt")) {
    c.samples_per_prompt.reset();  // the scheduled report's
  } else if (auto n = reader.Int("samples_per_prompt", false, 1, kMaxSamplesPerPrompt)) {
    c.samples_per_prompt = static_cast<int>(*n);
  }
}

void ReadSchedule(ScheduledReportStore& store, const std::string& tenant_id, BodyReader& reader,
                  RegionConfig& c) {
  if (!reader.Has("scheduled_report_id")) return;
  if (reader.IsNull("scheduled_report_id")) {
    c.scheduled_report_id.reset();
  } else if (auto v = reader.String("scheduled_report_id", {})) {
    auto schedule = IsValidId(*v, "srep") ? store.GetScheduledReport(tenant_id, *v)
                                          : Result<ScheduledReport>(Error::NotFound(""));
    if (!schedule.ok() || (!c.brand_id.empty() && schedule->brand_id != c.brand_id)) {
      reader.AddProblem("scheduled_report_id",
                        "must be the id of one of this brand's scheduled reports",
                        "unknown_scheduled_report");
    } else {
      c.scheduled_report_id = *v;
    }
  }
}

json::value CountryCodeOrNull(const std::string& country) {
  const Country* found = FindCountry(country);
  return found ? json::value(found->alpha2) : json::value(nullptr);
}

json::value LanguageCode(const std::string& language) {
  auto found = FindLanguage(language);
  return found ? json::value(found->code) : json::value(nullptr);
}

}  // namespace

const std::vector<std::string>& AiPlatforms() {
  static const std::vector<std::string> kPlatforms = {
      "chatgpt",        "perplexity",    "ai_overviews", "claude",
      "chatgpt_search", "claude_search", "gemini",       "grok"};
  return kPlatforms;
}

Result<RegionConfig> RegionConfigService::Validate(const std::string& tenant_id,
                                                   const json::object& body, RegionConfig c,
                                                   bool creating) {
  BodyReader reader(body, "body");
  std::vector<std::string_view> known = {"name",
                                         "country",
                                         "language",
                                         "location",
                                         "ai_platforms",
                                         "is_active",
                                         "scheduled_report_id",
                                         "samples_per_prompt"};
  if (creating) known.push_back("brand_id");
  reader.RejectUnknown(known);
  if (creating) ReadBrand(brands_, tenant_id, reader, c);
  ReadPlace(reader, c, creating);
  ReadPlatforms(reader, c, creating, default_platforms_);
  ReadActiveAndSamples(reader, c);
  ReadSchedule(schedules_, tenant_id, reader, c);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return c;
}

Result<RegionConfig> RegionConfigService::Create(const std::string& tenant_id,
                                                 const json::object& body) {
  RAPPORT_TRY(RegionConfig c, Validate(tenant_id, body, RegionConfig{}, true));
  c.tenant_id = tenant_id;
  c.created_at = c.updated_at = clock_.NowMs();
  c.id = NewIdAt("rcfg", c.created_at);
  std::optional<std::string> attach = c.scheduled_report_id;
  c.scheduled_report_id.reset();
  RAPPORT_CHECK(configs_.InsertRegionConfig(c));
  if (attach) return Attach(tenant_id, *attach, c.id);
  return Get(tenant_id, c.id);
}

Result<RegionConfig> RegionConfigService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "rcfg")) return Error::NotFound("Region config");
  return configs_.GetRegionConfig(tenant_id, id);
}

Result<Page<RegionConfig>> RegionConfigService::List(
    const std::string& tenant_id, const std::optional<std::string>& scheduled_report_id,
    const PageRequest& page) {
  return configs_.ListRegionConfigs(tenant_id, scheduled_report_id, page);
}

Result<RegionConfig> RegionConfigService::Patch(const std::string& tenant_id, const std::string& id,
                                                const json::object& body) {
  RAPPORT_TRY(RegionConfig existing, Get(tenant_id, id));
  RAPPORT_TRY(RegionConfig c, Validate(tenant_id, body, existing, false));
  c.updated_at = clock_.NowMs();
  RAPPORT_CHECK(configs_.UpdateRegionConfig(c, kMaxRegionConfigsPerSchedule));
  return Get(tenant_id, id);
}

Status RegionConfigService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "rcfg")) return Error::NotFound("Region config");
  return configs_.DeleteRegionConfig(tenant_id, id);
}

Result<RegionConfig> RegionConfigService::Attach(const std::string& tenant_id,
                                                 const std::string& schedule_id,
                                                 const std::string& config_id) {
  if (!IsValidId(schedule_id, "srep")) return Error::NotFound("Scheduled report");
  RAPPORT_TRY(ScheduledReport schedule, schedules_.GetScheduledReport(tenant_id, schedule_id));
  RAPPORT_TRY(RegionConfig c, Get(tenant_id, config_id));
  if (c.brand_id != schedule.brand_id) {
    return Error(ErrorCode::kConflict,
                 "The region config belongs to another brand than the scheduled report");
  }
  c.scheduled_report_id = schedule.id;
  c.updated_at = clock_.NowMs();
  RAPPORT_CHECK(configs_.UpdateRegionConfig(c, kMaxRegionConfigsPerSchedule));
  return Get(tenant_id, config_id);
}

json::object RegionConfigToJson(const RegionConfig& c) {
  json::array platforms;
  for (const auto& p : c.ai_platforms) platforms.emplace_back(p);
  return json::object{
      {"id", c.id},
      {"object", "region_config"},
      {"brand_id", c.brand_id},
      {"scheduled_report_id",
       c.scheduled_report_id ? json::value(*c.scheduled_report_id) : json::value(nullptr)},
      {"name", c.name},
      {"country", c.country},
      {"country_code", CountryCodeOrNull(c.country)},
      {"language", c.language},
      {"language_code", LanguageCode(c.language)},
      {"location", c.location},
      {"ai_platforms", std::move(platforms)},
      {"samples_per_prompt",
       c.samples_per_prompt ? json::value(*c.samples_per_prompt) : json::value(nullptr)},
      {"is_active", c.is_active},
      {"prompts_count", c.prompts_count},
      {"last_run_at", TimeOrNull(c.last_run_at)},
      {"last_run_status", TextOrNull(c.last_run_status)},
      {"last_error_message", TextOrNull(c.last_error_message)},
      {"created_at", FormatRfc3339(c.created_at)},
      {"updated_at", FormatRfc3339(c.updated_at)}};
}

}  // namespace rapport
