#include <rapport/brand/visibility_service.hpp>

#include <rapport/brand/brand_report.hpp>

#include <rapport/brand/brand_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/schedule/cadence.hpp>

#include "locale_names.hpp"

#include <boost/json.hpp>

#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

json::value TimeOrNull(const std::optional<UnixMs>& t) {
  return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr);
}

json::value TextOrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

// --- Facts -----------------------------------------------------------------------------------

const std::vector<std::string_view> kTextFacts = {
    "description", "industry",          "company_size",     "headquarters",
    "tagline",     "value_proposition", "mission_statement"};

// Validates a list of {name, <second>} objects; returns the cleaned array.
std::optional<json::array> ReadNamedList(BodyReader& reader, std::string_view key,
                                         std::string_view second) {
  json::array out;
  bool present = reader.ObjectList(key, 100, false, [&](BodyReader& item, size_t) {
    item.RejectUnknown({"name", second});
    auto name = item.String("name", {.required = true, .min_length = 1, .max_length = 200});
    auto other = item.String(second, {.max_length = 2000, .nullable = true});
    if (name) {
      out.push_back(json::object{{"name", *name}, {second, other ? json::value(*other) : nullptr}});
    }
  });
  if (!present) return std::nullopt;
  return out;
}

void ReadSamples(BodyReader& reader, ScheduledReport& s) {
  if (auto n = reader.Int("samples_per_prompt", false, 1, kMaxSamplesPerPrompt)) {
    s.samples_per_prompt = static_cast<int>(*n);
  }
}

void ReadMissedRuns(BodyReader& reader, ScheduledReport& s) {
  if (auto v = reader.String("missed_runs", {})) {
    if (*v == "skip" || *v == "once" || *v == "all") {
      s.missed_runs = *v;
    } else {
      reader.AddProblem("missed_runs", "must be one of skip, once, all", "enum");
    }
  }
}

// --- Region configs ---------------------------------------------------------------------------

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

}  // namespace

const std::vector<std::string>& AiPlatforms() {
  static const std::vector<std::string> kPlatforms = {
      "chatgpt",        "perplexity",    "ai_overviews", "claude",
      "chatgpt_search", "claude_search", "gemini",       "grok"};
  return kPlatforms;
}

Result<BrandFacts> FactsService::Get(const std::string& tenant_id, const std::string& brand_id) {
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(store_.GetBrand(tenant_id, brand_id));
  auto facts = store_.GetBrandFacts(tenant_id, brand_id);
  if (!facts.ok() && facts.error().code() == ErrorCode::kNotFound) {
    return Error(ErrorCode::kFactsNotGenerated,
                 "No facts for this brand yet: set them with PATCH or generate them with POST "
                 "/v1/brands/" +
                     brand_id + "/facts");
  }
  return facts;
}

Result<BrandFacts> FactsService::Patch(const std::string& tenant_id, const std::string& brand_id,
                                       const json::object& body) {
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(store_.GetBrand(tenant_id, brand_id));
  BrandFacts facts;
  if (auto existing = store_.GetBrandFacts(tenant_id, brand_id); existing.ok()) {
    facts = *existing;
  } else if (existing.error().code() != ErrorCode::kNotFound) {
    return existing.error();
  }
  json::value stored = json::parse(facts.body);
  json::object& f = stored.as_object();
  BodyReader reader(body, "body");
  std::vector<std::string_view> known(kTextFacts.begin(), kTextFacts.end());
  for (auto k : {"founded_year", "key_facts", "key_people", "products", "services"}) {
    known.push_back(k);
  }
  reader.RejectUnknown(known);
  for (auto key : kTextFacts) {
    if (!reader.Has(key)) continue;
    if (reader.IsNull(key)) {
      f.erase(key);
    } else if (auto v = reader.String(key, {.max_length = key == "description" ? 5000u : 1000u})) {
      f[key] = *v;
    }
  }
  if (reader.Has("founded_year")) {
    if (reader.IsNull("founded_year")) {
      f.erase("founded_year");
    } else if (auto year = reader.Int("founded_year", false, 1000, 2100)) {
      f["founded_year"] = *year;
    }
  }
  if (reader.Has("key_facts")) {
    if (reader.IsNull("key_facts")) {
      f.erase("key_facts");
    } else if (auto list =
                   reader.StringList("key_facts", 100, {.min_length = 1, .max_length = 1000})) {
      json::array a;
      for (auto& s : *list) a.emplace_back(s);
      f["key_facts"] = std::move(a);
    }
  }
  for (auto [key, second] : {std::pair<std::string_view, std::string_view>{"key_people", "title"},
                             {"products", "description"},
                             {"services", "description"}}) {
    if (!reader.Has(key)) continue;
    if (reader.IsNull(key)) {
      f.erase(key);
    } else if (auto list = ReadNamedList(reader, key, second)) {
      f[key] = std::move(*list);
    }
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  facts.brand_id = brand_id;
  facts.tenant_id = tenant_id;
  facts.body = ToJson(stored);
  facts.research_status = "completed";
  facts.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.PutBrandFacts(facts));
  return facts;
}

