#include <rapport/brand/brand_report.hpp>

#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/render/pdf.hpp>

#include "locale_names.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

// {rate, n, successes, ci_low, ci_high} in percent.
json::object Rate(int64_t successes, int64_t n) {
  Interval95 ci = WilsonInterval(successes, n);
  return json::object{{"rate", n == 0 ? json::value(nullptr)
                                      : json::value(Round1(100.0 * static_cast<double>(successes) /
                                                           static_cast<double>(n)))},
                      {"successes", successes},
                      {"n", n},
                      {"ci95_low", Round1(ci.low)},
                      {"ci95_high", Round1(ci.high)}};
}

Entity EntityOf(const Brand& b) { return Entity{b.name, b.aliases}; }

// The region in the best form known: a recognised country by its English name and code
// ("United States (US)"), a language by its name and code ("German, code 'de'"); free text as
// the client wrote it.
std::string SystemPrompt(const RegionConfig& c) {
  const Country* country = FindCountry(c.country);
  std::string where =
      country ? std::string(country->name) + " (" + std::string(country->alpha2) + ")" : c.country;
  if (!c.location.empty()) where = c.location + ", " + where;
  auto language = FindLanguage(c.language);
  std::string answer_in =
      language ? std::string(language->name) + " (language code '" + language->code + "')"
               : "the language '" + c.language + "'";
  return "You are answering a user located in " + where + ". Answer in " + answer_in +
         ", as you would for a user there. Recommend specific companies or products when the "
         "question asks for them.";
}

std::string JudgeSystemPrompt() {
  return "You are a fact-checker. List each claim the answer makes about the brand and compare "
         "it with the brand's facts. Reply with JSON only: {\"claims\": [{\"claim\": \"...\", "
         "\"verdict\": \"correct\" | \"contradicted\" | \"unsupported\"}]}. correct: the facts "
         "support it; contradicted: the facts say otherwise; unsupported: the facts do not say.";
}

constexpr int kTrendRuns = 12;  // this run and up to 11 before it

json::object TrendPoint(const std::string& report_id, UnixMs created_at,
                        const json::object& visibility) {
  json::object point{{"report_id", report_id}, {"created_at", FormatRfc3339(created_at)}};
  for (const char* key : {"rate", "n", "ci95_low", "ci95_high"}) {
    if (const auto* v = visibility.if_contains(key)) point[key] = *v;
  }
  return point;
}

// This region's visibility over the scheduled report's earlier runs and this one, oldest first.
Result<json::array> VisibilityTrend(Store& store, const std::string& tenant,
                                    const std::string& schedule_id, const std::string& config_id,
                                    const std::string& report_id, UnixMs now,
                                    const json::value& visibility) {
  RAPPORT_TRY(Page<Report> earlier, store.ListReports(tenant,
                                                      {.kind = "brand",
                                                       .schedule_id = schedule_id,
                                                       .status = "completed",
                                                       .region_config_id = config_id},
                                                      PageRequest{.limit = kTrendRuns - 1}));
  json::array trend;
  for (auto it = earlier.items.rbegin(); it != earlier.items.rend(); ++it) {
    boost::system::error_code ec;
    json::value body = json::parse(it->body, ec);
    if (ec || !body.is_object()) continue;
    const auto* v = body.as_object().if_contains("visibility");
    if (v && v->is_object()) trend.push_back(TrendPoint(it->id, it->created_at, v->as_object()));
  }
  trend.push_back(TrendPoint(report_id, now, visibility.as_object()));
  return trend;
}

// Gives every report of the batch the regions breakdown of the whole run, and its PDF (an
// artifact named after the report's part, so each region's report has its own).
Status AddRegionsAndPdfs(JobOutcome& outcome, UnixMs now) {
  std::vector<json::object> bodies;
  json::array regions;
  for (const auto& report : outcome.reports) {
    json::object body = json::parse(report.body).as_object();
    json::object region = body.at("region").as_object();
    region["region_config_id"] = report.region_config_id.value_or("");
    region["visibility"] = body.at("visibility");
    regions.push_back(std::move(region));
    bodies.push_back(std::move(body));
  }
  for (size_t i = 0; i < bodies.size(); ++i) {
    Report& report = outcome.reports[i];
    bodies[i]["regions"] = regions;
    report.body = ToJson(bodies[i]);
    json::object full{{"id", report.id}, {"created_at", FormatRfc3339(now)}};
    for (auto& [k, v] : bodies[i]) full[k] = std::move(v);
    RAPPORT_TRY(std::string pdf, RenderPdfToString(full, RenderBrandPdf));
    outcome.artifacts.push_back({report.part + "report.pdf", "application/pdf", std::move(pdf)});
  }
  return Ok{};
}

// Estimates of a run's tokens before any provider said (see AddToEstimate).
constexpr int64_t kSystemPromptTokens = 60;
constexpr int64_t kExpectedAnswerTokens = 500;
constexpr int64_t kJudgePromptTokens = 120;
constexpr int64_t kExpectedJudgementTokens = 200;

