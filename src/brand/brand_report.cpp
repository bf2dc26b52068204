#include <rapport/brand/brand_report.hpp>

#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/render/pdf.hpp>

#include "locale_names.hpp"

#include <boost/json.hpp>

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
                              const std::vector<AskedAnswer>& answers) {
  int64_t n = static_cast<int64_t>(answers.size()), with_brand = 0;
  std::map<std::string, std::pair<int64_t, int64_t>> by_platform, by_category;
  std::map<std::string, int64_t> mentions;  // share of voice: brand and each competitor
  std::map<std::string, int64_t> sentiment{{"positive", 0}, {"neutral", 0}, {"negative", 0}};
  int64_t position_sum = 0, positioned = 0;
  int64_t judged = 0, correct = 0, contradicted = 0, unsupported = 0;
  json::array contradicted_claims;
  std::map<std::string, json::object> prompts;  // prompt id -> entry
  std::vector<std::string> prompt_order;
  for (const auto& a : answers) {
    bool seen = a.score.brand_appears;
    with_brand += seen;
    auto& p = by_platform[a.platform];
    p.first += seen;
    ++p.second;
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
    if (!prompts.contains(a.prompt_id)) {
      prompt_order.push_back(a.prompt_id);
      prompts[a.prompt_id] = json::object{{"prompt_id", a.prompt_id},
                                          {"prompt_text", a.prompt_text},
                                          {"category", a.category},
                                          {"results", json::array{}}};
    }
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
    json::array competitors, citations;
    for (const auto& x : a.score.competitors_mentioned) competitors.emplace_back(x);
    for (const auto& x : a.score.citations) citations.emplace_back(x);
    prompts[a.prompt_id]["results"].as_array().push_back(json::object{
        {"platform", a.platform},
        {"model", a.model},
        {"brand_appears", seen},
        {"position", a.score.position ? json::value(*a.score.position) : json::value(nullptr)},
        {"competitors_mentioned", std::move(competitors)},
        {"citations", std::move(citations)},
        {"sentiment", a.score.sentiment ? json::value(*a.score.sentiment) : json::value(nullptr)},
        {"claims", a.judged ? json::value(std::move(claims)) : json::value(nullptr)},
        {"answer", a.answer}});
  }
  json::array platforms, categories, share, prompt_rows;
  for (const auto& [name, counts] : by_platform) {
    json::object row = Rate(counts.first, counts.second);
    row["platform"] = name;
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
      {"visibility", std::move(visibility)},
      {"visibility_score", n == 0 ? json::value(nullptr)
                                  : json::value(Round1(100.0 * static_cast<double>(with_brand) /
                                                       static_cast<double>(n)))},
      {"answers_count", n},
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
  RAPPORT_TRY(ScheduledReport schedule, store_.GetScheduledReport(tenant, schedule_id));
  RAPPORT_TRY(Brand brand, store_.GetBrand(tenant, schedule.brand_id));
  // The judge compares answers with the facts when both the facts and a judge exist.
  std::string facts_text;
  if (auto facts = store_.GetBrandFacts(tenant, brand.id); facts.ok()) facts_text = facts->body;
  std::optional<LlmEndpoint> judge = client_.settings().For(client_.settings().judge_platform);
  bool judging = !facts_text.empty() && judge.has_value();

  struct Work {
    RegionConfig config;
    std::vector<Prompt> prompts;
  };
  std::vector<Work> work;
  int64_t total = 0;
  std::vector<std::string> unconfigured;
  for (const auto& id : config_ids) {
    auto config = store_.GetRegionConfig(tenant, id);
    if (!config.ok()) continue;  // deleted since: nothing to report for it
    RAPPORT_TRY(Page<Prompt> prompts, store_.ListPrompts(tenant, id, PageRequest{.limit = 100}));
    Work w{*config, {}};
    for (auto& p : prompts.items) {
      if (p.is_enabled) w.prompts.push_back(std::move(p));
    }
    std::reverse(w.prompts.begin(), w.prompts.end());  // oldest first, as entered
    for (const auto& platform : w.config.ai_platforms) {
      if (!client_.settings().For(platform) &&
          std::find(unconfigured.begin(), unconfigured.end(), platform) == unconfigured.end()) {
        unconfigured.push_back(platform);
      }
    }
    total += static_cast<int64_t>(w.prompts.size() * w.config.ai_platforms.size());
    work.push_back(std::move(w));
  }
  if (!unconfigured.empty()) {
    std::string list;
    for (const auto& p : unconfigured) list += (list.empty() ? "" : ", ") + p;
    return Error(ErrorCode::kValidation,
                 "No answer engine is configured for platform(s) " + list +
                     ": map them in llm.platforms or set RAPPORT_LLM_BASE_URL");
  }
  if (total * (judging ? 2 : 1) > client_.settings().max_calls_per_run) {
    return Error(ErrorCode::kValidation, "The run needs up to " +
                                             std::to_string(total * (judging ? 2 : 1)) +
                                             " calls, more than the budget of " +
                                             std::to_string(client_.settings().max_calls_per_run) +
                                             " (llm.max_calls_per_run)");
  }
  auto stopped = [] { return Error(ErrorCode::kConflict, "stopped"); };
  if (!ctx.Progress("asking", "Asking the answer engines", 0, total)) return stopped();

  JobOutcome outcome;
  UnixMs now = clock_.NowMs();
  std::string today = FormatRfc3339(now).substr(0, 10);
  Entity brand_entity = EntityOf(brand);
  std::vector<Entity> competitors;
  for (const auto& c : brand.competitors) competitors.push_back(Entity{c.name, c.aliases});
  int64_t done = 0;
  json::array report_ids;
  for (const auto& w : work) {
    std::vector<AskedAnswer> answers;
    LlmMessage message{SystemPrompt(w.config), ""};
    for (const auto& prompt : w.prompts) {
      message.user = prompt.prompt_text;
      for (const auto& platform : w.config.ai_platforms) {
        LlmEndpoint endpoint = *client_.settings().For(platform);
        RAPPORT_TRY(std::string text,
                    client_.Ask(endpoint, message, [&ctx] { return ctx.ShouldStop(); }));
        AskedAnswer asked{prompt.id,
                          prompt.prompt_text,
                          prompt.category,
                          platform,
                          endpoint.model,
                          text,
                          ScoreAnswer(text, brand_entity, competitors)};
        if (judging && asked.score.brand_appears) {
          LlmMessage question{JudgeSystemPrompt(), "Brand: " + brand.name + "\nFacts: " +
                                                       facts_text + "\nAnswer:\n" + text};
          RAPPORT_TRY(std::string verdicts,
                      client_.Ask(*judge, question, [&ctx] { return ctx.ShouldStop(); }));
          if (auto claims = ParseJudgement(verdicts)) {
            asked.judged = true;
            asked.claims = std::move(*claims);
          }
        }
        answers.push_back(std::move(asked));
        if (!ctx.Progress("asking", w.config.name + ": " + platform, ++done, total)) {
          return stopped();
        }
      }
    }
    json::object body = BuildBrandReport(brand, w.config, answers);
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
                                {"total_regions_count", static_cast<int64_t>(config_ids.size())}};
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
        std::string platform(result.at("platform").as_string());
        platform_names.insert(platform);
        bool seen = result.at("brand_appears").as_bool();
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