Result<Job> FactsService::Regenerate(const std::string& tenant_id, const std::string& brand_id) {
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(store_.GetBrand(tenant_id, brand_id));
  UnixMs now = clock_.NowMs();
  Job job;
  job.id = NewIdAt("job", now);
  job.tenant_id = tenant_id;
  job.kind = std::string(kBrandFactsJobKind);
  job.created_at = job.updated_at = job.run_after = now;
  job.step = "queued";
  job.message = "Researching the brand";
  job.payload = ToJson(json::object{{"brand_id", brand_id}});
  RAPPORT_CHECK(store_.EnqueueFactsResearch(tenant_id, brand_id, job, now));
  return job;
}

int MergeResearchedFacts(json::object& facts, const json::object& researched) {
  int taken = 0;
  for (auto key : kTextFacts) {
    const auto* v = researched.if_contains(key);
    if (v && v->is_string() && !v->as_string().empty() && v->as_string().size() <= 5000) {
      facts[key] = *v;
      ++taken;
    }
  }
  if (const auto* y = researched.if_contains("founded_year");
      y && y->is_int64() && y->as_int64() >= 1000 && y->as_int64() <= 2100) {
    facts["founded_year"] = *y;
    ++taken;
  }
  if (const auto* k = researched.if_contains("key_facts"); k && k->is_array()) {
    json::array list;
    for (const auto& f : k->as_array()) {
      if (f.is_string() && list.size() < 100) list.push_back(f);
    }
    facts["key_facts"] = std::move(list);
    ++taken;
  }
  for (auto [key, second] : {std::pair<std::string_view, std::string_view>{"key_people", "title"},
                             {"products", "description"},
                             {"services", "description"}}) {
    const auto* v = researched.if_contains(key);
    if (!v || !v->is_array()) continue;
    json::array list;
    for (const auto& item : v->as_array()) {
      if (!item.is_object() || list.size() >= 100) continue;
      const auto* name = item.as_object().if_contains("name");
      const auto* other = item.as_object().if_contains(second);
      if (!name || !name->is_string()) continue;
      list.push_back(json::object{
          {"name", *name}, {second, other && other->is_string() ? *other : json::value(nullptr)}});
    }
    facts[key] = std::move(list);
    ++taken;
  }
  return taken;
}

json::object FactsToJson(const BrandFacts& facts) {
  json::value body = json::parse(facts.body);
  const json::object& f = body.as_object();
  json::object out{{"brand_id", facts.brand_id}, {"object", "brand_facts"}};
  for (auto key : kTextFacts) {
    const auto* v = f.if_contains(key);
    out[key] = v ? *v : json::value(nullptr);
  }
  const auto* year = f.if_contains("founded_year");
  out["founded_year"] = year ? *year : json::value(nullptr);
  for (auto key : {"key_facts", "key_people", "products", "services"}) {
    const auto* v = f.if_contains(key);
    out[key] = v ? *v : json::value(json::array{});
  }
  out["research_status"] = facts.research_status;
  out["updated_at"] = FormatRfc3339(facts.updated_at);
  return out;
}

// --- Scheduled reports -------------------------------------------------------------------------