// The http(s) URLs written in an answer, in order, without trailing punctuation.
std::vector<std::string> UrlsIn(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t at = text.find("http", i);
    if (at == std::string::npos) break;
    if (text.compare(at, 7, "http://") != 0 && text.compare(at, 8, "https://") != 0) {
      i = at + 4;
      continue;
    }
    size_t j = at;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) &&
           text[j] != ')' && text[j] != ']' && text[j] != '"' && text[j] != '\'' &&
           text[j] != '>' && text[j] != '<') {
      ++j;
    }
    std::string url = text.substr(at, j - at);
    while (!url.empty() && std::string_view(".,;:!?").find(url.back()) != std::string_view::npos) {
      url.pop_back();
    }
    if (url.size() > 8 && std::find(out.begin(), out.end(), url) == out.end()) out.push_back(url);
    i = j;
  }
  return out;
}

// An answer's cited domains (what the provider returned and what the text names) and its
// sources: the provider's (with titles), then URLs and domains found in the text.
std::pair<json::array, json::array> SourcesOfAnswer(const AskedAnswer& a) {
  json::array domains, sources;
  std::set<std::string> seen_domains, seen_urls;
  auto add = [&](const std::string& url, const std::string& title, const char* origin) {
    std::string domain = CitationDomain(url);
    if (domain.empty() || !seen_urls.insert(url).second) return;
    if (seen_domains.insert(domain).second) domains.emplace_back(domain);
    sources.push_back(json::object{{"url", url},
                                   {"title", title.empty() ? json::value(nullptr) : json::value(title)},
                                   {"domain", domain},
                                   {"origin", origin}});
  };
  for (const auto& s : a.sources) add(s.url, s.title, "provider");
  for (const auto& url : UrlsIn(a.answer)) add(url, "", "answer");
  for (const auto& domain : a.score.citations) {
    if (!seen_domains.contains(domain)) add(domain, "", "answer");
  }
  return {std::move(domains), std::move(sources)};
}

std::string SourcesJson(const std::vector<LlmSource>& sources) {
  json::array out;
  for (const auto& s : sources) out.push_back(json::object{{"url", s.url}, {"title", s.title}});
  return ToJson(out);
}

std::vector<LlmSource> ParseSources(const std::string& text) {
  std::vector<LlmSource> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& s : v.as_array()) {
    if (!s.is_object()) continue;
    const auto* url = s.as_object().if_contains("url");
    const auto* title = s.as_object().if_contains("title");
    if (!url || !url->is_string()) continue;
    out.push_back({std::string(url->as_string()),
                   title && title->is_string() ? std::string(title->as_string()) : ""});
  }
  return out;
}

}  // namespace

std::optional<std::vector<JudgedClaim>> ParseJudgement(const std::string& reply) {
  auto object = ExtractJsonObject(reply);
  if (!object) return std::nullopt;
  const auto* claims = object->if_contains("claims");
  if (!claims || !claims->is_array()) return std::nullopt;
  std::vector<JudgedClaim> out;
  for (const auto& c : claims->as_array()) {
    if (!c.is_object()) continue;
    const auto* claim = c.as_object().if_contains("claim");
    const auto* verdict = c.as_object().if_contains("verdict");
    if (!claim || !verdict || !claim->is_string() || !verdict->is_string()) continue;
    std::string v(verdict->as_string());
    if (v != "correct" && v != "contradicted" && v != "unsupported") continue;
    out.push_back({std::string(claim->as_string()), v});
  }
  return out;
}

