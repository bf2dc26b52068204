// Retention of reports against a real rapportd (SQLite, and PostgreSQL as pg.*): the schedule's
// report_retention_days, the tenant's default (/v1/settings), null keeping forever, the daily
// report_retention job once per day with two nodes, the SQLite file's pages given back, and the
// per-tenant storage gauges of /metrics. Days pass under libfaketime (as in clock_test.cpp):
// rapportd's wall clock is offset by what the test writes to a file, nothing sleeps for a day.
#include "fake_llm.hpp"
#include "faketime.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// A token valid across every step the tests make.
std::string LongToken(const std::string& tenant, const std::string& scope = "*") {
  json::object claims{{"sub", "retention-test"},
                      {"tenant", tenant},
                      {"scope", scope},
                      {"exp", NowMs() / 1000 + 60 * 86'400}};
  return MintHs256Token(claims, kSecret);
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kSanitized) GTEST_SKIP() << "libfaketime cannot be preloaded into a sanitized rapportd";
    library_ = FaketimeLibrary();
    ASSERT_FALSE(library_.empty()) << "libfaketime is missing: run scripts/setup.sh";
    offset_file_ = fs::temp_directory_path() /
                   ("rapport-retention-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    StepTo("+0");
  }
  void TearDown() override { fs::remove(offset_file_); }

  std::map<std::string, std::string> Env(std::map<std::string, std::string> env = {}) const {
    env["LD_PRELOAD"] = library_;
    env["FAKETIME_TIMESTAMP_FILE"] = offset_file_.string();
    env["FAKETIME_NO_CACHE"] = "1";
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
    env["NO_FAKE_STAT"] = "1";
    env["RAPPORT_SCHEDULER_INTERVAL_MS"] = "50";
    env["RAPPORT_RATE_LIMIT_BURST_PER_MIN"] = "0";
    env["RAPPORT_METRICS_STORAGE_TTL_SECONDS"] = "0";
    return env;
  }

  // Steps rapportd's wall clock to real time + `offset` (libfaketime syntax: "+12d").
  void StepTo(const std::string& offset) const {
    fs::path tmp = offset_file_.string() + ".tmp";
    std::ofstream(tmp) << offset << "\n";
    fs::rename(tmp, offset_file_);
  }

  std::string library_;
  fs::path offset_file_;
};

std::string CreateSite(Api& api) {
  auto site = api.Send("POST", "/sites", R"({"name":"site","timezone":"UTC"})");
  EXPECT_EQ(site.status, 201) << site.body;
  return std::string(Json(site).at("id").as_string());
}

// A disabled (on-demand only) SLA schedule of `site`; `retention`: its report_retention_days
// as JSON ("null", "30", or "" to leave it out).
std::string CreateSchedule(Api& api, const std::string& site, const std::string& retention) {
  std::string body = R"({"name":"s","timezone":"UTC","daily":true,"disabled":true,"sites":[")" +
                     site + "\"]" +
                     (retention.empty() ? "" : ",\"report_retention_days\":" + retention) + "}";
  auto r = api.Send("POST", "/reports/sla/schedules", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).at("id").as_string());
}

// Runs the schedule on demand for January 2026 and returns the report's id once stored.
std::string RunReport(Api& api, const std::string& schedule) {
  auto run = api.Send("POST", "/reports/sla/schedules/" + schedule + "/run",
                      R"({"from_date":"2026-01-01","to_date":"2026-01-31"})");
  EXPECT_EQ(run.status, 202) << run.body;
  json::value job = WaitJob(api, std::string(Json(run).at("job_id").as_string()));
  EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  return std::string(job.at("result").at("report_id").as_string());
}

bool ReportGone(Api& api, const std::string& id) {
  return api.Get("/reports/sla/reports/" + id).status == 404;
}

double Stored(Api& api, const std::string& metric, const std::string& tenant) {
  return MetricSum(api.Get("/metrics").body, metric, "tenant=\"" + tenant + "\"");
}

int64_t SqlInt(const std::string& db, const std::string& sql) {
  std::string v = Sql(db, sql);
  return v.empty() ? 0 : std::stoll(v);
}