Result<ScheduledReport> ScheduledReportService::Create(const std::string& tenant_id,
                                                       const json::object& body) {
  BodyReader reader(body, "body");
  reader.RejectUnknown(
      {"brand_id", "name", "frequency", "is_active", "next_run_at", "missed_runs",
       "samples_per_prompt"});
  ScheduledReport s;
  UnixMs now = clock_.NowMs();
  if (auto brand = reader.String("brand_id", {.required = true, .min_length = 1})) {
    if (IsValidId(*brand, "brand") && store_.GetBrand(tenant_id, *brand).ok()) {
      s.brand_id = *brand;
    } else {
      reader.AddProblem("brand_id", "must be the id of one of your brands", "unknown_brand");
    }
  }
  if (auto name = reader.String("name", {.required = true, .min_length = 1, .max_length = 200})) {
    s.name = *name;
  }
  std::optional<Frequency> frequency;
  if (auto f = reader.String("frequency", {.required = true})) {
    frequency = ParseFrequency(*f);
    if (frequency) {
      s.frequency = *f;
    } else {
      reader.AddProblem("frequency", "must be one of daily, weekly, monthly", "enum");
    }
  }
  if (auto active = reader.Bool("is_active", false)) s.is_active = *active;
  if (auto next = reader.String("next_run_at", {})) {
    if (auto t = ParseRfc3339(*next)) {
      s.next_run_at = *t;
    } else {
      reader.AddProblem("next_run_at", "must be an RFC 3339 timestamp", "datetime_parsing");
    }
  }
  ReadMissedRuns(reader, s);
  ReadSamples(reader, s);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  // Computed on create: one period from now, unless given.
  if (!s.next_run_at) s.next_run_at = FrequencyRunAt(*frequency, now, 1);
  s.tenant_id = tenant_id;
  s.created_at = s.updated_at = now;
  s.id = NewIdAt("srep", now);
  RAPPORT_CHECK(store_.InsertScheduledReport(s));
  return s;
}

Result<ScheduledReport> ScheduledReportService::Get(const std::string& tenant_id,
                                                    const std::string& id) {
  if (!IsValidId(id, "srep")) return Error::NotFound("Scheduled report");
  return store_.GetScheduledReport(tenant_id, id);
}

Result<Page<ScheduledReport>> ScheduledReportService::List(const std::string& tenant_id,
                                                           const ScheduledReportFilter& filter,
                                                           const PageRequest& page) {
  return store_.ListScheduledReports(tenant_id, filter, page);
}

Result<ScheduledReport> ScheduledReportService::Patch(const std::string& tenant_id,
                                                      const std::string& id,
                                                      const json::object& body) {
  RAPPORT_TRY(ScheduledReport s, Get(tenant_id, id));
  BodyReader reader(body, "body");
  reader.RejectUnknown(
      {"name", "frequency", "is_active", "next_run_at", "missed_runs", "samples_per_prompt"});
  ReadMissedRuns(reader, s);
  ReadSamples(reader, s);
  if (auto name = reader.String("name", {.min_length = 1, .max_length = 200})) s.name = *name;
  if (auto f = reader.String("frequency", {})) {
    if (ParseFrequency(*f)) {
      s.frequency = *f;  // next_run_at stays: the new cadence counts from it
    } else {
      reader.AddProblem("frequency", "must be one of daily, weekly, monthly", "enum");
    }
  }
  if (auto active = reader.Bool("is_active", false)) s.is_active = *active;
  if (auto next = reader.String("next_run_at", {})) {
    if (auto t = ParseRfc3339(*next)) {
      s.next_run_at = *t;
    } else {
      reader.AddProblem("next_run_at", "must be an RFC 3339 timestamp", "datetime_parsing");
    }
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  s.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateScheduledReport(s));
  return Get(tenant_id, id);
}

Status ScheduledReportService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "srep")) return Error::NotFound("Scheduled report");
  return store_.DeleteScheduledReport(tenant_id, id);
}