json::object BuildBrandReport(const Brand& brand, const RegionConfig& config,
                              const std::vector<AskedAnswer>& answers, int samples_per_prompt) {
  int64_t n = 0, with_brand = 0, failed_total = 0;
  struct PlatformCounts {
    int64_t with_brand = 0, n = 0, failed = 0;
  };
  std::map<std::string, PlatformCounts> by_platform;
  std::map<std::string, std::pair<int64_t, int64_t>> by_category;
  std::map<std::string, int64_t> mentions;  // share of voice: brand and each competitor
  std::map<std::string, int64_t> sentiment{{"positive", 0}, {"neutral", 0}, {"negative", 0}};
  int64_t position_sum = 0, positioned = 0;
  int64_t judged = 0, correct = 0, contradicted = 0, unsupported = 0;
  json::array contradicted_claims;
  std::map<std::string, json::object> prompts;  // prompt id -> entry
  // prompt id -> platform -> (samples answered, samples with the brand)
  std::map<std::string, std::map<std::string, std::pair<int64_t, int64_t>>> stability;
  std::vector<std::string> prompt_order;
  for (const auto& a : answers) {
    if (!prompts.contains(a.prompt_id)) {
      prompt_order.push_back(a.prompt_id);
      prompts[a.prompt_id] = json::object{{"prompt_id", a.prompt_id},
                                          {"prompt_text", a.prompt_text},
                                          {"category", a.category},
                                          {"results", json::array{}}};
    }
    auto& platform = by_platform[a.platform];
    auto& stable = stability[a.prompt_id][a.platform];
    json::object usage{{"prompt_tokens", a.prompt_tokens},
                       {"completion_tokens", a.completion_tokens}};
    if (a.failed) {
      ++failed_total;
      ++platform.failed;
      prompts[a.prompt_id]["results"].as_array().push_back(json::object{
          {"platform", a.platform},
          {"sample", a.sample},
          {"status", "failed"},
          {"error", a.error},
          {"model", a.model},
          {"brand_appears", nullptr},
          {"position", nullptr},
          {"competitors_mentioned", json::array{}},
          {"citations", json::array{}},
          {"sources", json::array{}},
          {"sentiment", nullptr},
          {"claims", nullptr},
          {"answer", nullptr},
          {"latency_ms", a.latency_ms},
          {"usage", std::move(usage)}});
      continue;
    }
    ++n;
    bool seen = a.score.brand_appears;
    with_brand += seen;
    platform.with_brand += seen;
    ++platform.n;
    ++stable.first;
    stable.second += seen;
    auto& c = by_category[a.category.empty() ? "uncategorized" : a.category];
    c.first += seen;
    ++c.second;
    if (seen) ++mentions[brand.name];
    for (const auto& comp : a.score.competitors_mentioned) ++mentions[comp];
    if (a.score.position) {
      position_sum += *a.score.position;
      ++positioned;
    }
    if (a.score.sentiment) ++sentiment[*a.score.sentiment];
    json::array claims;
    if (a.judged) {
      ++judged;
      for (const auto& c : a.claims) {
        correct += c.verdict == "correct";
        unsupported += c.verdict == "unsupported";
        if (c.verdict == "contradicted") {
          ++contradicted;
          contradicted_claims.push_back(json::object{
              {"claim", c.claim}, {"platform", a.platform}, {"prompt_id", a.prompt_id}});
        }
        claims.push_back(json::object{{"claim", c.claim}, {"verdict", c.verdict}});
      }
    }
    json::array competitors;
    for (const auto& x : a.score.competitors_mentioned) competitors.emplace_back(x);
    auto [citations, sources] = SourcesOfAnswer(a);
    prompts[a.prompt_id]["results"].as_array().push_back(json::object{
        {"platform", a.platform},
        {"sample", a.sample},
        {"status", "answered"},
        {"error", nullptr},
        {"model", a.model},
        {"brand_appears", seen},
        {"position", a.score.position ? json::value(*a.score.position) : json::value(nullptr)},
        {"competitors_mentioned", std::move(competitors)},
        {"citations", std::move(citations)},
        {"sources", std::move(sources)},
        {"sentiment", a.score.sentiment ? json::value(*a.score.sentiment) : json::value(nullptr)},
        {"claims", a.judged ? json::value(std::move(claims)) : json::value(nullptr)},
        {"answer", a.answer},
        {"latency_ms", a.latency_ms},
        {"usage", std::move(usage)}});
  }
  json::array platforms, categories, share, prompt_rows;
  for (const auto& [name, counts] : by_platform) {
    json::object row = Rate(counts.with_brand, counts.n);
    row["platform"] = name;
    row["failed"] = counts.failed;
    platforms.push_back(std::move(row));
  }
  for (const auto& [name, counts] : by_category) {
    json::object row = Rate(counts.first, counts.second);
    row["category"] = name;
    categories.push_back(std::move(row));
  }
  int64_t total_mentions = 0;
  for (const auto& [name, count] : mentions) total_mentions += count;
  std::vector<std::string> names{brand.name};
  for (const auto& c : brand.competitors) names.push_back(c.name);
  for (const auto& name : names) {
    json::object row = Rate(mentions[name], total_mentions);
    row["name"] = name;
    row["is_brand"] = name == brand.name;
    share.push_back(std::move(row));
  }
  int64_t ranked_prompts = 0;
  for (const auto& id : prompt_order) {
    bool ranked = false;
    for (const auto& r : prompts[id]["results"].as_array()) {
      ranked = ranked || !r.at("position").is_null();
    }
    ranked_prompts += ranked;
    json::array stable;
    for (const auto& [platform, counts] : stability[id]) {
      stable.push_back(json::object{
          {"platform", platform},
          {"samples", counts.first},
          {"appearances", counts.second},
          {"stability", counts.first == 0
                            ? json::value(nullptr)
                            : json::value(Round1(100.0 * static_cast<double>(counts.second) /
                                                 static_cast<double>(counts.first)))}});
    }
    prompts[id]["stability"] = std::move(stable);
    prompt_rows.push_back(std::move(prompts[id]));
  }
  json::object visibility = Rate(with_brand, n);
  visibility["score"] = visibility["rate"];
  return json::object{
      {"brand_id", brand.id},
      {"region_config_id", config.id},
      {"region", json::object{{"name", config.name},
                              {"country", config.country},
                              {"language", config.language},
                              {"location", config.location}}},
      {"methodology_version", kBrandMethodologyVersion},
      {"samples_per_prompt", samples_per_prompt},
      {"visibility", std::move(visibility)},
      {"visibility_score", n == 0 ? json::value(nullptr)
                                  : json::value(Round1(100.0 * static_cast<double>(with_brand) /
                                                       static_cast<double>(n)))},
      {"answers_count", n},
      {"answers_failed", failed_total},
      {"prompts_count", static_cast<int64_t>(prompt_order.size())},
      {"ranked_prompts", ranked_prompts},
      {"average_position", positioned == 0 ? json::value(nullptr)
                                           : json::value(Round1(static_cast<double>(position_sum) /
                                                                static_cast<double>(positioned)))},
      {"sentiment", json::object{{"positive", sentiment["positive"]},
                                 {"neutral", sentiment["neutral"]},
                                 {"negative", sentiment["negative"]}}},
      {"share_of_voice", std::move(share)},
      {"accuracy",
       json::object{{"answers_judged", judged},
                    {"claims", correct + contradicted + unsupported},
                    {"correct", correct},
                    {"contradicted", contradicted},
                    {"unsupported", unsupported},
                    // correct among the claims the facts settle (correct or contradicted)
                    {"accuracy", Rate(correct, correct + contradicted)},
                    {"contradicted_claims", std::move(contradicted_claims)}}},
      {"platforms", std::move(platforms)},
      {"categories", std::move(categories)},
      {"prompts", std::move(prompt_rows)}};
}