TEST_F(RetentionTest, SchedulesAndTenantDefaultsDecideWhichReportsGoWithTheirPdfs) {
  ServerProcess server(Env());
  server.Start();
  Api t1(server, LongToken("t1"));
  Api t2(server, LongToken("t2"));
  // t1: a default of 10 days; schedule a keeps its reports 30 days, b follows the default.
  auto patched = t1.Send("PATCH", "/v1/settings", R"({"report_retention_days":10})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched).at("report_retention_days").as_int64(), 10);
  std::string site1 = CreateSite(t1);
  std::string a = CreateSchedule(t1, site1, "30");
  std::string b = CreateSchedule(t1, site1, "null");
  EXPECT_EQ(Json(t1.Get("/reports/sla/schedules/" + a)).at("report_retention_days").as_int64(), 30);
  EXPECT_TRUE(Json(t1.Get("/reports/sla/schedules/" + b)).at("report_retention_days").is_null());
  // t2: no default; schedule d keeps forever, e keeps 5 days.
  std::string site2 = CreateSite(t2);
  std::string d = CreateSchedule(t2, site2, "");
  std::string e = CreateSchedule(t2, site2, "5");

  std::string a1 = RunReport(t1, a), b1 = RunReport(t1, b);
  std::string d1 = RunReport(t2, d), e1 = RunReport(t2, e);
  ASSERT_EQ(t1.Get("/reports/sla/reports/" + b1 + "/pdf").status, 200);
  EXPECT_EQ(Stored(t1, "rapport_stored_reports", "t1"), 2);
  EXPECT_EQ(Stored(t1, "rapport_stored_reports", "t2"), 2);
  EXPECT_GT(Stored(t1, "rapport_stored_artifact_bytes", "t1"), 1000);
  std::string b1_job(Json(t1.Get("/reports/sla/reports/" + b1)).at("job_id").as_string());
  std::string db = server.database_url();
  ASSERT_EQ(SqlInt(db, "SELECT count(*) FROM artifacts WHERE job_id = '" + b1_job + "'"), 1);
  int64_t pages_before = UsingPostgres() ? 0 : SqlInt(db, "PRAGMA page_count");

  // Twelve days on: the day's purge takes b1 (past t1's default) and e1 (past its 5 days).
  StepTo("+12d");
  ASSERT_TRUE(WaitFor([&] { return ReportGone(t1, b1) && ReportGone(t2, e1); }, 30));
  EXPECT_EQ(t1.Get("/reports/sla/reports/" + b1 + "/pdf").status, 404);
  EXPECT_EQ(t1.Get("/reports/sla/reports/" + a1).status, 200);
  EXPECT_EQ(t2.Get("/reports/sla/reports/" + d1).status, 200);
  EXPECT_EQ(SqlInt(db, "SELECT count(*) FROM artifacts WHERE job_id = '" + b1_job + "'"), 0);
  EXPECT_EQ(Stored(t1, "rapport_stored_reports", "t1"), 1);
  EXPECT_EQ(Stored(t1, "rapport_stored_reports", "t2"), 1);
  if (!UsingPostgres()) {
    EXPECT_EQ(SqlInt(db, "PRAGMA auto_vacuum"), 2);  // incremental
    EXPECT_EQ(SqlInt(db, "PRAGMA freelist_count"), 0);
    EXPECT_LT(SqlInt(db, "PRAGMA page_count"), pages_before);
  }
  std::string b2 = RunReport(t1, b);  // a report of day 12

  // Thirty-one days on: a1 is past its schedule's 30 days, b2 (19 days old) past the default;
  // d1 stays, its schedule and its tenant keeping forever.
  StepTo("+31d");
  ASSERT_TRUE(WaitFor([&] { return ReportGone(t1, a1) && ReportGone(t1, b2); }, 30));
  EXPECT_EQ(t2.Get("/reports/sla/reports/" + d1).status, 200);
  EXPECT_EQ(Stored(t1, "rapport_stored_reports", "t1"), 0);
  EXPECT_EQ(Stored(t1, "rapport_stored_artifact_bytes", "t1"), 0);
  EXPECT_EQ(Stored(t1, "rapport_stored_reports", "t2"), 1);
  // One line per tenant and purge, with counts.
  server.Stop();
  std::ifstream log(server.data_dir() / "rapportd.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(R"("msg":"expired reports deleted","tenant":"t2","reports":1)"),
            std::string::npos)
      << text;
}

TEST_F(RetentionTest, TheDailyJobRunsOnceADayWithTwoNodes) {
  ServerProcess first(Env());
  first.Start();
  ServerProcess second(Env({{"RAPPORT_DATABASE_URL", first.database_url()}}));
  second.Start();
  std::string db = first.database_url();
  Api api(first, LongToken("t1"));
  // No retention anywhere: no job.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(SqlInt(db, "SELECT count(*) FROM jobs WHERE kind = 'report_retention'"), 0);
  ASSERT_EQ(api.Send("PATCH", "/v1/settings", R"({"report_retention_days":30})").status, 200);
  StepTo("+1d");  // the next day: asked again at once
  auto jobs_done = [&] {
    return SqlInt(db,
                  "SELECT count(*) FROM jobs WHERE kind = 'report_retention' AND "
                  "status = 'completed'");
  };
  ASSERT_TRUE(WaitFor([&] { return jobs_done() >= 1; }, 30));
  StepTo("+2d");
  ASSERT_TRUE(WaitFor([&] { return jobs_done() >= 2; }, 30));
  // Both nodes keep ticking (every 50 ms) through the day: still one job per day.
  for (int i = 0; i < 20; ++i) (void)api.Get("/healthz");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(SqlInt(db, "SELECT count(*) FROM jobs WHERE kind = 'report_retention'"), 2);
  EXPECT_EQ(SqlInt(db,
                   "SELECT count(DISTINCT id) FROM jobs WHERE kind = 'report_retention' AND "
                   "status = 'completed'"),
            2);
}

TEST_F(RetentionTest, SettingsAndScheduleFieldsAreValidatedInEachDialect) {
  ServerProcess server(Env());
  server.Start();
  Api admin(server, LongToken("t1"));
  auto empty = admin.Get("/v1/settings");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(Json(empty).at("report_retention_days").is_null());
  EXPECT_TRUE(Json(empty).at("updated_at").is_null());
  for (const char* bad : {R"({"report_retention_days":0})", R"({"report_retention_days":"7"})",
                          R"({"report_retention_days":36501})", R"({"retention":7})"}) {
    auto r = admin.Send("PATCH", "/v1/settings", bad);
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
    EXPECT_EQ(Json(r).at("error").at("code").as_string(), "body_validation_error") << r.body;
  }
  auto cleared = admin.Send("PATCH", "/v1/settings", R"({"report_retention_days":null})");
  EXPECT_EQ(cleared.status, 200) << cleared.body;
  Api reader(server, LongToken("t1", "read:all"));
  EXPECT_EQ(reader.Get("/v1/settings").status, 200);
  EXPECT_EQ(reader.Send("PATCH", "/v1/settings", R"({"report_retention_days":3})").status, 403);

  std::string site = CreateSite(admin);
  auto sla = admin.Send("POST", "/reports/sla/schedules",
                        R"({"name":"s","timezone":"UTC","daily":true,"sites":[")" + site +
                            R"("],"report_retention_days":0})");
  EXPECT_EQ(sla.status, 400) << sla.body;
  EXPECT_NE(Json(sla).at("message").as_string().find("report_retention_days"), std::string::npos)
      << sla.body;

  auto brand = admin.Post("/v1/brands", R"({"name":"Acme","website":"https://acme.example"})");
  ASSERT_EQ(brand.status, 201) << brand.body;
  std::string brand_id(Json(brand).at("id").as_string());
  auto bad = admin.Post("/v1/scheduled-reports", R"({"brand_id":")" + brand_id +
                                                     R"(","name":"w","frequency":"weekly",)"
                                                     R"("report_retention_days":-1})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("report_retention_days"), std::string::npos) << bad.body;
  auto ok = admin.Post("/v1/scheduled-reports", R"({"brand_id":")" + brand_id +
                                                    R"(","name":"w","frequency":"weekly",)"
                                                    R"("report_retention_days":90})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Json(ok).at("report_retention_days").as_int64(), 90);
  std::string id(Json(ok).at("id").as_string());
  auto patched =
      admin.Send("PATCH", "/v1/scheduled-reports/" + id, R"({"report_retention_days":null})",
                 {"Idempotency-Key: retention-patch-1"});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(Json(patched).at("report_retention_days").is_null());
  EXPECT_TRUE(Json(admin.Get("/v1/scheduled-reports/" + id)).at("report_retention_days").is_null());
}