Result<Job> ScheduledReportService::Execute(const std::string& tenant_id, const std::string& id,
                                            const json::object& body,
                                            const std::string& request_key) {
  RAPPORT_TRY(ScheduledReport schedule, Get(tenant_id, id));
  BodyReader reader(body, "body");  // other keys are ignored: seed 000's schema allows them
  auto only = reader.String("region_config_id", {.nullable = true});
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  if (only) {
    auto config = IsValidId(*only, "rcfg") ? store_.GetRegionConfig(tenant_id, *only)
                                           : Result<RegionConfig>(Error::NotFound("Region config"));
    if (!config.ok()) return config.error();
    if (config->scheduled_report_id != schedule.id) {
      return Error::FromProblems(
                 ErrorCode::kValidation,
                 {{"body.region_config_id",
                   "the region config does not belong to this scheduled report", "not_attached"}})
          .WithStatus(422);
    }
  }
  auto facts = store_.GetBrandFacts(tenant_id, schedule.brand_id);
  bool has_description = false;
  if (facts.ok()) {
    json::value f = json::parse(facts->body);
    const auto* d = f.as_object().if_contains("description");
    has_description = d && d->is_string() && !d->as_string().empty();
  } else if (facts.error().code() != ErrorCode::kNotFound) {
    return facts.error();
  }
  if (!has_description) {
    return Error(ErrorCode::kBrandFactsRequired,
                 "The brand has no facts description; set it with PATCH /v1/brands/" +
                     schedule.brand_id + "/facts");
  }
  size_t facts_chars = facts->body.size();
  // What would run: active configs of the schedule with at least one enabled prompt.
  RAPPORT_TRY(Page<RegionConfig> configs,
              store_.ListRegionConfigs(tenant_id, schedule.id, PageRequest{.limit = 100}));
  json::array region_ids;
  RunEstimate estimate;
  for (const auto& c : configs.items) {
    if (only && c.id != *only) continue;
    if (!c.is_active) continue;
    RAPPORT_TRY(Page<Prompt> prompts,
                store_.ListPrompts(tenant_id, c.id, PageRequest{.limit = 100}));
    bool enabled = std::any_of(prompts.items.begin(), prompts.items.end(),
                               [](const Prompt& p) { return p.is_enabled; });
    if (enabled) region_ids.emplace_back(c.id);
    int samples = c.samples_per_prompt.value_or(schedule.samples_per_prompt);
    for (const auto& p : prompts.items) {
      if (!p.is_enabled) continue;
      AddToEstimate(estimate, p.prompt_text,
                    samples * static_cast<int64_t>(c.ai_platforms.size()), budget_.judging,
                    facts_chars);
    }
  }
  if (budget_.max_tokens_per_run > 0 && estimate.tokens > budget_.max_tokens_per_run) {
    return Error(ErrorCode::kValidation,
                 "The run is estimated at " + std::to_string(estimate.tokens) + " tokens (" +
                     std::to_string(estimate.answer_calls) + " answers, " +
                     std::to_string(estimate.judge_calls) +
                     " judgements), more than this server's llm.max_tokens_per_run (" +
                     std::to_string(budget_.max_tokens_per_run) + ")",
                 json::object{{"estimated_tokens", estimate.tokens},
                              {"max_tokens_per_run", budget_.max_tokens_per_run},
                              {"errors", json::array{}}})
        .WithStatus(422);
  }
  if (region_ids.empty()) {
    return Error(ErrorCode::kValidation,
                 only ? "The region config is inactive or has no enabled prompt"
                      : "Nothing to run: no active region config with an enabled prompt",
                 json::object{{"errors", json::array{}}})
        .WithStatus(422);
  }
  if (!request_key.empty()) {  // a retry of a request whose process died after enqueueing
    RAPPORT_TRY(std::optional<Job> earlier, store_.FindJobByRequestKey(tenant_id, request_key));
    if (earlier) return *std::move(earlier);
  }
  RAPPORT_TRY(int64_t tenant_queue, store_.CountUnfinishedJobs(tenant_id));
  RAPPORT_TRY(int64_t total_queue, store_.CountUnfinishedJobs(""));
  if (tenant_queue >= queue_per_tenant_ || total_queue >= queue_total_) {
    return Error(ErrorCode::kServiceUnavailable, "The report queue is full; try again shortly",
                 json::object{{"retry_after", 30}});
  }
  UnixMs now = clock_.NowMs();
  std::string today = FormatRfc3339(now).substr(0, 10);
  Job job;
  job.id = NewIdAt("job", now);
  job.tenant_id = tenant_id;
  job.kind = std::string(kBrandReportJobKind);
  job.created_at = job.updated_at = job.run_after = now;
  job.step = "queued";
  job.message = "Asking the answer engines";
  job.request_key = request_key;
  ScheduleRun run;
  run.id = NewIdAt("run", now);
  run.tenant_id = tenant_id;
  run.schedule_id = schedule.id;
  run.trigger = "on_demand";
  run.from_date = run.to_date = today;
  run.job_id = job.id;
  run.status = "pending";
  run.created_at = now;
  job.payload = ToJson(json::object{{"scheduled_report_id", schedule.id},
                                    {"run_id", run.id},
                                    {"trigger", "on_demand"},
                                    {"batch_id", NewIdAt("batch", now)},
                                    {"region_config_ids", std::move(region_ids)}});
  RAPPORT_CHECK(store_.EnqueueScheduleRun(run, job));
  return job;
}

