// Issue 17 against a real rapportd and the local fake provider: citations counted from brand
// reports (per platform, region config and date), their pages, the by-domain shares, tenancy and
// scopes, what deleting a report does, the start-up backfill of older reports, and a report's
// prompts page by page (the report object inlines at most 50).
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <set>

namespace rapport::testing {
namespace {

namespace json = boost::json;

constexpr int64_t kDayMs = 86'400'000;

std::string FormatDay(int64_t ms) { return FormatRfc3339(ms).substr(0, 10); }

class CitationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Region A (chatgpt, claude): Q1 cites alpha and beta everywhere, Q2 cites alpha on claude
    // only. Region B (chatgpt, gemini): Q3 cites gamma and alpha. Per run: alpha 5 (chatgpt 2,
    // claude 2, gemini 1), beta 2 (chatgpt 1, claude 1), gamma 2 (chatgpt 1, gemini 1).
    llm_.Script("Q1", "Try https://www.alpha.example.com/start and beta.example.org today.");
    llm_.Script("Q2", "Read https://alpha.example.com/docs?x=1 first.", "claude");
    llm_.Script("Q2", "No links for this one.");
    llm_.Script("Q3", "gamma.example.net compares with http://alpha.example.com.");
    server_.emplace(std::map<std::string, std::string>{{"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                                       {"RAPPORT_LLM_API_KEY", "test-key"},
                                                       {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                                       {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
    server_->Start();
    api_.emplace(*server_, Token("t1"));
    other_.emplace(*server_, Token("t2"));
    brand_ = Create("/v1/brands", R"({"name":"Acme Analytics","website":"https://acme.example"})");
    auto facts = api_->Send("PATCH", "/v1/brands/" + brand_ + "/facts",
                            R"({"description":"Analytics software"})");
    ASSERT_EQ(facts.status, 200) << facts.body;
    schedule_ = Create("/v1/scheduled-reports",
                       R"({"brand_id":")" + brand_ + R"(","name":"Weekly","frequency":"weekly"})");
    config_a_ = Config("Germany", "DE", R"(["chatgpt","claude"])", {"Q1 analytics", "Q2 boards"});
    config_b_ = Config("France", "FR", R"(["chatgpt","gemini"])", {"Q3 reporting"});
  }

  std::string Create(const std::string& path, const std::string& body) {
    auto r = api_->Post(path, body);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  std::string Config(const std::string& name, const std::string& country,
                     const std::string& platforms, const std::vector<std::string>& prompts) {
    std::string id = Create("/v1/region-configs",
                            R"({"brand_id":")" + brand_ + R"(","scheduled_report_id":")" +
                                schedule_ + R"(","name":")" + name + R"(","country":")" + country +
                                R"(","language":"en",)" + R"("ai_platforms":)" + platforms + "}");
    json::array items;
    for (const auto& p : prompts) items.push_back(json::object{{"prompt_text", p}});
    auto r = api_->Post("/v1/region-configs/" + id + "/prompts",
                        json::serialize(json::object{{"prompts", items}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return id;
  }

  // Runs the schedule (both regions); returns {report of A, report of B}.
  std::map<std::string, std::string> Run() {
    auto r = api_->Post("/v1/scheduled-reports/" + schedule_ + "/executions", "{}");
    EXPECT_EQ(r.status, 202) << r.body;
    auto job = WaitJob(*api_, std::string(Json(r).at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
    std::map<std::string, std::string> reports;
    for (const auto& id : job.at("result").at("report_ids").as_array()) {
      auto report = Json(api_->Get("/v1/reports/" + std::string(id.as_string())));
      reports[std::string(report.at("region_config_id").as_string())] = id.as_string();
    }
    return reports;
  }

  json::value List(const std::string& query = "") {
    auto r = api_->Get("/v1/brands/" + brand_ + "/citations" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  // url -> the citation, over every page of the list with `query`.
  std::map<std::string, json::object> All(const std::string& query = "") {
    std::map<std::string, json::object> out;
    std::string cursor;
    for (int i = 0; i < 20; ++i) {
      std::string sep = query.empty() ? "?" : query + "&";
      auto page = List(sep + "limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (const auto& c : page.at("data").as_array()) {
        out[std::string(c.at("url").as_string())] = c.as_object();
      }
      if (!page.at("has_more").as_bool()) break;
      cursor = page.at("next_cursor").as_string();
    }
    return out;
  }

  static std::map<std::string, int64_t> Platforms(const json::object& citation) {
    std::map<std::string, int64_t> out;
    for (const auto& p : citation.at("by_platform").as_array()) {
      out[std::string(p.at("platform").as_string())] = p.at("times_cited").as_int64();
    }
    return out;
  }

  static void ExpectError(const client::HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto body = Json(r);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body.at("error").at("code").as_string(), code) << r.body;
  }

  // Stops and starts rapportd on the same database (on a new port).
  void Restart() {
    ASSERT_EQ(server_->Stop(), 0);
    server_->Start();
    api_.emplace(*server_, Token("t1"));
    other_.emplace(*server_, Token("t2"));
  }

  std::string Db(const std::string& sql) { return Sql(server_->database_url(), sql); }

  FakeLlm llm_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_, other_;
  std::string brand_, schedule_, config_a_, config_b_;
};

TEST_F(CitationsTest, CountsEachAnswerCitingAUrlPerPlatformAcrossReports) {
  auto first = Run();
  auto all = All();
  ASSERT_EQ(all.size(), 3u);
  const auto& alpha = all.at("alpha.example.com");
  EXPECT_EQ(alpha.at("object").as_string(), "citation");
  EXPECT_TRUE(IsValidId(alpha.at("id").as_string(), "cit"));
  EXPECT_EQ(alpha.at("domain").as_string(), "alpha.example.com");
  EXPECT_TRUE(alpha.at("title").is_null());
  EXPECT_EQ(alpha.at("times_cited").as_int64(), 5);
  EXPECT_EQ(Platforms(alpha),
            (std::map<std::string, int64_t>{{"chatgpt", 2}, {"claude", 2}, {"gemini", 1}}));
  EXPECT_EQ(all.at("beta.example.org").at("times_cited").as_int64(), 2);
  EXPECT_EQ(all.at("gamma.example.net").at("times_cited").as_int64(), 2);
  EXPECT_EQ(alpha.at("first_seen_at"), alpha.at("last_seen_at"));

  auto second = Run();
  auto again = All();
  const auto& alpha2 = again.at("alpha.example.com");
  EXPECT_EQ(alpha2.at("id"), alpha.at("id"));  // one citation per brand and URL
  EXPECT_EQ(alpha2.at("times_cited").as_int64(), 10);
  EXPECT_EQ(Platforms(alpha2),
            (std::map<std::string, int64_t>{{"chatgpt", 4}, {"claude", 4}, {"gemini", 2}}));
  EXPECT_EQ(alpha2.at("first_seen_at"), alpha.at("first_seen_at"));
  EXPECT_LT(alpha2.at("first_seen_at").as_string(), alpha2.at("last_seen_at").as_string());
  auto one = Json(api_->Get("/v1/citations/" + std::string(alpha.at("id").as_string())));
  EXPECT_EQ(one.as_object(), alpha2);

  // Filters: platform, region config.
  auto claude = All("?platform=claude");
  ASSERT_EQ(claude.size(), 2u);
  EXPECT_EQ(claude.at("alpha.example.com").at("times_cited").as_int64(), 4);
  EXPECT_EQ(Platforms(claude.at("alpha.example.com")),
            (std::map<std::string, int64_t>{{"claude", 4}}));
  auto region_b = All("?region_config_id=" + config_b_);
  ASSERT_EQ(region_b.size(), 2u);
  EXPECT_EQ(region_b.at("alpha.example.com").at("times_cited").as_int64(), 4);
  EXPECT_EQ(region_b.at("gamma.example.net").at("times_cited").as_int64(), 4);
  EXPECT_EQ(All("?platform=gemini&region_config_id=" + config_a_).size(), 0u);

  // Pagination: newest first, pages of 2 then 1, nothing twice.
  auto page1 = List("?limit=2");
  ASSERT_EQ(page1.at("data").as_array().size(), 2u);
  EXPECT_TRUE(page1.at("has_more").as_bool());
  auto page2 = List("?limit=2&cursor=" + std::string(page1.at("next_cursor").as_string()));
  ASSERT_EQ(page2.at("data").as_array().size(), 1u);
  EXPECT_FALSE(page2.at("has_more").as_bool());
  EXPECT_TRUE(page2.at("next_cursor").is_null());
  std::vector<std::string> ids;
  for (const auto* page : {&page1, &page2}) {
    for (const auto& c : page->at("data").as_array()) ids.emplace_back(c.at("id").as_string());
  }
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3u);

  // By domain: counts, shares of all matching citations, ranked.
  auto domains = Json(api_->Get("/v1/brands/" + brand_ + "/citations/by-domain"));
  EXPECT_EQ(domains.at("object").as_string(), "list");
  EXPECT_EQ(domains.at("total_citations").as_int64(), 18);
  const auto& data = domains.at("data").as_array();
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[0].at("domain").as_string(), "alpha.example.com");
  EXPECT_EQ(data[0].at("times_cited").as_int64(), 10);
  EXPECT_DOUBLE_EQ(data[0].at("share").as_double(), 55.6);
  EXPECT_EQ(data[1].at("domain").as_string(), "beta.example.org");
  EXPECT_DOUBLE_EQ(data[1].at("share").as_double(), 22.2);
  EXPECT_EQ(data[2].at("domain").as_string(), "gamma.example.net");
  auto top = Json(api_->Get("/v1/brands/" + brand_ + "/citations/by-domain?limit=1"));
  EXPECT_EQ(top.at("data").as_array().size(), 1u);
  EXPECT_TRUE(top.at("has_more").as_bool());
  auto gemini = Json(api_->Get("/v1/brands/" + brand_ + "/citations/by-domain?platform=gemini"));
  EXPECT_EQ(gemini.at("total_citations").as_int64(), 4);
  EXPECT_DOUBLE_EQ(gemini.at("data").at(0).at("share").as_double(), 50.0);

  // Dates: the first run's occurrences moved ten days back.
  std::string in_first = "('" + first[config_a_] + "', '" + first[config_b_] + "')";
  Db("UPDATE citation_uses SET cited_at = cited_at - " + std::to_string(10 * kDayMs) +
     " WHERE report_id IN " + in_first);
  std::string today = FormatDay(NowMs()), back = FormatDay(NowMs() - 10 * kDayMs);
  EXPECT_EQ(All("?from=" + today).at("alpha.example.com").at("times_cited").as_int64(), 5);
  auto old = All("?to=" + back);
  EXPECT_EQ(old.at("alpha.example.com").at("times_cited").as_int64(), 5);
  EXPECT_EQ(old.at("alpha.example.com").at("first_seen_at"),
            old.at("alpha.example.com").at("last_seen_at"));
  EXPECT_EQ(
      All("?from=" + back + "&to=" + today).at("alpha.example.com").at("times_cited").as_int64(),
      10);
  EXPECT_EQ(All("?from=" + back + "T00:00:00Z&to=" + back + "T23:59:59.999Z").size(), 3u);
  auto ranged =
      Json(api_->Get("/v1/brands/" + brand_ + "/citations/by-domain?from=" + today + "T00:00:00Z"));
  EXPECT_EQ(ranged.at("total_citations").as_int64(), 9);
  EXPECT_EQ(All("?to=" + FormatDay(NowMs() - 20 * kDayMs)).size(), 0u);

  // Bad filters are the dialect's 400s, naming the parameter.
  std::string base = "/v1/brands/" + brand_ + "/citations";
  for (const std::string& q : std::vector<std::string>{
           "?from=yesterday", "?to=2026-02-30", "?platform=altavista", "?region_config_id=nope",
           "?from=" + today + "&to=" + back, "?limit=0", "?cursor=xyz"}) {
    ExpectError(api_->Get(base + q), 400, "validation_error");
    ExpectError(api_->Get(base + "/by-domain" + q), 400, "validation_error");
  }
}

TEST_F(CitationsTest, TenancyIdsAndScopes) {
  Run();
  auto all = All();
  std::string id(all.at("alpha.example.com").at("id").as_string());
  ExpectError(other_->Get("/v1/brands/" + brand_ + "/citations"), 404, "not_found");
  ExpectError(other_->Get("/v1/brands/" + brand_ + "/citations/by-domain"), 404, "not_found");
  ExpectError(other_->Get("/v1/citations/" + id), 404, "not_found");
  ExpectError(api_->Get("/v1/citations/cit_bad"), 404, "not_found");
  ExpectError(api_->Get("/v1/citations/" + NewId("cit")), 404, "not_found");
  ExpectError(api_->Get("/v1/brands/" + NewId("brand") + "/citations"), 404, "not_found");

  Api reports_only(*server_, Token("t1", "read:reports"));
  auto denied = reports_only.Get("/v1/citations/" + id);
  ExpectError(denied, 403, "forbidden");
  ExpectError(reports_only.Get("/v1/brands/" + brand_ + "/citations"), 403, "forbidden");
  for (const char* scope : {"read:citations", "write:citations", "read:all"}) {
    Api reader(*server_, Token("t1", scope));
    EXPECT_EQ(reader.Get("/v1/citations/" + id).status, 200) << scope;
    EXPECT_EQ(reader.Get("/v1/brands/" + brand_ + "/citations/by-domain").status, 200) << scope;
  }
}

TEST_F(CitationsTest, DeletingAReportRemovesItsOccurrencesAndOrphanedCitations) {
  auto first = Run();
  auto second = Run();
  std::string gamma(All().at("gamma.example.net").at("id").as_string());
  ASSERT_EQ(api_->Send("DELETE", "/v1/reports/" + first[config_b_]).status, 200);
  auto after = All();
  EXPECT_EQ(after.at("gamma.example.net").at("times_cited").as_int64(), 2);
  EXPECT_EQ(after.at("alpha.example.com").at("times_cited").as_int64(), 8);
  EXPECT_EQ(Platforms(after.at("alpha.example.com")),
            (std::map<std::string, int64_t>{{"chatgpt", 3}, {"claude", 4}, {"gemini", 1}}));
  // Only region B's reports cite gamma: once both are gone, so is the citation.
  ASSERT_EQ(api_->Send("DELETE", "/v1/reports/" + second[config_b_]).status, 200);
  EXPECT_FALSE(All().contains("gamma.example.net"));
  ExpectError(api_->Get("/v1/citations/" + gamma), 404, "not_found");
  EXPECT_EQ(All().at("alpha.example.com").at("times_cited").as_int64(), 6);
}

TEST_F(CitationsTest, ReportsStoredBeforeCitationsAreBackfilledAtStartUp) {
  Run();
  Run();
  auto before = All();
  // As a database migrated from before citations: no rows, every brand report queued.
  Db("DELETE FROM citation_uses");
  Db("DELETE FROM citations");
  Db("INSERT INTO citation_backfill (report_id) SELECT id FROM reports WHERE kind = 'brand'");
  EXPECT_EQ(All().size(), 0u);
  Restart();
  auto after = All();
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [url, c] : before) {
    EXPECT_EQ(after.at(url).at("times_cited"), c.at("times_cited")) << url;
    EXPECT_EQ(after.at(url).at("by_platform"), c.at("by_platform")) << url;
    EXPECT_EQ(after.at(url).at("first_seen_at"), c.at("first_seen_at")) << url;
    EXPECT_EQ(after.at(url).at("last_seen_at"), c.at("last_seen_at")) << url;
  }
  EXPECT_EQ(Db("SELECT COUNT(*) FROM citation_backfill"), "0");
  Restart();  // a second start finds nothing queued and doubles nothing
  EXPECT_EQ(All().at("alpha.example.com").at("times_cited").as_int64(), 10);
}

TEST_F(CitationsTest, ReportPromptsArePagedAndTheReportInlinesAtMostFifty) {
  auto reports = Run();
  std::string report_id = reports[config_a_];
  std::string path = "/v1/reports/" + report_id + "/prompts";
  auto page1 = Json(api_->Get(path + "?limit=1"));
  EXPECT_EQ(page1.at("object").as_string(), "list");
  ASSERT_EQ(page1.at("data").as_array().size(), 1u);
  EXPECT_EQ(page1.at("data").at(0).at("prompt_text").as_string(), "Q1 analytics");
  EXPECT_EQ(page1.at("data").at(0).at("results").as_array().size(), 2u);
  EXPECT_TRUE(page1.at("has_more").as_bool());
  auto page2 =
      Json(api_->Get(path + "?limit=1&cursor=" + std::string(page1.at("next_cursor").as_string())));
  ASSERT_EQ(page2.at("data").as_array().size(), 1u);
  EXPECT_EQ(page2.at("data").at(0).at("prompt_text").as_string(), "Q2 boards");
  EXPECT_FALSE(page2.at("has_more").as_bool());
  ExpectError(api_->Get(path + "?cursor=xyz"), 400, "validation_error");
  ExpectError(api_->Get(path + "?limit=101"), 400, "validation_error");
  ExpectError(other_->Get(path), 404, "not_found");
  ExpectError(api_->Get("/v1/reports/rpt_bad/prompts"), 404, "not_found");
  Api no_reports(*server_, Token("t1", "read:citations"));
  ExpectError(no_reports.Get(path), 403, "forbidden");

  auto report = Json(api_->Get("/v1/reports/" + report_id));
  EXPECT_EQ(report.at("prompts").as_array().size(), 2u);
  EXPECT_EQ(report.at("prompts_total").as_int64(), 2);
  EXPECT_EQ(report.at("prompts_url").as_string(), path);

  // A report of 60 prompts (more than a region config may hold today): 50 inline, all paged.
  json::object body =
      json::parse(Db("SELECT body FROM reports WHERE id = '" + report_id + "'")).as_object();
  json::array prompts;
  for (int i = 0; i < 60; ++i) {
    json::object p = body.at("prompts").at(0).as_object();
    p["prompt_id"] = NewId("prm");
    p["prompt_text"] = "prompt " + std::to_string(i);
    prompts.push_back(std::move(p));
  }
  body["prompts"] = std::move(prompts);
  std::string text = json::serialize(body);
  for (size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at + 2)) {
    text.insert(at, "'");
  }
  Db("UPDATE reports SET body = '" + text + "' WHERE id = '" + report_id + "'");
  report = Json(api_->Get("/v1/reports/" + report_id));
  ASSERT_EQ(report.at("prompts").as_array().size(), 50u);
  EXPECT_EQ(report.at("prompts_total").as_int64(), 60);
  EXPECT_EQ(report.at("prompts").at(49).at("prompt_text").as_string(), "prompt 49");
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = Json(api_->Get(path + (cursor.empty() ? "" : "?cursor=" + cursor)));
    ++pages;
    for (const auto& p : page.at("data").as_array())
      seen.emplace_back(p.at("prompt_text").as_string());
    cursor = page.at("has_more").as_bool() ? std::string(page.at("next_cursor").as_string()) : "";
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);  // 20 + 20 + 20
  ASSERT_EQ(seen.size(), 60u);
  EXPECT_EQ(seen.front(), "prompt 0");
  EXPECT_EQ(seen.back(), "prompt 59");
}

}  // namespace
}  // namespace rapport::testing
