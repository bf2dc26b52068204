#include <rapport/brand/brand_report.hpp>
#include <rapport/render/format.hpp>
#include <rapport/render/pdf.hpp>

#include "pdf_test_util.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <array>
#include <cmath>
#include <map>

namespace rapport {
namespace {

namespace json = boost::json;
using render::testing::PdfFile;
using render::testing::Squeeze;

struct Fixture {
  Brand brand;
  RegionConfig config;
  std::vector<AskedAnswer> answers;
};

// Three prompts on two platforms; the brand appears in four of six answers.
Fixture Answers(const std::string& brand_name) {
  Fixture f;
  f.brand.id = "brand_01";
  f.brand.name = brand_name;
  f.brand.competitors = {{"Globex", {}}, {"Initech", {}}};
  f.config.id = "rcfg_01";
  f.config.name = "United States";
  f.config.country = "US";
  f.config.language = "en";
  f.config.location = "New York";
  std::vector<Entity> competitors{{"Globex", {}}, {"Initech", {}}};
  const std::vector<std::tuple<std::string, std::string, std::string>> asked{
      {"p1", "chatgpt",
       "The best analytics tools are " + brand_name +
           ", then Globex. See https://reviews.example.com/top for details."},
      {"p1", "perplexity", "Globex leads; " + brand_name + " is a strong second. Source: g2.com"},
      {"p2", "chatgpt", "Initech is the usual pick."},
      {"p2", "perplexity", brand_name + " is excellent and loved by its users."},
      {"p3", "chatgpt", "I would look at Globex and Initech."},
      {"p3", "perplexity", "Consider " + brand_name + "."}};
  const std::map<std::string, std::string> texts{
      {"p1", "What are the best analytics tools?"},
      {"p2", "Which analytics vendor do startups choose?"},
      {"p3", "Recommend an analytics platform for retail"}};
  for (const auto& [prompt, platform, text] : asked) {
    AskedAnswer a{prompt,
                  texts.at(prompt),
                  "discovery",
                  platform,
                  platform + "-model",
                  text,
                  ScoreAnswer(text, {brand_name, {}}, competitors)};
    if (a.score.brand_appears) {
      a.judged = true;
      a.claims = {{"It is an analytics tool", "correct"},
                  {"It was founded in 1999", "contradicted"}};
    }
    f.answers.push_back(std::move(a));
  }
  return f;
}

json::object Report(const std::string& brand_name) {
  Fixture f = Answers(brand_name);
  json::object body = BuildBrandReport(f.brand, f.config, f.answers);
  json::object full{{"id", "rpt_01JBRANDREPORT00000000000000"},
                    {"created_at", "2026-11-30T09:15:00.000Z"}};
  for (auto& [k, v] : body) full[k] = v;
  full["brand_name"] = brand_name;
  full["batch_id"] = "bat_01";
  full["trigger"] = "on_demand";
  json::object previous{{"report_id", "rpt_prev"},
                        {"created_at", "2026-11-23T09:15:00.000Z"},
                        {"rate", 50.0},
                        {"n", 6},
                        {"ci95_low", 18.8},
                        {"ci95_high", 81.2}};
  json::object current = body.at("visibility").as_object();
  current["created_at"] = "2026-11-30T09:15:00.000Z";
  full["trend"] = json::array{previous, current};
  json::object eu{{"name", "Germany"},
                  {"country", "DE"},
                  {"language", "de"},
                  {"visibility",
                   json::object{{"rate", 33.3}, {"n", 6}, {"ci95_low", 9.7}, {"ci95_high", 70.0}}}};
  json::object us = body.at("region").as_object();
  us["visibility"] = body.at("visibility");
  full["regions"] = json::array{us, eu};
  return full;
}

// A 95 % Wilson interval in percent, as the producer computes it.
std::pair<double, double> Wilson(int64_t successes, int64_t n) {
  if (n == 0) return {0, 0};
  double z = 1.96, p = static_cast<double>(successes) / static_cast<double>(n);
  double d = 1 + z * z / static_cast<double>(n);
  double centre = (p + z * z / (2.0 * static_cast<double>(n))) / d;
  double half =
      z *
      std::sqrt(p * (1 - p) / static_cast<double>(n) + z * z / (4.0 * static_cast<double>(n * n))) /
      d;
  auto round1 = [](double x) { return std::round(x * 1000) / 10; };
  return {round1(centre - half), round1(centre + half)};
}

json::object RateOf(int64_t successes, int64_t n) {
  auto [low, high] = Wilson(successes, n);
  return {{"rate", n == 0 ? json::value(nullptr)
                          : json::value(std::round(1000.0 * static_cast<double>(successes) /
                                                   static_cast<double>(n)) /
                                        10)},
          {"successes", successes},
          {"n", n},
          {"ci95_low", low},
          {"ci95_high", high}};
}

// One prompt asked on one platform: a letter per sample, 'Y' an answer that mentions the brand,
// 'N' one that does not, 'F' a failed answer.
struct Asked {
  std::string prompt, platform, samples;
};

json::object SampledResult(const Asked& a, size_t sample, const std::string& brand) {
  char what = a.samples[sample];
  bool provider = a.platform == "perplexity";
  json::object result{{"platform", a.platform},
                      {"sample", static_cast<int64_t>(sample + 1)},
                      {"model", provider ? "sonar" : "gpt-4o"},
                      {"competitors_mentioned", json::array{"Globex"}},
                      {"claims", nullptr},
                      {"latency_ms", 2100},
                      {"usage", json::object{{"prompt_tokens", 200}, {"completion_tokens", 500}}}};
  if (what == 'F') {
    result["status"] = "failed";
    result["error"] = "the provider answered 400: content filtered";
    for (const char* key : {"brand_appears", "position", "sentiment", "answer"}) {
      result[key] = nullptr;
    }
    result["citations"] = json::array{};
    result["sources"] = json::array{};
    result["usage"] = json::object{{"prompt_tokens", 0}, {"completion_tokens", 0}};
    return result;
  }
  result["status"] = "answered";
  result["error"] = nullptr;
  result["brand_appears"] = what == 'Y';
  result["position"] = what == 'Y' ? json::value(provider ? 2 : 1) : json::value(nullptr);
  result["sentiment"] = what == 'Y' ? json::value("positive") : json::value(nullptr);
  result["answer"] = what == 'Y' ? brand + " leads for " + a.platform + " sample " +
                                       std::to_string(sample + 1) + ", ahead of Globex."
                                 : "Globex is the usual pick.";
  json::array sources;
  if (what == 'Y' && provider) {
    sources.push_back(json::object{{"url", "https://www.g2.com/categories/analytics"},
                                   {"title", "Best Analytics Software 2026"},
                                   {"domain", "g2.com"},
                                   {"origin", "provider"}});
  }
  if (what == 'Y') {
    sources.push_back(json::object{{"url", "https://acme.example.com/pricing"},
                                   {"title", nullptr},
                                   {"domain", "acme.example.com"},
                                   {"origin", "answer"}});
  }
  json::array citations;
  for (const auto& x : sources) citations.push_back(x.at("domain"));
  result["citations"] = std::move(citations);
  result["sources"] = std::move(sources);
  return result;
}

json::object PlatformUsage(const std::string& platform, const std::string& model, int64_t calls,
                           int64_t prompt_tokens, int64_t completion_tokens) {
  double cost =
      (2.5 * static_cast<double>(prompt_tokens) + 10.0 * static_cast<double>(completion_tokens)) /
      1e6;
  return {{"platform", platform},
          {"model", model},
          {"calls", calls},
          {"prompt_tokens", prompt_tokens},
          {"completion_tokens", completion_tokens},
          {"cost", cost}};
}

// A report of methodology 2 as issue 18's spec has it, built from what was asked: rates count
// answered samples only, every prompt has each platform's stability, and `usage` sums the calls.
json::object SampledReport(const std::vector<Asked>& asked, const std::string& brand) {
  const std::map<std::string, std::string> texts{
      {"p1", "What are the best analytics tools?"},
      {"p2", "Which analytics vendor do startups choose?"}};
  std::vector<std::string> prompt_order, platform_order;
  std::map<std::string, json::object> prompts;
  std::map<std::string, std::array<int64_t, 3>> per_platform;  // successes, answered, failed
  std::map<std::string, std::array<int64_t, 3>> calls;  // calls, prompt and completion tokens
  int64_t samples_per_prompt = 0;
  for (const auto& a : asked) {
    if (!prompts.contains(a.prompt)) {
      prompt_order.push_back(a.prompt);
      prompts[a.prompt] = {{"prompt_id", a.prompt},
                           {"prompt_text", texts.at(a.prompt)},
                           {"category", "discovery"},
                           {"results", json::array{}},
                           {"stability", json::array{}}};
    }
    if (!per_platform.contains(a.platform)) platform_order.push_back(a.platform);
    samples_per_prompt = static_cast<int64_t>(a.samples.size());
    int64_t answered = 0, appearances = 0;
    for (size_t i = 0; i < a.samples.size(); ++i) {
      json::object result = SampledResult(a, i, brand);
      prompts[a.prompt]["results"].as_array().push_back(result);
      answered += a.samples[i] != 'F';
      appearances += a.samples[i] == 'Y';
      auto& c = calls[a.platform];
      c[0] += 1;
      c[1] += result.at("usage").at("prompt_tokens").as_int64();
      c[2] += result.at("usage").at("completion_tokens").as_int64();
    }
    auto& row = per_platform[a.platform];
    row[0] += appearances;
    row[1] += answered;
    row[2] += static_cast<int64_t>(a.samples.size()) - answered;
    prompts[a.prompt]["stability"].as_array().push_back(json::object{
        {"platform", a.platform},
        {"samples", answered},
        {"appearances", appearances},
        {"stability", answered == 0
                          ? json::value(nullptr)
                          : json::value(std::round(1000.0 * static_cast<double>(appearances) /
                                                   static_cast<double>(answered)) /
                                        10)}});
  }
  int64_t successes = 0, answered = 0, failed = 0;
  json::array platforms, platform_usage, prompt_rows;
  std::array<int64_t, 3> total{0, 0, 0};
  for (const auto& name : platform_order) {
    auto [s, n, f] = per_platform[name];
    successes += s, answered += n, failed += f;
    json::object row = RateOf(s, n);
    row["platform"] = name;
    row["failed"] = f;
    platforms.push_back(row);
    const auto& c = calls[name];
    platform_usage.push_back(
        PlatformUsage(name, name == "perplexity" ? "sonar" : "gpt-4o", c[0], c[1], c[2]));
    for (size_t i = 0; i < 3; ++i) total[i] += c[i];
  }
  for (const auto& id : prompt_order) prompt_rows.push_back(prompts[id]);
  json::object judge = PlatformUsage("", "", 5, 2000, 500);
  judge.erase("platform"), judge.erase("model");
  json::object usage = PlatformUsage("", "", total[0] + 5, total[1] + 2000, total[2] + 500);
  usage.erase("platform"), usage.erase("model");
  usage["platforms"] = std::move(platform_usage);
  usage["judge"] = std::move(judge);
  json::object visibility = RateOf(successes, answered);
  visibility["score"] = visibility["rate"];
  return {
      {"id", "rpt_01JBRANDREPORT00000000000002"},
      {"created_at", "2026-12-07T09:15:00.000Z"},
      {"brand_id", "brand_01"},
      {"brand_name", brand},
      {"batch_id", "bat_02"},
      {"trigger", "scheduled"},
      {"region", json::object{{"name", "United States"}, {"country", "US"}, {"language", "en"}}},
      {"methodology_version", 2},
      {"samples_per_prompt", samples_per_prompt},
      {"answers_count", answered},
      {"answers_failed", failed},
      {"prompts_count", static_cast<int64_t>(prompt_order.size())},
      {"visibility", visibility},
      {"visibility_score", visibility["rate"]},
      {"platforms", std::move(platforms)},
      {"share_of_voice", json::array{}},
      {"prompts", std::move(prompt_rows)},
      {"usage", std::move(usage)}};
}

// The same report as methodology 1 wrote it: none of the members issue 18 added.
json::object AsMethodologyOne(json::object report) {
  for (const char* key : {"samples_per_prompt", "answers_failed", "usage"}) report.erase(key);
  report["methodology_version"] = 1;
  for (auto& p : report["platforms"].as_array()) p.as_object().erase("failed");
  for (auto& p : report["prompts"].as_array()) {
    p.as_object().erase("stability");
    for (auto& r : p.as_object()["results"].as_array()) {
      for (const char* key : {"status", "sample", "error", "sources", "latency_ms", "usage"}) {
        r.as_object().erase(key);
      }
    }
  }
  return report;
}

TEST(BrandPdf, ShowsScoreTrendBreakdownsShareOfVoiceAndPrompts) {
  json::object report = Report("Acme Analytics");
  PdfFile pdf(report, RenderBrandPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  // 4 of 6 answers: 66.7 %; the trend tile compares with the previous run's 50.0 %.
  double score = report.at("visibility").at("rate").as_double();
  EXPECT_EQ(FormatNumber(score, 1), "66.7");
  EXPECT_NE(text.find("Visibility score Change since the last run Average position 66.7 % +16.7 "
                      "pts #"),
            std::string::npos)
      << text.substr(0, 1500);
  EXPECT_NE(text.find("from 50.0 % on 2026-11-23"), std::string::npos);
  for (const auto& p : report.at("platforms").as_array()) {
    EXPECT_NE(
        text.find(fmt::format("{} {} % (n = {})", p.at("platform").as_string().c_str(),
                              FormatNumber(p.at("rate").as_double(), 1), p.at("n").as_int64())),
        std::string::npos)
        << p;
  }
  EXPECT_NE(text.find("United States (US) 66.7 % (n = 6)"), std::string::npos);
  EXPECT_NE(text.find("Germany (DE) 33.3 % (n = 6)"), std::string::npos);
  for (const auto& s : report.at("share_of_voice").as_array()) {
    EXPECT_NE(text.find(fmt::format("{} {} %", s.at("name").as_string().c_str(),
                                    FormatNumber(s.at("rate").as_double(), 1))),
              std::string::npos)
        << s;
  }
  // Prompts: where the brand appeared and its best position.
  EXPECT_NE(text.find("1 What are the best analytics tools? discovery chatgpt, perplexity #1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("3 Recommend an analytics platform for retail discovery perplexity #1"),
            std::string::npos);
  EXPECT_NE(text.find("4 correct 4 contradicted 0 unsupported"), std::string::npos);
  EXPECT_NE(text.find("correct, of 8 claims the facts settle"), std::string::npos);
  // Contradicted claims once each, with the platforms that made them.
  EXPECT_NE(text.find("✗ It was founded in 1999 (chatgpt, perplexity)"), std::string::npos);
  // Excerpts with their citations.
  EXPECT_NE(text.find("Named in the answer: reviews.example.com"), std::string::npos) << text;
  EXPECT_NE(text.find("“What are the best analytics tools?”"), std::string::npos);
}

TEST(BrandPdf, SampledReportShowsFailedAnswersStabilitySourcesAndUsage) {
  json::object report = SampledReport({{"p1", "chatgpt", "YYN"},
                                       {"p1", "perplexity", "YFY"},
                                       {"p2", "chatgpt", "NNN"},
                                       {"p2", "perplexity", "FYN"}},
                                      "Acme Analytics");
  PdfFile pdf(report, RenderBrandPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  // Cover and KPIs: answers counted, the failed ones left out, samples per prompt.
  EXPECT_NE(text.find("Scheduled run · 10 answers counted from 2 prompts · 3 samples per prompt"),
            std::string::npos)
      << text.substr(0, 1500);
  EXPECT_NE(text.find("2 failed answers are left out of every rate: perplexity 2."),
            std::string::npos);
  EXPECT_NE(text.find("Answers counted Failed answers Samples per prompt 10 2 3"),
            std::string::npos);
  EXPECT_NE(text.find("of 12 asked; every rate counts these left out of every rate each prompt "
                      "asked 3× per platform"),
            std::string::npos);
  // 5 of 10 answered samples mention the brand; perplexity's 3 of 4, with 2 failed of 6.
  EXPECT_NE(text.find("Visibility score"), std::string::npos);
  EXPECT_NE(text.find("50.0 %"), std::string::npos);
  EXPECT_NE(text.find("Platform Visibility 95 % interval Mentioned Answered Failed"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("chatgpt 33.3 % 9.7–70.0 % 2 6 0"), std::string::npos);
  EXPECT_NE(text.find("perplexity 75.0 % 30.1–95.4 % 3 4 2 (33.3 %)"), std::string::npos);
  // Stability per platform: of the answered samples, those that mention the brand.
  EXPECT_NE(text.find("# Prompt chatgpt perplexity Best"), std::string::npos);
  EXPECT_NE(text.find("1 What are the best analytics tools? 2/3 (66.7 %) 2/2 (100.0 %) #1"),
            std::string::npos);
  EXPECT_NE(text.find("2 Which analytics vendor do startups choose? 0/3 (0.0 %) 1/2 (50.0 %) #2"),
            std::string::npos);
  // Excerpts: sources with their titles, by where they came from; never a failed answer.
  EXPECT_NE(text.find("Cited by the engine: Best Analytics Software 2026 (g2.com) · Named in the "
                      "answer: acme.example.com"),
            std::string::npos);
  EXPECT_NE(text.find("perplexity · sonar · sample 2"), std::string::npos);
  EXPECT_EQ(text.find("content filtered"), std::string::npos);
  // Usage: calls, tokens and cost per platform, the judge and the total.
  EXPECT_NE(text.find("Platform Model Calls Prompt tokens Completion tokens Cost"),
            std::string::npos);
  EXPECT_NE(text.find("chatgpt gpt-4o 6 1,200 3,000 0.0330"), std::string::npos);
  EXPECT_NE(text.find("perplexity sonar 6 800 2,000 0.0220"), std::string::npos);
  EXPECT_NE(text.find("judge – 5 2,000 500 0.0100"), std::string::npos);
  EXPECT_NE(text.find("Total – 17 4,000 5,500 0.0650"), std::string::npos);
}

TEST(BrandPdf, FailedResultsAreNeverQuoted) {
  json::object report = SampledReport({{"p1", "perplexity", "FN"}}, "Acme Analytics");
  // Even a failed result that kept some text mentioning the brand is not an answer to quote.
  json::object& failed =
      report["prompts"].as_array()[0].as_object()["results"].as_array()[0].as_object();
  failed["answer"] = "Acme Analytics partial text before the filter";
  failed["brand_appears"] = true;
  PdfFile pdf(report, RenderBrandPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  EXPECT_EQ(text.find("partial text"), std::string::npos) << text;
  EXPECT_EQ(text.find("Answer excerpts"), std::string::npos);
  EXPECT_NE(text.find("1 answer counted from 1 prompt · 2 samples per prompt"), std::string::npos);
  EXPECT_NE(text.find("1 failed answer is left out of every rate: perplexity 1."),
            std::string::npos);
  EXPECT_NE(text.find("1 What are the best analytics tools? 0/1 (0.0 %) –"), std::string::npos);
}

TEST(BrandPdf, OneSamplePerPromptNamesThePlatformsThatFailed) {
  json::object report = SampledReport({{"p1", "chatgpt", "Y"},
                                       {"p1", "perplexity", "F"},
                                       {"p2", "chatgpt", "N"},
                                       {"p2", "perplexity", "Y"}},
                                      "Acme Analytics");
  std::string text = Squeeze(PdfFile(report, RenderBrandPdf).Text(0, true));
  EXPECT_NE(text.find("1 sample per prompt"), std::string::npos) << text.substr(0, 1500);
  EXPECT_NE(text.find("1 What are the best analytics tools? discovery chatgpt (failed: "
                      "perplexity) #1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("2 Which analytics vendor do startups choose? discovery perplexity #2"),
            std::string::npos);
}

TEST(BrandPdf, ManyPlatformsSplitTheStabilityColumnsOverTables) {
  std::vector<Asked> asked;
  for (const std::string platform : {"chatgpt", "perplexity", "ai_overviews", "claude",
                                     "chatgpt_search", "claude_search", "gemini", "grok"}) {
    asked.push_back({"p1", platform, "YNYNY"});
    asked.push_back({"p2", platform, "NNFNN"});
  }
  json::object report = SampledReport(asked, "Acme Analytics");
  PdfFile pdf(report, RenderBrandPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  for (const auto& a : asked) EXPECT_NE(text.find(a.platform + " "), std::string::npos);
  // Too many to list on the cover's line: their count.
  EXPECT_NE(text.find("8 failed answers on 8 platforms are left out of every rate."),
            std::string::npos)
      << text.substr(0, 1500);
  // Every platform's column, each table repeating the prompts.
  EXPECT_NE(text.find("Prompts (more platforms)"), std::string::npos);
  EXPECT_NE(text.find("3/5 (60.0 %) 3/5 (60.0 %)"), std::string::npos) << text;
  size_t first = text.find("1 What are the best analytics tools?");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(text.find("1 What are the best analytics tools?", first + 1), std::string::npos);
  size_t stability_cells = 0;
  for (size_t at = text.find("0/4 (0.0 %)"); at != std::string::npos;
       at = text.find("0/4 (0.0 %)", at + 1)) {
    ++stability_cells;
  }
  EXPECT_EQ(stability_cells, 8u);
}

TEST(BrandPdf, MethodologyOneReportsRenderWithoutTheNewParts) {
  for (const json::object& report :
       {AsMethodologyOne(
            SampledReport({{"p1", "chatgpt", "Y"}, {"p1", "perplexity", "N"}}, "Acme Analytics")),
        AsMethodologyOne(Report("Acme Analytics"))}) {
    PdfFile pdf(report, RenderBrandPdf);
    std::string text = Squeeze(pdf.Text(0, true));
    EXPECT_NE(text.find("answers to"), std::string::npos) << text.substr(0, 1500);
    EXPECT_NE(text.find("Methodology v1"), std::string::npos);
    for (const char* absent :
         {"failed", "Samples per prompt", "Answers by platform", "Usage", "Cited by the engine"}) {
      EXPECT_EQ(text.find(absent), std::string::npos) << absent;
    }
  }
}

TEST(BrandPdf, SameReportSameBytesWithMetadata) {
  json::object report = Report("Acme Analytics");
  PdfFile a(report, RenderBrandPdf), b(report, RenderBrandPdf);
  EXPECT_EQ(a.bytes(), b.bytes());
  auto info = a.Info();
  EXPECT_EQ(info["Author"], "Rapport");
  EXPECT_EQ(info["Title"], "Brand visibility report: Acme Analytics (United States)");
  EXPECT_EQ(info["CreationDate"].substr(0, 19), "2026-11-30T09:15:00");
}

TEST(BrandPdf, BrandNamesInAnyScriptComeOutIntact) {
  for (const std::string name : {"Ακμή Αναλυτικά", "Акме Аналитика", "アクメ分析", "Zoë Café"}) {
    PdfFile pdf(Report(name), RenderBrandPdf);
    EXPECT_NE(pdf.Text().find(name), std::string::npos) << name;
  }
  // (No lam-alef here: poppler extracts that ligature's two letters in visual order.)
  for (const std::string name : {"אקמי אנליטיקה", "شركة أكمي"}) {
    PdfFile pdf(Report(name), RenderBrandPdf);
    EXPECT_NE(render::testing::WithoutSpacesOrBidiMarks(pdf.Text())
                  .find(render::testing::WithoutSpacesOrBidiMarks(name)),
              std::string::npos)
        << name;
  }
}

}  // namespace
}  // namespace rapport
