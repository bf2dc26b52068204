// A brand report's JSON from its answers (pure: tested without a provider), its usage, and the
// estimate of a run's tokens.
#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/citation_service.hpp>
#include <rapport/core/json.hpp>

#include "brand_report_internal.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace rapport {

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

namespace {

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
    sources.push_back(
        json::object{{"url", url},
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

struct Counts {
  int64_t with_brand = 0;
  int64_t n = 0;
};

// Everything a region's report counts, added answer by answer; failed answers are listed and
// counted apart, in no rate.
class ReportTally {
 public:
  explicit ReportTally(const Brand& brand) : brand_(brand) {}

  void Add(const AskedAnswer& a) {
    if (!prompts_.contains(a.prompt_id)) {
      order_.push_back(a.prompt_id);
      prompts_[a.prompt_id] = json::object{{"prompt_id", a.prompt_id},
                                           {"prompt_text", a.prompt_text},
                                           {"category", a.category},
                                           {"results", json::array{}}};
    }
    json::array& results = prompts_[a.prompt_id]["results"].as_array();
    if (a.failed) {
      ++failed_;
      ++failed_by_platform_[a.platform];
      (void)platforms_[a.platform];  // a platform or prompt that only failed still has its row
      (void)stability_[a.prompt_id][a.platform];
      results.push_back(FailedResult(a));
      return;
    }
    bool seen = a.score.brand_appears;
    for (Counts* c : {&all_, &platforms_[a.platform], &stability_[a.prompt_id][a.platform],
                      &categories_[a.category.empty() ? "uncategorized" : a.category]}) {
      c->with_brand += seen;
      ++c->n;
    }
    if (seen) ++mentions_[brand_.name];
    for (const auto& comp : a.score.competitors_mentioned) ++mentions_[comp];
    if (a.score.position) {
      position_sum_ += *a.score.position;
      ++positioned_;
    }
    if (a.score.sentiment) ++sentiment_[*a.score.sentiment];
    results.push_back(AnsweredResult(a, JudgedClaims(a)));
  }

  json::object Finish(const RegionConfig& config, int samples_per_prompt);

 private:
  static json::object Usage(const AskedAnswer& a) {
    return json::object{{"prompt_tokens", a.prompt_tokens},
                        {"completion_tokens", a.completion_tokens}};
  }

  static json::object FailedResult(const AskedAnswer& a) {
    return json::object{{"platform", a.platform},     {"sample", a.sample},
                        {"status", "failed"},         {"error", a.error},
                        {"model", a.model},           {"brand_appears", nullptr},
                        {"position", nullptr},        {"competitors_mentioned", json::array{}},
                        {"citations", json::array{}}, {"sources", json::array{}},
                        {"sentiment", nullptr},       {"claims", nullptr},
                        {"answer", nullptr},          {"latency_ms", a.latency_ms},
                        {"usage", Usage(a)}};
  }

  static json::object AnsweredResult(const AskedAnswer& a, json::value claims) {
    json::array competitors;
    for (const auto& x : a.score.competitors_mentioned) competitors.emplace_back(x);
    auto [citations, sources] = SourcesOfAnswer(a);
    const auto& s = a.score;
    return json::object{
        {"platform", a.platform},
        {"sample", a.sample},
        {"status", "answered"},
        {"error", nullptr},
        {"model", a.model},
        {"brand_appears", s.brand_appears},
        {"position", s.position ? json::value(*s.position) : json::value(nullptr)},
        {"competitors_mentioned", std::move(competitors)},
        {"citations", std::move(citations)},
        {"sources", std::move(sources)},
        {"sentiment", s.sentiment ? json::value(*s.sentiment) : json::value(nullptr)},
        {"claims", std::move(claims)},
        {"answer", a.answer},
        {"latency_ms", a.latency_ms},
        {"usage", Usage(a)}};
  }

  // The answer's judged claims (null when not judged), counted for accuracy.
  json::value JudgedClaims(const AskedAnswer& a) {
    if (!a.judged) return nullptr;
    ++judged_;
    json::array claims;
    for (const auto& c : a.claims) {
      correct_ += c.verdict == "correct";
      unsupported_ += c.verdict == "unsupported";
      if (c.verdict == "contradicted") {
        ++contradicted_;
        contradicted_claims_.push_back(
            json::object{{"claim", c.claim}, {"platform", a.platform}, {"prompt_id", a.prompt_id}});
      }
      claims.push_back(json::object{{"claim", c.claim}, {"verdict", c.verdict}});
    }
    return claims;
  }

  template <typename Map>
  static json::array Rows(const Map& counts, const char* key) {
    json::array rows;
    for (const auto& [name, c] : counts) {
      json::object row = Rate(c.with_brand, c.n);
      row[key] = name;
      rows.push_back(std::move(row));
    }
    return rows;
  }

  json::array PlatformRows() const {
    json::array rows = Rows(platforms_, "platform");
    for (auto& row : rows) {
      auto failed = failed_by_platform_.find(std::string(row.at("platform").as_string()));
      row.as_object()["failed"] = failed == failed_by_platform_.end() ? 0 : failed->second;
    }
    return rows;
  }

  json::array ShareOfVoice() {
    int64_t total = 0;
    for (const auto& [name, count] : mentions_) total += count;
    std::vector<std::string> names{brand_.name};
    for (const auto& c : brand_.competitors) names.push_back(c.name);
    json::array share;
    for (const auto& name : names) {
      json::object row = Rate(mentions_[name], total);
      row["name"] = name;
      row["is_brand"] = name == brand_.name;
      share.push_back(std::move(row));
    }
    return share;
  }

  // The prompts in the order first answered, each with its stability per platform.
  json::array PromptRows(int64_t& ranked_prompts) {
    json::array rows;
    for (const auto& id : order_) {
      bool ranked = false;
      for (const auto& r : prompts_[id]["results"].as_array()) {
        ranked = ranked || !r.at("position").is_null();
      }
      ranked_prompts += ranked;
      json::array stable;
      for (const auto& [platform, c] : stability_[id]) {
        stable.push_back(json::object{
            {"platform", platform},
            {"samples", c.n},
            {"appearances", c.with_brand},
            {"stability", c.n == 0 ? json::value(nullptr)
                                   : json::value(Round1(100.0 * static_cast<double>(c.with_brand) /
                                                        static_cast<double>(c.n)))}});
      }
      prompts_[id]["stability"] = std::move(stable);
      rows.push_back(std::move(prompts_[id]));
    }
    return rows;
  }

  json::object Accuracy() {
    return json::object{{"answers_judged", judged_},
                        {"claims", correct_ + contradicted_ + unsupported_},
                        {"correct", correct_},
                        {"contradicted", contradicted_},
                        {"unsupported", unsupported_},
                        // correct among the claims the facts settle (correct or contradicted)
                        {"accuracy", Rate(correct_, correct_ + contradicted_)},
                        {"contradicted_claims", std::move(contradicted_claims_)}};
  }

  const Brand& brand_;
  Counts all_;
  int64_t failed_ = 0;
  std::map<std::string, Counts> platforms_, categories_;
  std::map<std::string, int64_t> failed_by_platform_;
  std::map<std::string, std::map<std::string, Counts>> stability_;  // prompt -> platform
  std::map<std::string, int64_t> mentions_;  // share of voice: brand and each competitor
  std::map<std::string, int64_t> sentiment_{{"positive", 0}, {"neutral", 0}, {"negative", 0}};
  int64_t position_sum_ = 0, positioned_ = 0;
  int64_t judged_ = 0, correct_ = 0, contradicted_ = 0, unsupported_ = 0;
  json::array contradicted_claims_;
  std::map<std::string, json::object> prompts_;  // prompt id -> entry
  std::vector<std::string> order_;
};

json::object ReportTally::Finish(const RegionConfig& config, int samples_per_prompt) {
  int64_t ranked_prompts = 0;
  json::array prompt_rows = PromptRows(ranked_prompts);
  json::object visibility = Rate(all_.with_brand, all_.n);
  visibility["score"] = visibility["rate"];
  return json::object{{"brand_id", brand_.id},
                      {"region_config_id", config.id},
                      {"region", json::object{{"name", config.name},
                                              {"country", config.country},
                                              {"language", config.language},
                                              {"location", config.location}}},
                      {"methodology_version", kBrandMethodologyVersion},
                      {"samples_per_prompt", samples_per_prompt},
                      {"visibility", visibility},
                      {"visibility_score", visibility["rate"]},
                      {"answers_count", all_.n},
                      {"answers_failed", failed_},
                      {"prompts_count", static_cast<int64_t>(order_.size())},
                      {"ranked_prompts", ranked_prompts},
                      {"average_position",
                       positioned_ == 0 ? json::value(nullptr)
                                        : json::value(Round1(static_cast<double>(position_sum_) /
                                                             static_cast<double>(positioned_)))},
                      {"sentiment", json::object{{"positive", sentiment_["positive"]},
                                                 {"neutral", sentiment_["neutral"]},
                                                 {"negative", sentiment_["negative"]}}},
                      {"share_of_voice", ShareOfVoice()},
                      {"accuracy", Accuracy()},
                      {"platforms", PlatformRows()},
                      {"categories", Rows(categories_, "category")},
                      {"prompts", std::move(prompt_rows)}};
}

}  // namespace

json::object BuildBrandReport(const Brand& brand, const RegionConfig& config,
                              const std::vector<AskedAnswer>& answers, int samples_per_prompt) {
  ReportTally tally(brand);
  for (const auto& a : answers) tally.Add(a);
  return tally.Finish(config, samples_per_prompt);
}

void AddToEstimate(RunEstimate& estimate, const std::string& prompt_text, int64_t times,
                   bool judging, size_t facts_chars) {
  int64_t answer =
      kSystemPromptTokens + static_cast<int64_t>(prompt_text.size() / 4) + kExpectedAnswerTokens;
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
  return json::object{{"calls", total.calls},
                      {"prompt_tokens", total.prompt},
                      {"completion_tokens", total.completion},
                      {"cost", priced && !prices.empty() ? json::value(std::round(cost * 1e6) / 1e6)
                                                         : json::value(nullptr)},
                      {"platforms", std::move(rows)},
                      {"judge", std::move(judge_row)}};
}

}  // namespace rapport