void AddToEstimate(RunEstimate& estimate, const std::string& prompt_text, int64_t times,
                   bool judging, size_t facts_chars) {
  int64_t answer = kSystemPromptTokens + static_cast<int64_t>(prompt_text.size() / 4) +
                   kExpectedAnswerTokens;
  estimate.answer_calls += times;
  estimate.tokens += times * answer;
  if (judging) {
    estimate.judge_calls += times;
    estimate.tokens += times * (kJudgePromptTokens + static_cast<int64_t>(facts_chars / 4) +
                                kExpectedAnswerTokens + kExpectedJudgementTokens);
  }
}

json::object UsageOf(const std::vector<AskedAnswer>& answers,
                     const std::map<std::string, LlmPrice>& prices,
                     const std::string& judge_model) {
  struct Tally {
    std::string model;
    int64_t calls = 0, prompt = 0, completion = 0;
  };
  std::map<std::string, Tally> platforms;
  Tally judge{judge_model};
  for (const auto& a : answers) {
    Tally& t = platforms[a.platform];
    if (t.model.empty()) t.model = a.model;
    ++t.calls;  // a failed answer was asked too
    t.prompt += a.prompt_tokens;
    t.completion += a.completion_tokens;
    judge.calls += a.judged || a.judge_prompt_tokens + a.judge_completion_tokens > 0;
    judge.prompt += a.judge_prompt_tokens;
    judge.completion += a.judge_completion_tokens;
  }
  bool priced = true;
  double cost = 0;
  auto row = [&](const Tally& t) {
    json::object o{{"calls", t.calls},
                   {"prompt_tokens", t.prompt},
                   {"completion_tokens", t.completion},
                   {"cost", nullptr}};
    if (auto p = prices.find(t.model); p != prices.end()) {
      double c = (static_cast<double>(t.prompt) * p->second.input +
                  static_cast<double>(t.completion) * p->second.output) /
                 1e6;
      o["cost"] = std::round(c * 1e6) / 1e6;
      cost += c;
    } else if (t.prompt + t.completion > 0) {
      priced = false;
    }
    return o;
  };
  json::array rows;
  Tally total;
  for (const auto& [name, t] : platforms) {
    json::object o = row(t);
    o["platform"] = name;
    o["model"] = t.model;
    rows.push_back(std::move(o));
    total.calls += t.calls;
    total.prompt += t.prompt;
    total.completion += t.completion;
  }
  json::object judge_row = row(judge);
  total.calls += judge.calls;
  total.prompt += judge.prompt;
  total.completion += judge.completion;
  return json::object{
      {"calls", total.calls},
      {"prompt_tokens", total.prompt},
      {"completion_tokens", total.completion},
      {"cost", priced && !prices.empty() ? json::value(std::round(cost * 1e6) / 1e6)
                                         : json::value(nullptr)},
      {"platforms", std::move(rows)},
      {"judge", std::move(judge_row)}};
}

namespace {

// One answer a run needs: a sample of a prompt asked of a platform for a region config.
struct Unit {
  BrandAnswerKey key;
  size_t work = 0;  // index of its region config in the run
  const Prompt* prompt = nullptr;
  LlmEndpoint endpoint;
};

bool Answered(const BrandAnswer& a) { return a.status == "answered"; }

// The stored answer in the form reports are built from (scored again: scoring is pure).
AskedAnswer FromStored(const BrandAnswer& a, const Prompt& prompt, const Entity& brand,
                       const std::vector<Entity>& competitors) {
  AskedAnswer out;
  out.prompt_id = prompt.id;
  out.prompt_text = prompt.prompt_text;
  out.category = prompt.category;
  out.platform = a.key.platform;
  out.model = a.model;
  out.sample = a.key.sample;
  out.latency_ms = a.latency_ms;
  out.prompt_tokens = a.prompt_tokens;
  out.completion_tokens = a.completion_tokens;
  out.judge_prompt_tokens = a.judge_prompt_tokens;
  out.judge_completion_tokens = a.judge_completion_tokens;
  if (!Answered(a)) {
    out.failed = true;
    out.error = a.error;
    return out;
  }
  out.answer = a.answer;
  out.sources = ParseSources(a.sources);
  out.score = ScoreAnswer(a.answer, brand, competitors);
  if (a.judgement) {
    if (auto claims = ParseJudgement(*a.judgement)) {
      out.judged = true;
      out.claims = std::move(*claims);
    }
  }
  return out;
}

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::round(share * 100))) + " %";
}

}  // namespace