json::object ScheduledReportToJson(const ScheduledReport& s) {
  return json::object{{"id", s.id},
                      {"object", "scheduled_report"},
                      {"brand_id", s.brand_id},
                      {"name", s.name},
                      {"frequency", s.frequency},
                      {"is_active", s.is_active},
                      {"missed_runs", s.missed_runs},
                      {"samples_per_prompt", s.samples_per_prompt},
                      {"next_run_at", TimeOrNull(s.next_run_at)},
                      {"last_run_at", TimeOrNull(s.last_run_at)},
                      {"last_run_status", TextOrNull(s.last_run_status)},
                      {"last_error_message", TextOrNull(s.last_error_message)},
                      {"created_at", FormatRfc3339(s.created_at)},
                      {"updated_at", FormatRfc3339(s.updated_at)}};
}

// --- Region configs and prompts -----------------------------------------------------------------

Result<RegionConfig> RegionConfigService::Validate(const std::string& tenant_id,
                                                   const json::object& body, RegionConfig c,
                                                   bool creating) {
  BodyReader reader(body, "body");
  std::vector<std::string_view> known = {
      "name",         "country",   "language",           "location",
      "ai_platforms", "is_active", "scheduled_report_id", "samples_per_prompt"};
  if (creating) known.push_back("brand_id");
  reader.RejectUnknown(known);
  if (creating) {
    if (auto brand = reader.String("brand_id", {.required = true, .min_length = 1})) {
      if (IsValidId(*brand, "brand") && store_.GetBrand(tenant_id, *brand).ok()) {
        c.brand_id = *brand;
      } else {
        reader.AddProblem("brand_id", "must be the id of one of your brands", "unknown_brand");
      }
    }
  }
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
  ReadPlatforms(reader, c, creating, default_platforms_);
  if (auto v = reader.Bool("is_active", false)) c.is_active = *v;
  if (reader.Has("samples_per_prompt") && reader.IsNull("samples_per_prompt")) {
    c.samples_per_prompt.reset();  // the scheduled report's
  } else if (auto n = reader.Int("samples_per_prompt", false, 1, kMaxSamplesPerPrompt)) {
    c.samples_per_prompt = static_cast<int>(*n);
  }
  if (reader.Has("scheduled_report_id")) {
    if (reader.IsNull("scheduled_report_id")) {
      c.scheduled_report_id.reset();
    } else if (auto v = reader.String("scheduled_report_id", {})) {
      auto schedule = IsValidId(*v, "srep") ? store_.GetScheduledReport(tenant_id, *v)
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
  RAPPORT_CHECK(store_.InsertRegionConfig(c));
  if (attach) return Attach(tenant_id, *attach, c.id);
  return Get(tenant_id, c.id);
}

Result<RegionConfig> RegionConfigService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "rcfg")) return Error::NotFound("Region config");
  return store_.GetRegionConfig(tenant_id, id);
}

Result<Page<RegionConfig>> RegionConfigService::List(
    const std::string& tenant_id, const std::optional<std::string>& scheduled_report_id,
    const PageRequest& page) {
  return store_.ListRegionConfigs(tenant_id, scheduled_report_id, page);
}

Result<RegionConfig> RegionConfigService::Patch(const std::string& tenant_id, const std::string& id,
                                                const json::object& body) {
  RAPPORT_TRY(RegionConfig existing, Get(tenant_id, id));
  RAPPORT_TRY(RegionConfig c, Validate(tenant_id, body, existing, false));
  c.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateRegionConfig(c, kMaxRegionConfigsPerSchedule));
  return Get(tenant_id, id);
}