// A brand report past its scheduled report's retention goes in the /v1 dialect too, with its
// PDF, its share link and its citations; the other report of the brand stays.
TEST_F(RetentionTest, BrandReportsGoWithTheirShareLinksAndCitations) {
  FakeLlm llm;
  llm.Script("Q1", "Acme Analytics is a fine choice.");
  llm.CiteWith("chatgpt", CitationStyle::kOpenAi);
  ServerProcess server(Env({{"RAPPORT_LLM_BASE_URL", llm.base_url()},
                            {"RAPPORT_LLM_API_KEY", "test-key"},
                            {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"}}));
  server.Start();
  Api api(server, LongToken("t1"));
  Api anonymous(server, "");
  auto created = [&](const std::string& path, const std::string& body) {
    auto r = api.Post(path, body);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return std::string(Json(r).at("id").as_string());
  };
  std::string brand =
      created("/v1/brands", R"({"name":"Acme Analytics","website":"https://acme.example"})");
  ASSERT_EQ(
      api.Send("PATCH", "/v1/brands/" + brand + "/facts", R"({"description":"Analytics software"})")
          .status,
      200);
  auto schedule_with = [&](const std::string& retention) {
    std::string schedule =
        created("/v1/scheduled-reports", R"({"brand_id":")" + brand +
                                             R"(","name":"Weekly","frequency":"weekly",)"
                                             R"("report_retention_days":)" +
                                             retention + "}");
    std::string config =
        created("/v1/region-configs", R"({"brand_id":")" + brand + R"(","scheduled_report_id":")" +
                                          schedule +
                                          R"(","name":"Germany","country":"DE","language":"en",)"
                                          R"("ai_platforms":["chatgpt"]})");
    EXPECT_EQ(api.Post("/v1/region-configs/" + config + "/prompts",
                       R"({"prompts":[{"prompt_text":"Q1 analytics"}]})")
                  .status,
              201);
    return schedule;
  };
  auto run = [&](const std::string& schedule) {
    auto r = api.Post("/v1/scheduled-reports/" + schedule + "/executions", "{}");
    EXPECT_EQ(r.status, 202) << r.body;
    json::value job = WaitJob(api, std::string(Json(r).at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
    return std::string(job.at("result").at("report_ids").as_array().at(0).as_string());
  };
  std::string short_lived = run(schedule_with("3"));
  std::string kept = run(schedule_with("null"));
  auto share = api.Post("/v1/reports/" + short_lived + "/shares", "{}");
  ASSERT_EQ(share.status, 201) << share.body;
  std::string token(Json(share).at("token").as_string());
  ASSERT_EQ(anonymous.Get("/shared/" + token).status, 200);
  auto citations = [&] {
    return Json(api.Get("/v1/brands/" + brand + "/citations")).at("data").as_array();
  };
  ASSERT_FALSE(citations().empty());
  int64_t cited = 0;
  for (const auto& c : citations()) cited += c.at("times_cited").as_int64();

  StepTo("+4d");
  ASSERT_TRUE(WaitFor([&] { return api.Get("/v1/reports/" + short_lived).status == 404; }, 30));
  auto gone = api.Get("/v1/reports/" + short_lived);
  EXPECT_EQ(Json(gone).at("error").at("code").as_string(), "not_found") << gone.body;
  EXPECT_EQ(api.Get("/v1/reports/" + short_lived + "/pdf").status, 404);
  EXPECT_EQ(anonymous.Get("/shared/" + token).status, 404);
  EXPECT_EQ(api.Get("/v1/reports/" + kept).status, 200);
  int64_t left = 0;
  for (const auto& c : citations()) left += c.at("times_cited").as_int64();
  EXPECT_EQ(left * 2, cited);  // the kept report's occurrences only
}

// A database made before incremental vacuum is switched at start-up (one VACUUM).
TEST_F(RetentionTest, AnOlderSqliteDatabaseIsSwitchedToIncrementalVacuumAtStartUp) {
  if (UsingPostgres()) GTEST_SKIP() << "SQLite only";
  fs::path dir = fs::temp_directory_path() / ("rapport-vacuum-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string db = (dir / "old.db").string();
  fs::remove(db);
  Sql(db, "CREATE TABLE leftover (x INTEGER)");
  ASSERT_EQ(SqlInt(db, "PRAGMA auto_vacuum"), 0);
  {
    ServerProcess server(Env({{"RAPPORT_DATABASE_URL", db}}));
    server.Start();
    EXPECT_EQ(SqlInt(db, "PRAGMA auto_vacuum"), 2);
    server.Stop();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rapport::testing