Result<JobOutcome> BrandReportJob::Run(JobContext& ctx) {
  const Job& job = ctx.job();
  std::string schedule_id, trigger, batch_id;
  std::vector<std::string> config_ids;
  try {
    json::value payload = json::parse(job.payload);
    const auto& p = payload.as_object();
    schedule_id = p.at("scheduled_report_id").as_string();
    trigger = p.at("trigger").as_string();
    batch_id = p.at("batch_id").as_string();
    for (const auto& id : p.at("region_config_ids").as_array())
      config_ids.emplace_back(id.as_string());
  } catch (const std::exception& e) {
    return Error(ErrorCode::kValidation,
                 std::string("malformed brand_report payload: ") + e.what());
  }
  const std::string& tenant = job.tenant_id;
  const LlmSettings& settings = client_.settings();
  RAPPORT_TRY(ScheduledReport schedule, store_.GetScheduledReport(tenant, schedule_id));
  RAPPORT_TRY(Brand brand, store_.GetBrand(tenant, schedule.brand_id));
  // The judge compares answers with the facts when both the facts and a judge exist.
  std::string facts_text;
  if (auto facts = store_.GetBrandFacts(tenant, brand.id); facts.ok()) facts_text = facts->body;
  std::optional<LlmEndpoint> judge = settings.For(settings.judge_platform);
  bool judging = !facts_text.empty() && judge.has_value();

  struct Work {
    RegionConfig config;
    std::vector<Prompt> prompts;
    int samples = 1;
  };
  std::vector<Work> work;
  std::vector<std::string> unconfigured;
  for (const auto& id : config_ids) {
    auto config = store_.GetRegionConfig(tenant, id);
    if (!config.ok()) continue;  // deleted since: nothing to report for it
    RAPPORT_TRY(Page<Prompt> prompts, store_.ListPrompts(tenant, id, PageRequest{.limit = 100}));
    Work w{*config, {}, std::clamp(config->samples_per_prompt.value_or(schedule.samples_per_prompt), 1, 10)};
    for (auto& p : prompts.items) {
      if (p.is_enabled) w.prompts.push_back(std::move(p));
    }
    std::reverse(w.prompts.begin(), w.prompts.end());  // oldest first, as entered
    for (const auto& platform : w.config.ai_platforms) {
      if (!settings.For(platform) &&
          std::find(unconfigured.begin(), unconfigured.end(), platform) == unconfigured.end()) {
        unconfigured.push_back(platform);
      }
    }
    work.push_back(std::move(w));
  }
  if (!unconfigured.empty()) {
    std::string list;
    for (const auto& p : unconfigured) list += (list.empty() ? "" : ", ") + p;
    return Error(ErrorCode::kValidation,
                 "No answer engine is configured for platform(s) " + list +
                     ": map them in llm.platforms or set RAPPORT_LLM_BASE_URL");
  }
  std::vector<Unit> units;
  RunEstimate estimate;
  for (size_t wi = 0; wi < work.size(); ++wi) {
    const Work& w = work[wi];
    for (const auto& prompt : w.prompts) {
      AddToEstimate(estimate, prompt.prompt_text,
                    w.samples * static_cast<int64_t>(w.config.ai_platforms.size()), judging,
                    facts_text.size());
      for (const auto& platform : w.config.ai_platforms) {
        for (int sample = 1; sample <= w.samples; ++sample) {
          units.push_back(Unit{{job.id, w.config.id, prompt.id, platform, sample},
                               wi,
                               &prompt,
                               *settings.For(platform)});
        }
      }
    }
  }
  auto total = static_cast<int64_t>(units.size());
  if (total * (judging ? 2 : 1) > settings.max_calls_per_run) {
    return Error(ErrorCode::kValidation, "The run needs up to " +
                                             std::to_string(total * (judging ? 2 : 1)) +
                                             " calls, more than the budget of " +
                                             std::to_string(settings.max_calls_per_run) +
                                             " (llm.max_calls_per_run)");
  }
  if (settings.max_tokens_per_run > 0 && estimate.tokens > settings.max_tokens_per_run) {
    return Error(ErrorCode::kValidation,
                 "The run is estimated at " + std::to_string(estimate.tokens) +
                     " tokens, more than llm.max_tokens_per_run (" +
                     std::to_string(settings.max_tokens_per_run) + ")",
                 json::object{{"estimated_tokens", estimate.tokens}});
  }

  // What earlier attempts of this job already paid for.
  RAPPORT_TRY(std::vector<BrandAnswer> stored_rows, store_.ListBrandAnswers(job.id));
  std::map<BrandAnswerKey, BrandAnswer> stored;
  int64_t tokens_used = 0;
  for (auto& a : stored_rows) {
    tokens_used += a.prompt_tokens + a.completion_tokens + a.judge_prompt_tokens +
                   a.judge_completion_tokens;
    stored[a.key] = std::move(a);
  }
  Entity brand_entity = EntityOf(brand);
  std::vector<Entity> competitors;
  for (const auto& c : brand.competitors) competitors.push_back(Entity{c.name, c.aliases});
  auto needs_judgement = [&](const BrandAnswer& a) {
    return judging && Answered(a) && !a.judgement &&
           ScoreAnswer(a.answer, brand_entity, competitors).brand_appears;
  };
  auto judge_question = [&](const std::string& answer) {
    return LlmMessage{JudgeSystemPrompt(),
                      "Brand: " + brand.name + "\nFacts: " + facts_text + "\nAnswer:\n" + answer};
  };
  std::vector<std::string> system_prompts;
  for (const auto& w : work) system_prompts.push_back(SystemPrompt(w.config));

  // Tags: unit index * 2, + 1 for its judgement.
  LlmBatch batch = client_.NewBatch();
  int64_t done = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    auto it = stored.find(u.key);
    if (it == stored.end() || (!Answered(it->second) && it->second.retryable)) {
      batch.Submit(2 * i, u.endpoint, LlmMessage{system_prompts[u.work], u.prompt->prompt_text});
    } else if (needs_judgement(it->second)) {
      batch.Submit(2 * i + 1, *judge, judge_question(it->second.answer));
    } else {
      ++done;
    }
  }
  auto stopped = [] { return Error(ErrorCode::kConflict, "stopped"); };
  if (!ctx.Progress("asking", "Asking the answer engines", done, total)) return stopped();

  std::optional<Error> fatal;  // ends the run: a platform cannot answer, the budget is spent
  bool lease_lost = false;
  auto keep = [&](const Status& written) {
    if (written.ok()) return true;
    if (written.error().code() == ErrorCode::kConflict) {
      lease_lost = true;
    } else {
      fatal = written.error();
    }
    return false;
  };
  auto on_reply = [&](uint64_t tag, LlmReply reply) {
    if (fatal || lease_lost) return;
    const Unit& u = units[tag / 2];
    bool judgement = tag % 2 == 1;
    if (reply.outcome == LlmOutcome::kPlatformDown) {
      std::string who = judgement ? "the judge (" + settings.judge_platform + ", model " +
                                        judge->model + ")"
                                  : u.key.platform + " (model " + u.endpoint.model + ")";
      fatal = Error(ErrorCode::kValidation, who + " cannot answer: " + reply.error);
      return;
    }
    tokens_used += reply.prompt_tokens + reply.completion_tokens;
    if (!judgement) {
      BrandAnswer a;
      a.key = u.key;
      a.tenant_id = tenant;
      bool answered = reply.outcome == LlmOutcome::kAnswered;
      a.status = answered ? "answered" : "failed";
      a.retryable = reply.outcome == LlmOutcome::kUnavailable;
      a.error = answered ? "" : reply.error;
      a.model = u.endpoint.model;
      a.answer = reply.text;
      a.sources = SourcesJson(reply.sources);
      a.latency_ms = reply.latency_ms;
      a.prompt_tokens = reply.prompt_tokens;
      a.completion_tokens = reply.completion_tokens;
      a.created_at = clock_.NowMs();
      if (!keep(store_.PutBrandAnswer(a, ctx.worker_id()))) return;
      bool judge_it = needs_judgement(a);
      stored[u.key] = std::move(a);
      if (judge_it) {
        batch.Submit(tag + 1, *judge, judge_question(stored[u.key].answer));
      } else {
        ++done;
      }
    } else if (reply.outcome == LlmOutcome::kUnavailable) {
      // Not stored: the answer goes unjudged in this attempt's reports, and an attempt after
      // this one (if any) asks the judge again.
      ++done;
    } else {
      json::object verdict;
      std::optional<std::vector<JudgedClaim>> claims;
      if (reply.outcome == LlmOutcome::kAnswered) claims = ParseJudgement(reply.text);
      if (claims) {
        verdict["claims"] = json::array{};
        for (const auto& c : *claims) {
          verdict["claims"].as_array().push_back(
              json::object{{"claim", c.claim}, {"verdict", c.verdict}});
        }
      } else {
        verdict["error"] = reply.outcome == LlmOutcome::kAnswered
                               ? "the judge's reply was not the claims JSON"
                               : reply.error;
      }
      std::string text = ToJson(verdict);
      if (!keep(store_.PutBrandJudgement(u.key, text, reply.prompt_tokens,
                                         reply.completion_tokens, ctx.worker_id()))) {
        return;
      }
      BrandAnswer& a = stored[u.key];
      a.judgement = std::move(text);
      a.judge_prompt_tokens = reply.prompt_tokens;
      a.judge_completion_tokens = reply.completion_tokens;
      ++done;
    }
    if (settings.max_tokens_per_run > 0 && tokens_used > settings.max_tokens_per_run) {
      fatal = Error(ErrorCode::kValidation,
                    "The run stopped after using " + std::to_string(tokens_used) +
                        " tokens, more than llm.max_tokens_per_run (" +
                        std::to_string(settings.max_tokens_per_run) + ")");
      return;
    }
    (void)ctx.Progress("asking", work[u.work].config.name + ": " + u.key.platform, done, total);
  };
  // Between answers the lease is renewed (and a cancellation seen) at least twice a second.
  auto last_beat = std::chrono::steady_clock::now();
  auto tick = [&] {
    auto now = std::chrono::steady_clock::now();
    if (now - last_beat >= std::chrono::milliseconds(500)) {
      ctx.Heartbeat();
      last_beat = now;
    }
  };
  bool finished = batch.Run(
      on_reply, [&] { return fatal.has_value() || lease_lost || ctx.ShouldStop(); }, tick);
  if (fatal) return *fatal;
  if (lease_lost || !finished) return stopped();

  // A platform whose answers failed beyond the share sinks the run; a transient cause (the
  // provider unavailable) leaves it to a later attempt, which asks those answers again.
  struct Failures {
    int64_t asked = 0, failed = 0;
    bool transient = false;
    std::string last_reason;
  };
  std::map<std::string, Failures> failures;
  for (const auto& u : units) {
    Failures& f = failures[u.key.platform];
    ++f.asked;
    const BrandAnswer& a = stored.at(u.key);
    if (Answered(a)) continue;
    ++f.failed;
    f.transient = f.transient || a.retryable;
    f.last_reason = a.error;
  }
  for (const auto& [platform, f] : failures) {
    if (static_cast<double>(f.failed) <= settings.max_failed_share * static_cast<double>(f.asked)) {
      continue;
    }
    std::string message =
        platform + ": " + std::to_string(f.failed) + " of " + std::to_string(f.asked) +
        " answers failed (" +
        Percent(static_cast<double>(f.failed) / static_cast<double>(f.asked)) +
        ", more than llm.max_failed_share " + Percent(settings.max_failed_share) +
        "); last reason: " + f.last_reason;
    if (f.transient) {
      return Error(ErrorCode::kServiceUnavailable, message, json::object{{"retry_after", 60}});
    }
    return Error(ErrorCode::kValidation, message);
  }

  JobOutcome outcome;
  UnixMs now = clock_.NowMs();
  std::string today = FormatRfc3339(now).substr(0, 10);
  std::string judge_model = judge ? judge->model : "";
  std::vector<AskedAnswer> all;
  int64_t failed_total = 0;
  json::array report_ids;
  for (size_t wi = 0; wi < work.size(); ++wi) {
    const Work& w = work[wi];
    std::vector<AskedAnswer> answers;
    for (const auto& u : units) {
      if (u.work != wi) continue;
      answers.push_back(FromStored(stored.at(u.key), *u.prompt, brand_entity, competitors));
      failed_total += answers.back().failed;
    }
    json::object body = BuildBrandReport(brand, w.config, answers, w.samples);
    body["usage"] = UsageOf(answers, settings.prices, judge_model);
    all.insert(all.end(), answers.begin(), answers.end());
    body["brand_name"] = brand.name;
    body["scheduled_report_id"] = schedule.id;
    body["batch_id"] = batch_id;
    body["trigger"] = trigger;
    body["status"] = "completed";
    body["error"] = nullptr;
    Report report;
    report.id = NewIdAt("rpt", now);
    RAPPORT_TRY(json::array trend, VisibilityTrend(store_, tenant, schedule.id, w.config.id,
                                                   report.id, now, body.at("visibility")));
    body["trend"] = std::move(trend);
    report.kind = "brand";
    report.schedule_id = schedule.id;
    report.part = w.config.id;
    report.trigger = trigger;
    report.from_date = report.to_date = today;
    report.body = ToJson(body);  // rewritten below, once the batch's regions are known
    report.citations = CitationUsesOf(body);
    report.created_at = now;
    report.brand_id = brand.id;
    report.region_config_id = w.config.id;
    report.batch_id = batch_id;
    report_ids.emplace_back(report.id);
    outcome.reports.push_back(std::move(report));
  }
  RAPPORT_CHECK(AddRegionsAndPdfs(outcome, now));
  for (const auto& report : outcome.reports) {
    json::object data{{"report_id", report.id},
                      {"brand_id", brand.id},
                      {"scheduled_report_id", schedule.id},
                      {"region_config_id", report.part},
                      {"batch_id", batch_id},
                      {"job_id", job.id},
                      {"status", "completed"},
                      {"visibility_score", json::parse(report.body).at("visibility_score")},
                      {"report_url", "/v1/reports/" + report.id},
                      {"pdf_url", "/v1/reports/" + report.id + "/pdf"}};
    outcome.events.push_back(
        Event{NewIdAt("evt", now), tenant, "report.completed", ToJson(data), now});
  }
  outcome.result = json::object{{"batch_id", batch_id},
                                {"report_ids", report_ids},
                                {"completed_regions_count", static_cast<int64_t>(work.size())},
                                {"total_regions_count", static_cast<int64_t>(config_ids.size())},
                                {"answers_failed", failed_total},
                                {"usage", UsageOf(all, settings.prices, judge_model)}};
  json::object run = outcome.result;
  run["scheduled_report_id"] = schedule.id;
  run["brand_id"] = brand.id;
  run["job_id"] = job.id;
  run["trigger"] = trigger;
  run["status"] = "completed";
  outcome.events.push_back(
      Event{NewIdAt("evt", now), tenant, "schedule.run.completed", ToJson(run), now});
  return outcome;
}