Status RegionConfigService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "rcfg")) return Error::NotFound("Region config");
  return store_.DeleteRegionConfig(tenant_id, id);
}

Result<RegionConfig> RegionConfigService::Attach(const std::string& tenant_id,
                                                 const std::string& schedule_id,
                                                 const std::string& config_id) {
  if (!IsValidId(schedule_id, "srep")) return Error::NotFound("Scheduled report");
  RAPPORT_TRY(ScheduledReport schedule, store_.GetScheduledReport(tenant_id, schedule_id));
  RAPPORT_TRY(RegionConfig c, Get(tenant_id, config_id));
  if (c.brand_id != schedule.brand_id) {
    return Error(ErrorCode::kConflict,
                 "The region config belongs to another brand than the scheduled report");
  }
  c.scheduled_report_id = schedule.id;
  c.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateRegionConfig(c, kMaxRegionConfigsPerSchedule));
  return Get(tenant_id, config_id);
}

Result<std::vector<Prompt>> RegionConfigService::AddPrompts(const std::string& tenant_id,
                                                            const std::string& config_id,
                                                            const json::object& body) {
  RAPPORT_TRY(RegionConfig c, Get(tenant_id, config_id));
  UnixMs now = clock_.NowMs();
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
    p.region_config_id = c.id;
    p.created_at = p.updated_at = now;
    prompts.push_back(std::move(p));
  });
  if (reader.ok() && prompts.empty()) {
    reader.AddProblem("prompts", "must hold at least one prompt", "too_short");
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  RAPPORT_CHECK(store_.InsertPrompts(prompts, kMaxPromptsPerConfig));
  if (!c.is_active) {  // adding prompts to an inactive config reactivates it
    c.is_active = true;
    c.updated_at = now;
    RAPPORT_CHECK(store_.UpdateRegionConfig(c, kMaxRegionConfigsPerSchedule + 1));
  }
  return prompts;
}

Result<Page<Prompt>> RegionConfigService::ListPrompts(const std::string& tenant_id,
                                                      const std::string& config_id,
                                                      const PageRequest& page) {
  RAPPORT_TRY(RegionConfig c, Get(tenant_id, config_id));
  return store_.ListPrompts(tenant_id, c.id, page);
}

Result<Prompt> RegionConfigService::PatchPrompt(const std::string& tenant_id,
                                                const std::string& config_id,
                                                const std::string& prompt_id,
                                                const json::object& body) {
  RAPPORT_TRY(RegionConfig c, Get(tenant_id, config_id));
  if (!IsValidId(prompt_id, "prm")) return Error::NotFound("Prompt");
  RAPPORT_TRY(Prompt p, store_.GetPrompt(tenant_id, prompt_id));
  if (p.region_config_id != c.id) return Error::NotFound("Prompt");
  BodyReader reader(body, "body");
  reader.RejectUnknown({"prompt_text", "category", "is_enabled"});
  if (auto t = reader.String("prompt_text", {.min_length = 1, .max_length = 2000})) {
    p.prompt_text = *t;
  }
  if (auto cat = reader.String("category", {.max_length = 100})) p.category = *cat;
  if (auto e = reader.Bool("is_enabled", false)) p.is_enabled = *e;
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  p.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdatePrompt(p));
  return p;
}

Status RegionConfigService::DeletePrompt(const std::string& tenant_id, const std::string& config_id,
                                         const std::string& prompt_id) {
  RAPPORT_TRY(RegionConfig c, Get(tenant_id, config_id));
  if (!IsValidId(prompt_id, "prm")) return Error::NotFound("Prompt");
  RAPPORT_TRY(Prompt p, store_.GetPrompt(tenant_id, prompt_id));
  if (p.region_config_id != c.id) return Error::NotFound("Prompt");
  return store_.DeletePrompt(tenant_id, prompt_id);
}

namespace {

json::value CountryCodeOrNull(const std::string& country) {
  const Country* found = FindCountry(country);
  return found ? json::value(found->alpha2) : json::value(nullptr);
}

json::value LanguageCode(const std::string& language) {
  auto found = FindLanguage(language);
  return found ? json::value(found->code) : json::value(nullptr);
}

}  // namespace

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
