// Share links against a real rapportd: made on an SLA report (seed 002's paths) and on a brand
// report and a scheduled report's newest one (/v1), opened without a token (JSON counted as a
// view, PDF inline, logo), listed without the token, revoked and expired into the same 404 as an
// unknown token, and invisible to other tenants; every /shared response is marked noindex,
// no-referrer, no-store.
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class SharingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llm_.Script("Q1", "Acme Analytics is a fine choice.");
    server_.emplace(std::map<std::string, std::string>{{"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                                       {"RAPPORT_LLM_API_KEY", "test-key"},
                                                       {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                                       {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
    server_->Start();
    api_.emplace(*server_, Token("t1"));
    other_.emplace(*server_, Token("t2"));
    anonymous_.emplace(*server_, "");
  }

  // A completed SLA report of tenant t1; its id.
  std::string SlaReport() {
    auto site = api_->Send("POST", "/sites", R"({"name":"Lisbon","timezone":"UTC"})");
    EXPECT_EQ(site.status, 201) << site.body;
    auto schedule = api_->Send("POST", "/reports/sla/schedules",
                               R"({"name":"Shared","timezone":"UTC","disabled":true,"sites":[")" +
                                   std::string(Json(site).at("id").as_string()) + R"("]})");
    EXPECT_EQ(schedule.status, 201) << schedule.body;
    auto run = api_->Send(
        "POST",
        "/reports/sla/schedules/" + std::string(Json(schedule).at("id").as_string()) + "/run",
        R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
    EXPECT_EQ(run.status, 202) << run.body;
    auto job = WaitJob(*api_, std::string(Json(run).at("job_id").as_string()));
    return std::string(job.at("result").at("report_id").as_string());
  }

  std::string Create(const std::string& path, const std::string& body) {
    auto r = api_->Post(path, body);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  // A scheduled report with one region config and prompt; its id.
  std::string BrandSchedule() {
    std::string brand =
        Create("/v1/brands", R"({"name":"Acme Analytics","website":"https://acme.example"})");
    auto facts = api_->Send("PATCH", "/v1/brands/" + brand + "/facts",
                            R"({"description":"Analytics software"})");
    EXPECT_EQ(facts.status, 200) << facts.body;
    std::string schedule =
        Create("/v1/scheduled-reports",
               R"({"brand_id":")" + brand + R"(","name":"Weekly","frequency":"weekly"})");
    std::string config =
        Create("/v1/region-configs", R"({"brand_id":")" + brand + R"(","scheduled_report_id":")" +
                                         schedule +
                                         R"(","name":"Germany","country":"DE","language":"en",)"
                                         R"("ai_platforms":["chatgpt"]})");
    auto prompts = api_->Post("/v1/region-configs/" + config + "/prompts",
                              R"({"prompts":[{"prompt_text":"Q1 analytics"}]})");
    EXPECT_EQ(prompts.status, 201) << prompts.body;
    return schedule;
  }

  // Runs the scheduled report; the id of its report.
  std::string RunBrand(const std::string& schedule) {
    auto r = api_->Post("/v1/scheduled-reports/" + schedule + "/executions", "{}");
    EXPECT_EQ(r.status, 202) << r.body;
    auto job = WaitJob(*api_, std::string(Json(r).at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
    return std::string(job.at("result").at("report_ids").as_array().at(0).as_string());
  }

  static std::string TokenOf(const json::value& share) {
    return std::string(share.at("token").as_string());
  }

  static void ExpectSharedHeaders(const client::HttpResult& r) {
    EXPECT_EQ(r.Header("x-robots-tag").value_or(""), "noindex, nofollow") << r.body;
    EXPECT_EQ(r.Header("referrer-policy").value_or(""), "no-referrer");
    EXPECT_EQ(r.Header("cache-control").value_or(""), "private, no-store");
  }

  static void ExpectSlaNotFound(const client::HttpResult& r) {
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(Json(r).at("code").as_string(), "not_found") << r.body;
    ExpectSharedHeaders(r);
  }

  FakeLlm llm_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_;
  std::optional<Api> other_;
  std::optional<Api> anonymous_;
};

TEST_F(SharingTest, SlaLinkOpensWithoutATokenCountsViewsAndServesThePdf) {
  std::string report = SlaReport();
  auto created =
      api_->Send("POST", "/reports/sla/reports/" + report + "/shares", R"({"expires_in_days":7})");
  ASSERT_EQ(created.status, 201) << created.body;
  json::value share = Json(created);
  std::string token = TokenOf(share);
  EXPECT_EQ(share.at("object").as_string(), "share");
  EXPECT_EQ(share.at("report_id").as_string(), report);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(share.at("url").as_string(), server_->url() + "/s/" + token);
  EXPECT_EQ(share.at("views").as_int64(), 0);
  EXPECT_TRUE(share.at("revoked_at").is_null());
  EXPECT_TRUE(share.at("last_viewed_at").is_null());
  int64_t expires = ParseRfc3339(share.at("expires_at").as_string()).value();
  int64_t created_at = ParseRfc3339(share.at("created_at").as_string()).value();
  EXPECT_EQ(expires - created_at, 7 * 86'400'000LL);

  auto opened = anonymous_->Get("/shared/" + token);
  ASSERT_EQ(opened.status, 200) << opened.body;
  ExpectSharedHeaders(opened);
  json::value page = Json(opened);
  EXPECT_EQ(page.at("object").as_string(), "shared_report");
  EXPECT_EQ(page.at("kind").as_string(), "sla");
  EXPECT_EQ(page.at("report"), Json(api_->Get("/reports/sla/reports/" + report)));
  EXPECT_EQ(page.at("branding"),
            (json::object{{"name", nullptr}, {"accent_color", nullptr}, {"logo_url", nullptr}}));
  EXPECT_EQ(page.at("expires_at"), share.at("expires_at"));
  ASSERT_EQ(anonymous_->Get("/shared/" + token).status, 200);

  auto pdf = anonymous_->Get("/shared/" + token + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  ExpectSharedHeaders(pdf);
  EXPECT_EQ(pdf.Header("content-type").value_or(""), "application/pdf");
  EXPECT_EQ(pdf.Header("content-disposition").value_or("").rfind("inline;", 0), 0u);
  EXPECT_EQ(pdf.body, api_->Get("/reports/sla/reports/" + report + "/pdf").body);
  ExpectSlaNotFound(anonymous_->Get("/shared/" + token + "/logo"));  // no branding

  auto list = api_->Get("/reports/sla/reports/" + report + "/shares");
  ASSERT_EQ(list.status, 200) << list.body;
  json::value listed = Json(list);
  ASSERT_EQ(listed.at("data").as_array().size(), 1u);
  const json::object& item = listed.at("data").at(0).as_object();
  EXPECT_EQ(item.at("views").as_int64(), 2);  // the JSON twice; the PDF is not a view
  EXPECT_FALSE(item.at("last_viewed_at").is_null());
  EXPECT_FALSE(item.contains("token"));
  EXPECT_FALSE(item.contains("url"));
  EXPECT_EQ(listed.at("meta").at("count").as_int64(), 1);
  EXPECT_EQ(list.body.find(token), std::string::npos);
  // Only the token's hash is stored.
  EXPECT_EQ(Sql(server_->database_url(),
                "SELECT COUNT(*) FROM shares WHERE token_sha256 LIKE '%" + token + "%'"),
            "0");
}

TEST_F(SharingTest, RevokedExpiredUnknownAndMalformedTokensAreOneNotFound) {
  std::string report = SlaReport();
  std::string base = "/reports/sla/reports/" + report + "/shares";
  json::value revoked = Json(api_->Send("POST", base, ""));
  json::value expired = Json(api_->Send("POST", base, "{}"));
  EXPECT_EQ(ParseRfc3339(expired.at("expires_at").as_string()).value() -
                ParseRfc3339(expired.at("created_at").as_string()).value(),
            30 * 86'400'000LL);  // the default
  ASSERT_EQ(anonymous_->Get("/shared/" + TokenOf(revoked)).status, 200);

  auto gone = api_->Send("DELETE", base + "/" + std::string(revoked.at("id").as_string()));
  EXPECT_EQ(gone.status, 204) << gone.body;
  ExpectSlaNotFound(anonymous_->Get("/shared/" + TokenOf(revoked)));
  ExpectSlaNotFound(anonymous_->Get("/shared/" + TokenOf(revoked) + "/pdf"));
  EXPECT_EQ(api_->Send("DELETE", base + "/" + std::string(revoked.at("id").as_string())).status,
            204);  // revoking again changes nothing
  EXPECT_EQ(api_->Send("DELETE", base + "/shr_000000000000000000000000000").status, 404);

  Sql(server_->database_url(), "UPDATE shares SET expires_at = 1000 WHERE id = '" +
                                   std::string(expired.at("id").as_string()) + "'");
  ExpectSlaNotFound(anonymous_->Get("/shared/" + TokenOf(expired)));
  ExpectSlaNotFound(anonymous_->Get("/shared/" + std::string(43, 'A')));
  ExpectSlaNotFound(anonymous_->Get("/shared/not-a-token"));

  auto list = Json(api_->Get(base));
  ASSERT_EQ(list.at("data").as_array().size(), 2u);
  EXPECT_FALSE(list.at("data").at(1).at("revoked_at").is_null());  // newest first

  // Deleting the report deletes its links.
  json::value live = Json(api_->Send("POST", base, "{}"));
  ASSERT_EQ(api_->Send("DELETE", "/reports/sla/reports/" + report).status, 204);
  ExpectSlaNotFound(anonymous_->Get("/shared/" + TokenOf(live)));
  EXPECT_EQ(Sql(server_->database_url(), "SELECT COUNT(*) FROM shares"), "0");
}

TEST_F(SharingTest, AnotherTenantSeesNeitherTheReportsSharesNorCanMakeOne) {
  std::string report = SlaReport();
  std::string base = "/reports/sla/reports/" + report + "/shares";
  json::value share = Json(api_->Send("POST", base, "{}"));
  EXPECT_EQ(other_->Send("POST", base, "{}").status, 404);
  EXPECT_EQ(other_->Get(base).status, 404);
  EXPECT_EQ(other_->Send("DELETE", base + "/" + std::string(share.at("id").as_string())).status,
            404);
  EXPECT_EQ(anonymous_->Get("/shared/" + TokenOf(share)).status, 200);  // still live
  Api reader(*server_, Token("t1", "read:sla"));
  EXPECT_EQ(reader.Send("POST", base, "{}").status, 403);
  EXPECT_EQ(reader.Get(base).status, 200);
  EXPECT_EQ(anonymous_->Send("POST", base, "{}").status, 401);
}

TEST_F(SharingTest, BadExpiryIsARequestErrorInEachDialect) {
  std::string report = SlaReport();
  for (const char* body : {R"({"expires_in_days":0})", R"({"expires_in_days":366})",
                           R"({"expires_in_days":"7"})", R"({"expires":7})"}) {
    auto r = api_->Send("POST", "/reports/sla/reports/" + report + "/shares", body);
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(Json(r).at("type").as_string(), "invalid_request_error") << r.body;
  }
  std::string schedule = BrandSchedule();
  std::string brand_report = RunBrand(schedule);
  auto r = api_->Post("/v1/reports/" + brand_report + "/shares", R"({"expires_in_days":400})");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Json(r).at("error").at("details").at("errors").at(0).at("loc"),
            (json::array{"body", "expires_in_days"}))
      << r.body;
}

TEST_F(SharingTest, V1BrandReportAndTheScheduledReportsLatest) {
  std::string schedule = BrandSchedule();
  auto none = api_->Post("/v1/scheduled-reports/" + schedule + "/shares", "{}");
  EXPECT_EQ(none.status, 409) << none.body;
  EXPECT_NE(Json(none).at("error").at("message").as_string().find("no completed report"),
            std::string::npos);
  EXPECT_EQ(
      api_->Post("/v1/scheduled-reports/srep_000000000000000000000000000/shares", "{}").status,
      404);
  RunBrand(schedule);
  std::string latest = RunBrand(schedule);
  auto created = api_->Post("/v1/scheduled-reports/" + schedule + "/shares", "{}");
  ASSERT_EQ(created.status, 201) << created.body;
  json::value share = Json(created);
  EXPECT_EQ(share.at("report_id").as_string(), latest);
  auto needs_key = api_->Send("POST", "/v1/reports/" + latest + "/shares", "{}");
  EXPECT_EQ(needs_key.status, 400) << needs_key.body;

  auto page = Json(anonymous_->Get("/shared/" + TokenOf(share)));
  EXPECT_EQ(page.at("kind").as_string(), "brand");
  EXPECT_EQ(page.at("report"), Json(api_->Get("/v1/reports/" + latest)));
  auto pdf = anonymous_->Get("/shared/" + TokenOf(share) + "/pdf");
  EXPECT_EQ(pdf.body, api_->Get("/v1/reports/" + latest + "/pdf").body);

  auto list = api_->Get("/v1/reports/" + latest + "/shares?limit=1");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Json(list).at("object").as_string(), "list");
  EXPECT_EQ(Json(list).at("data").as_array().size(), 1u);
  auto revoked = api_->Send(
      "DELETE", "/v1/reports/" + latest + "/shares/" + std::string(share.at("id").as_string()));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_FALSE(Json(revoked).at("revoked_at").is_null());
  EXPECT_EQ(anonymous_->Get("/shared/" + TokenOf(share)).status, 404);
  EXPECT_EQ(other_->Get("/v1/reports/" + latest + "/shares").status, 404);
  Api scheduled_only(*server_, Token("t1", "write:reports"));
  EXPECT_EQ(scheduled_only.Post("/v1/scheduled-reports/" + schedule + "/shares", "{}").status, 403);
}

TEST_F(SharingTest, SharedPageCarriesTheTenantsBrandingAndLogo) {
  std::string report = SlaReport();
  auto patched = api_->Send(
      "PATCH", "/v1/white-label",
      R"({"name":"Northwind Ops","accent_color":"#0A7B83","logo":{"content_type":"image/svg+xml",)"
      R"("data_base64":"PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="}})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  std::string token =
      TokenOf(Json(api_->Send("POST", "/reports/sla/reports/" + report + "/shares", "{}")));
  auto page = Json(anonymous_->Get("/shared/" + token));
  EXPECT_EQ(page.at("branding"), (json::object{{"name", "Northwind Ops"},
                                               {"accent_color", "#0A7B83"},
                                               {"logo_url", "/shared/" + token + "/logo"}}));
  auto logo = anonymous_->Get("/shared/" + token + "/logo");
  ASSERT_EQ(logo.status, 200) << logo.body;
  ExpectSharedHeaders(logo);
  EXPECT_EQ(logo.Header("content-type").value_or(""), "image/svg+xml");
  EXPECT_EQ(logo.Header("content-security-policy").value_or(""),
            "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  EXPECT_EQ(logo.body, R"(<svg xmlns="http://www.w3.org/2000/svg"></svg>)");
}

}  // namespace
}  // namespace rapport::testing