std::vector<Event> BrandReportJob::FailureEvents(const Job& job, const Error& error, UnixMs now) {
  json::object reason{{"code", error.spec().code}, {"message", error.message()}};
  json::object run{{"job_id", job.id},
                   {"status", "failed"},
                   {"completed_regions_count", 0},
                   {"failure_reason", reason}};
  json::array configs;
  boost::system::error_code ec;
  json::value payload = json::parse(job.payload, ec);
  if (!ec && payload.is_object()) {
    const json::object& p = payload.as_object();
    for (const char* key : {"scheduled_report_id", "batch_id", "trigger"}) {
      if (const auto* v = p.if_contains(key)) run[key] = *v;
    }
    if (const auto* ids = p.if_contains("region_config_ids"); ids && ids->is_array()) {
      configs = ids->as_array();
    }
    if (const auto* id = p.if_contains("scheduled_report_id"); id && id->is_string()) {
      auto schedule = store_.GetScheduledReport(job.tenant_id, std::string(id->as_string()));
      if (schedule.ok()) run["brand_id"] = schedule->brand_id;
    }
  }
  run["total_regions_count"] = static_cast<int64_t>(configs.size());
  std::vector<Event> events;
  for (const auto& config : configs) {
    json::object data = run;
    data.erase("completed_regions_count");
    data.erase("total_regions_count");
    data["region_config_id"] = config;
    events.push_back(Event{NewIdAt("evt", now), job.tenant_id, "report.failed", ToJson(data), now});
  }
  events.push_back(
      Event{NewIdAt("evt", now), job.tenant_id, "schedule.run.failed", ToJson(run), now});
  return events;
}

}  // namespace rapport

