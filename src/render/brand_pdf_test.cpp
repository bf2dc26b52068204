#include <rapport/brand/brand_report.hpp>
#include <rapport/render/format.hpp>
#include <rapport/render/pdf.hpp>

#include "pdf_test_util.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

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
  EXPECT_NE(text.find("Cited: reviews.example.com"), std::string::npos) << text;
  EXPECT_NE(text.find("“What are the best analytics tools?”"), std::string::npos);
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
