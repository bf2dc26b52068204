#include <rapport/brand/prompt_service.hpp>

#include <rapport/brand/region_config_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include "visibility_json.hpp"

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

// The body's {prompts:[{prompt_text, category}]} as new prompts of config `config_id`.
Result<std::vector<Prompt>> ReadNewPrompts(const json::object& body, const std::string& tenant_id,
                                           const std::string& config_id, UnixMs now) {
  BodyReader reader(body, "body");
  reader.RejectUnknown({"prompts"});
  std::vector<Prompt> prompts;
  reader.ObjectList("prompts", kMaxPromptsPerConfig, true, [&](BodyReader& item, size_t) {
    item.RejectUnknown({"prompt_text", "category"});
    Prompt p;
    if (auto t =
            item.String("prompt_text", {.required = true, .min_length = 1, .max_length = 2000})) {
      p.prompt_text = *t;
    }
    if (auto cat = item.String("category", {.max_length = 100})) p.category = *cat;
    p.id = NewIdAt("prm", now);
    p.tenant_id = tenant_id;
    p.region_config_id = config_id;
    p.created_at = p.updated_at = now;
    prompts.push_back(std::move(p));
  });
  if (reader.ok() && prompts.empty()) {
    reader.AddProblem("prompts", "must hold at least one prompt", "too_short");
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return prompts;
}

}  // namespace

Result<RegionConfig> PromptService::FindConfig(const std::string& tenant_id,
                                               const std::string& config_id) {
  if (!IsValidId(config_id, "rcfg")) return Error::NotFound("Region config");
  return configs_.GetRegionConfig(tenant_id, config_id);
}

Result<Prompt> PromptService::FindPrompt(const std::string& tenant_id, const std::string& config_id,
                                         const std::string& prompt_id) {
  RAPPORT_TRY(RegionConfig c, FindConfig(tenant_id, config_id));
  if (!IsValidId(prompt_id, "prm")) return Error::NotFound("Prompt");
  RAPPORT_TRY(Prompt p, prompts_.GetPrompt(tenant_id, prompt_id));
  if (p.region_config_id != c.id) return Error::NotFound("Prompt");
  return p;
}

Result<std::vector<Prompt>> PromptService::Add(const std::string& tenant_id,
                                               const std::string& config_id,
                                               const json::object& body) {
  RAPPORT_TRY(RegionConfig c, FindConfig(tenant_id, config_id));
  UnixMs now = clock_.NowMs();
  RAPPORT_TRY(std::vector<Prompt> prompts, ReadNewPrompts(body, tenant_id, c.id, now));
  RAPPORT_CHECK(prompts_.InsertPrompts(prompts, kMaxPromptsPerConfig));
  if (!c.is_active) {  // adding prompts to an inactive config reactivates it
    c.is_active = true;
    c.updated_at = now;
    RAPPORT_CHECK(configs_.UpdateRegionConfig(c, kMaxRegionConfigsPerSchedule + 1));
  }
  return prompts;
}

Result<Page<Prompt>> PromptService::List(const std::string& tenant_id, const std::string& config_id,
                                         const PageRequest& page) {
  RAPPORT_TRY(RegionConfig c, FindConfig(tenant_id, config_id));
  return prompts_.ListPrompts(tenant_id, c.id, page);
}

Result<Prompt> PromptService::Patch(const std::string& tenant_id, const std::string& config_id,
                                    const std::string& prompt_id, const json::object& body) {
  RAPPORT_TRY(Prompt p, FindPrompt(tenant_id, config_id, prompt_id));
  BodyReader reader(body, "body");
  reader.RejectUnknown({"prompt_text", "category", "is_enabled"});
  if (auto t = reader.String("prompt_text", {.min_length = 1, .max_length = 2000})) {
    p.prompt_text = *t;
  }
  if (auto cat = reader.String("category", {.max_length = 100})) p.category = *cat;
  if (auto e = reader.Bool("is_enabled", false)) p.is_enabled = *e;
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  p.updated_at = clock_.NowMs();
  RAPPORT_CHECK(prompts_.UpdatePrompt(p));
  return p;
}

Status PromptService::Delete(const std::string& tenant_id, const std::string& config_id,
                             const std::string& prompt_id) {
  RAPPORT_TRY(Prompt p, FindPrompt(tenant_id, config_id, prompt_id));
  return prompts_.DeletePrompt(tenant_id, p.id);
}

json::object PromptToJson(const Prompt& p) {
  return json::object{{"id", p.id},
                      {"object", "prompt"},
                      {"region_config_id", p.region_config_id},
                      {"prompt_text", p.prompt_text},
                      {"category", TextOrNull(p.category)},
                      {"is_enabled", p.is_enabled},
                      {"created_at", FormatRfc3339(p.created_at)},
                      {"updated_at", FormatRfc3339(p.updated_at)}};
}

}  // namespace rapport