namespace rapport {

boost::json::object BuildScheduleAnalytics(const std::string& scheduled_report_id,
                                           const std::vector<Report>& reports) {
  namespace json = boost::json;
  struct Counts {
    int64_t with_brand = 0;
    int64_t n = 0;
  };
  struct Run {
    std::string batch_id;
    UnixMs created_at = 0;
    Counts all;
    std::map<std::string, Counts> platforms, prompts;
  };
  std::vector<Run> runs;  // oldest first
  std::map<std::string, size_t> index;
  std::map<std::string, std::string> prompt_texts;
  std::set<std::string> platform_names;
  for (auto it = reports.rbegin(); it != reports.rend(); ++it) {
    const Report& r = *it;
    std::string batch = r.batch_id.value_or(r.job_id);
    if (!index.contains(batch)) {
      index[batch] = runs.size();
      runs.push_back(Run{batch, r.created_at, {}, {}, {}});
    }
    Run& run = runs[index[batch]];
    json::value body = json::parse(r.body);
    const auto* prompts = body.as_object().if_contains("prompts");
    if (!prompts || !prompts->is_array()) continue;
    for (const auto& p : prompts->as_array()) {
      std::string id(p.at("prompt_id").as_string());
      prompt_texts[id] = p.at("prompt_text").as_string();
      for (const auto& result : p.at("results").as_array()) {
        const auto& appears = result.at("brand_appears");
        if (!appears.is_bool()) continue;  // a failed answer: in no rate
        std::string platform(result.at("platform").as_string());
        platform_names.insert(platform);
        bool seen = appears.as_bool();
        for (Counts* c : {&run.all, &run.platforms[platform], &run.prompts[id]}) {
          c->with_brand += seen;
          ++c->n;
        }
      }
    }
  }
  auto point = [](const Run& run, const Counts& c) {
    Interval95 ci = WilsonInterval(c.with_brand, c.n);
    return json::object{
        {"batch_id", run.batch_id},
        {"created_at", FormatRfc3339(run.created_at)},
        {"rate", c.n == 0 ? json::value(nullptr)
                          : json::value(std::round(1000.0 * static_cast<double>(c.with_brand) /
                                                   static_cast<double>(c.n)) /
                                        10.0)},
        {"n", c.n},
        {"ci95_low", std::round(ci.low * 10) / 10},
        {"ci95_high", std::round(ci.high * 10) / 10}};
  };
  json::array trend, platforms, prompts;
  for (const auto& run : runs) trend.push_back(point(run, run.all));
  for (const auto& name : platform_names) {
    json::array series;
    for (const auto& run : runs) {
      if (auto c = run.platforms.find(name); c != run.platforms.end()) {
        series.push_back(point(run, c->second));
      }
    }
    platforms.push_back(json::object{{"platform", name}, {"series", std::move(series)}});
  }
  for (const auto& [id, text] : prompt_texts) {
    json::array series;
    for (const auto& run : runs) {
      if (auto c = run.prompts.find(id); c != run.prompts.end()) {
        series.push_back(point(run, c->second));
      }
    }
    prompts.push_back(
        json::object{{"prompt_id", id}, {"prompt_text", text}, {"series", std::move(series)}});
  }
  return json::object{{"object", "scheduled_report.analytics"},
                      {"scheduled_report_id", scheduled_report_id},
                      {"runs_count", static_cast<int64_t>(runs.size())},
                      {"visibility", std::move(trend)},
                      {"platforms", std::move(platforms)},
                      {"prompts", std::move(prompts)}};
}

}  // namespace rapport
