// The /v1 brand-visibility side against a real rapportd and a local OpenAI-compatible provider
// (fake_llm): resources, the seed-000 execution endpoint and its errors, the brand_report job,
// retries on provider failures, and the reports it stores.
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class BrandVisibilityTest : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {{"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                              {"RAPPORT_LLM_API_KEY", "test-key"},
                                              {"RAPPORT_LLM_BACKOFF_BASE_MS", "50"},
                                              {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                              {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}};
    for (auto& [k, v] : extra) env[k] = v;
    server_.emplace(env);
    server_->Start();
    api_.emplace(*server_, Token("t1"));
    other_.emplace(*server_, Token("t2"));
  }

  json::value Post(Api& api, const std::string& path, const std::string& body, long expect) {
    auto r = api.Post(path, body);
    EXPECT_EQ(r.status, expect) << path << " " << r.body;
    return Json(r);
  }

  // A brand with competitors, a weekly schedule and one region config (DE, two platforms) with
  // two prompts. Returns {schedule id, config id}.
  std::pair<std::string, std::string> CreateBrandAndSchedule(bool with_facts = true) {
    brand_ = Post(*api_, "/v1/brands",
                  R"({"name":"Acme Analytics","website":"https://acme.example.com",)"
                  R"("brand_aliases":["Acme"],"competitors":["Globex Insights","Initech"]})",
                  201)
                 .at("id")
                 .as_string();
    if (with_facts) {
      auto f = api_->Send("PATCH", "/v1/brands/" + brand_ + "/facts",
                          R"({"description":"Analytics software","founded_year":2011})");
      EXPECT_EQ(f.status, 200) << f.body;
    }
    std::string schedule(
        Post(*api_, "/v1/scheduled-reports",
             R"({"brand_id":")" + brand_ + R"(","name":"Weekly DE","frequency":"weekly"})", 201)
            .at("id")
            .as_string());
    std::string config(
        Post(*api_, "/v1/region-configs",
             R"({"brand_id":")" + brand_ + R"(","scheduled_report_id":")" + schedule +
                 R"(","name":"Germany","country":"DE","language":"de","location":"Berlin",)"
                 R"("ai_platforms":["chatgpt","claude"]})",
             201)
            .at("id")
            .as_string());
    Post(
        *api_, "/v1/region-configs/" + config + "/prompts",
        R"({"prompts":[{"prompt_text":"What is the best analytics software?","category":"discovery"},)"
        R"({"prompt_text":"Which analytics vendor do you use?","category":"usage"}]})",
        201);
    return {schedule, config};
  }

  json::value WaitJob(const std::string& id) { return testing::WaitJob(*api_, id); }

  static void ExpectV1Error(const client::HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto body = Json(r);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body.at("error").at("code").as_string(), code) << r.body;
    EXPECT_TRUE(body.as_object().contains("request_id"));
  }

  FakeLlm llm_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_, other_;
  std::string brand_;
};

TEST_F(BrandVisibilityTest, ExecutionRunsEveryPromptOnEveryPlatformAndStoresTheReport) {
  Start();
  auto [schedule, config] = CreateBrandAndSchedule();
  auto before = Json(api_->Get("/v1/scheduled-reports/" + schedule));
  std::string path = "/v1/scheduled-reports/" + schedule + "/executions";
  // Seed 000: every /v1 POST needs an Idempotency-Key.
  ExpectV1Error(api_->Send("POST", path, "{}"), 400, "idempotency_key_required");
  auto run = api_->Send("POST", path, "{}", {"Idempotency-Key: run-1"});
  ASSERT_EQ(run.status, 202) << run.body;
  auto accepted = Json(run);
  EXPECT_EQ(accepted.at("object").as_string(), "scheduled_report.execution");
  EXPECT_EQ(accepted.at("scheduled_report_id").as_string(), schedule);
  std::string job_id(accepted.at("job_id").as_string());
  // A replay returns the same job and dispatches nothing.
  auto replay = api_->Send("POST", path, "{}", {"Idempotency-Key: run-1"});
  EXPECT_EQ(Json(replay).at("job_id").as_string(), job_id);

  auto job = WaitJob(job_id);
  ASSERT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  EXPECT_EQ(job.at("total").as_int64(), 4);  // 2 prompts x 2 platforms
  EXPECT_EQ(job.at("completed").as_int64(), 4);
  const auto& result = job.at("result");
  EXPECT_EQ(result.at("completed_regions_count").as_int64(), 1);
  EXPECT_EQ(result.at("total_regions_count").as_int64(), 1);
  ASSERT_EQ(result.at("report_ids").as_array().size(), 1u);
  // 4 answers + 2 judge calls (the facts exist and 2 answers mention the brand).
  EXPECT_EQ(llm_.requests(), 6);
  // Asked in the region's language with its location as context, the country and language in
  // the best form known (English name and code), with the platform as model.
  auto first = json::parse(llm_.bodies().front());
  EXPECT_NE(json::serialize(first).find("located in Berlin, Germany (DE)"), std::string::npos)
      << first;
  EXPECT_NE(json::serialize(first).find("Answer in German (language code 'de')"),
            std::string::npos);

  std::string report_id(result.at("report_ids").at(0).as_string());
  auto report = Json(api_->Get("/v1/reports/" + report_id));
  EXPECT_EQ(report.at("object").as_string(), "report");
  EXPECT_EQ(report.at("batch_id"), result.at("batch_id"));
  EXPECT_EQ(report.at("methodology_version").as_int64(), 2);
  // The "best" prompt names Acme second after Globex on both platforms; the other prompt names
  // only Initech: 2 of 4 answers show the brand.
  EXPECT_DOUBLE_EQ(report.at("visibility_score").as_double(), 50.0);
  EXPECT_EQ(report.at("visibility").at("n").as_int64(), 4);
  EXPECT_DOUBLE_EQ(report.at("visibility").at("ci95_low").as_double(), 15.0);
  EXPECT_DOUBLE_EQ(report.at("visibility").at("ci95_high").as_double(), 85.0);
  EXPECT_DOUBLE_EQ(report.at("average_position").as_double(), 2.0);
  EXPECT_EQ(report.at("ranked_prompts").as_int64(), 1);
  EXPECT_EQ(report.at("sentiment").at("positive").as_int64(), 2);
  const auto& prompts = report.at("prompts").as_array();
  ASSERT_EQ(prompts.size(), 2u);
  const auto& best = prompts[0].at("results").at(0);
  EXPECT_TRUE(best.at("brand_appears").as_bool());
  EXPECT_EQ(best.at("position").as_int64(), 2);
  EXPECT_EQ(best.at("citations").at(0).as_string(), "acme.example.com");
  EXPECT_EQ(best.at("competitors_mentioned").at(0).as_string(), "Globex Insights");
  // Accuracy against the facts: 2 judged answers x (correct, contradicted, unsupported).
  const auto& accuracy = report.at("accuracy");
  EXPECT_EQ(accuracy.at("answers_judged").as_int64(), 2);
  EXPECT_EQ(accuracy.at("correct").as_int64(), 2);
  EXPECT_EQ(accuracy.at("contradicted").as_int64(), 2);
  EXPECT_EQ(accuracy.at("unsupported").as_int64(), 2);
  EXPECT_DOUBLE_EQ(accuracy.at("accuracy").at("rate").as_double(), 50.0);
  EXPECT_EQ(accuracy.at("accuracy").at("n").as_int64(), 4);
  ASSERT_EQ(accuracy.at("contradicted_claims").as_array().size(), 2u);
  EXPECT_EQ(accuracy.at("contradicted_claims").at(0).at("claim").as_string(),
            "Acme Analytics was founded in 1999");
  EXPECT_EQ(best.at("claims").as_array().size(), 3u);
  EXPECT_TRUE(prompts[1].at("results").at(0).at("claims").is_null());  // no brand: not judged
  for (const auto& p : report.at("platforms").as_array()) {
    EXPECT_DOUBLE_EQ(p.at("rate").as_double(), 50.0);
    EXPECT_EQ(p.at("n").as_int64(), 2);
  }

  // Lists and summary; another tenant sees nothing.
  auto list = Json(api_->Get("/v1/reports?brand_id=" + brand_));
  ASSERT_EQ(list.at("data").as_array().size(), 1u);
  EXPECT_FALSE(list.at("data").at(0).as_object().contains("prompts"));
  ExpectV1Error(api_->Get("/v1/reports"), 400, "validation_error");
  EXPECT_EQ(Json(api_->Get("/v1/reports/" + report_id + "/summary")).at("object").as_string(),
            "report.summary");
  // The report's PDF carries the JSON's numbers, the prompts and an excerpt with its citation.
  EXPECT_TRUE(report.at("has_pdf").as_bool());
  auto pdf = api_->Get("/v1/reports/" + report_id + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.Header("content-type").value_or(""), "application/pdf");
  std::string text = PdfText(pdf.body);
  EXPECT_NE(text.find("Acme Analytics"), std::string::npos);
  EXPECT_NE(text.find("Visibility score Change since the last run Average position 50.0 % – #2.0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("What is the best analytics software? discovery"), std::string::npos);
  EXPECT_NE(text.find("✗ Acme Analytics was founded in 1999"), std::string::npos);
  EXPECT_NE(text.find("Named in the answer: acme.example.com"), std::string::npos);
  ASSERT_EQ(report.at("trend").as_array().size(), 1u);  // the first run of this region
  ASSERT_EQ(report.at("regions").as_array().size(), 1u);
  EXPECT_EQ(report.at("regions").at(0).at("visibility"), report.at("visibility"));
  ExpectV1Error(other_->Get("/v1/reports/" + report_id), 404, "not_found");
  // The config and schedule show the run; next_run_at did not move.
  auto cfg = Json(api_->Get("/v1/region-configs/" + config));
  EXPECT_EQ(cfg.at("last_run_status").as_string(), "completed");
  EXPECT_EQ(cfg.at("prompts_count").as_int64(), 2);
  auto after = Json(api_->Get("/v1/scheduled-reports/" + schedule));
  EXPECT_EQ(after.at("next_run_at"), before.at("next_run_at"));
  EXPECT_EQ(after.at("last_run_status").as_string(), "completed");
  auto runs = Json(api_->Get("/v1/scheduled-reports/" + schedule + "/runs"));
  ASSERT_EQ(runs.at("data").as_array().size(), 1u);
  EXPECT_EQ(runs.at("data").at(0).at("object").as_string(), "scheduled_report.run");
  EXPECT_EQ(runs.at("data").at(0).at("trigger").as_string(), "on_demand");
  EXPECT_EQ(runs.at("data").at(0).at("job_id").as_string(), job_id);
  EXPECT_EQ(runs.at("data").at(0).at("status").as_string(), "completed");
  // A second run, then the analytics: two points, per platform and per prompt.
  auto second = Json(api_->Post(path, "{}"));
  ASSERT_EQ(WaitJob(std::string(second.at("job_id").as_string())).at("status").as_string(),
            "completed");
  // Its report carries the region's trend over both runs, and its PDF the change.
  auto second_report = Json(
      api_->Get("/v1/reports/" + std::string(WaitJob(std::string(second.at("job_id").as_string()))
                                                 .at("result")
                                                 .at("report_ids")
                                                 .at(0)
                                                 .as_string())));
  const auto& trend = second_report.at("trend").as_array();
  ASSERT_EQ(trend.size(), 2u);
  EXPECT_EQ(trend[0].at("report_id").as_string(), report_id);
  EXPECT_EQ(trend[1].at("report_id"), second_report.at("id"));
  std::string second_text = PdfText(
      api_->Get("/v1/reports/" + std::string(second_report.at("id").as_string()) + "/pdf").body);
  EXPECT_NE(second_text.find("50.0 % 0.0 pts #2.0"), std::string::npos) << second_text;
  auto analytics = Json(api_->Get("/v1/scheduled-reports/" + schedule + "/analytics"));
  EXPECT_EQ(analytics.at("object").as_string(), "scheduled_report.analytics");
  EXPECT_EQ(analytics.at("runs_count").as_int64(), 2);
  ASSERT_EQ(analytics.at("visibility").as_array().size(), 2u);
  EXPECT_DOUBLE_EQ(analytics.at("visibility").at(0).at("rate").as_double(), 50.0);
  EXPECT_EQ(analytics.at("visibility").at(1).at("n").as_int64(), 4);
  ASSERT_EQ(analytics.at("platforms").as_array().size(), 2u);
  EXPECT_EQ(analytics.at("platforms").at(0).at("series").as_array().size(), 2u);
  ASSERT_EQ(analytics.at("prompts").as_array().size(), 2u);
  for (const auto& p : analytics.at("prompts").as_array()) {
    double rate = p.at("series").at(0).at("rate").as_double();
    EXPECT_TRUE(rate == 100.0 || rate == 0.0);  // the "best" prompt always, the other never
  }
  auto deleted = api_->Send("DELETE", "/v1/reports/" + report_id);
  EXPECT_EQ(Json(deleted).at("deleted").as_bool(), true);
  ExpectV1Error(api_->Get("/v1/reports/" + report_id), 404, "not_found");
}

TEST_F(BrandVisibilityTest, ExecutionErrorsMatchSeed000) {
  Start();
  auto [schedule, config] = CreateBrandAndSchedule(false);
  std::string path = "/v1/scheduled-reports/" + schedule + "/executions";
  ExpectV1Error(api_->Post(path, "{}"), 422, "brand_facts_required");
  api_->Send("PATCH", "/v1/brands/" + brand_ + "/facts", R"({"description":"Analytics"})");
  ExpectV1Error(
      api_->Post("/v1/scheduled-reports/srep_000000000000000000000000000/executions", "{}"), 404,
      "not_found");
  ExpectV1Error(other_->Post(path, "{}"), 404, "not_found");
  ExpectV1Error(api_->Post(path, R"({"region_config_id":"rcfg_000000000000000000000000000"})"), 404,
                "not_found");
  // A config of the same brand that is not attached to this schedule: 422.
  std::string loose(Post(*api_, "/v1/region-configs",
                         R"({"brand_id":")" + brand_ +
                             R"(","name":"France","country":"FR","language":"fr",)"
                             R"("ai_platforms":["chatgpt"]})",
                         201)
                        .at("id")
                        .as_string());
  ExpectV1Error(api_->Post(path, R"({"region_config_id":")" + loose + R"("})"), 422,
                "validation_error");
  ExpectV1Error(api_->Post(path, R"({"region_config_id":5})"), 422, "body_validation_error");
  // Nothing to run: the only config deactivated.
  api_->Send("PATCH", "/v1/region-configs/" + config, R"({"is_active":false})");
  ExpectV1Error(api_->Post(path, "{}"), 422, "validation_error");
  EXPECT_EQ(llm_.requests(), 0);
  // Adding prompts to an inactive config reactivates it.
  Post(*api_, "/v1/region-configs/" + config + "/prompts",
       R"({"prompts":[{"prompt_text":"Any other vendors?"}]})", 201);
  EXPECT_TRUE(Json(api_->Get("/v1/region-configs/" + config)).at("is_active").as_bool());
  EXPECT_EQ(api_->Post(path, "{}").status, 202);
}

TEST_F(BrandVisibilityTest, LlmTierRateLimitAppliesToExecutionsAcrossNodes) {
  Start({{"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "1"}});
  auto [schedule, config] = CreateBrandAndSchedule();
  // A second node on the same database shares the window (it guards provider spend).
  ServerProcess node_b({{"RAPPORT_DATABASE_URL", server_->database_url()},
                        {"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                        {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "1"}});
  node_b.Start();
  Api api_b(node_b, Token("t1"));
  std::string path = "/v1/scheduled-reports/" + schedule + "/executions";
  auto ms_into_minute = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count() %
           60'000;
  };
  if (ms_into_minute() > 55'000) {  // both calls must fall in one window
    std::this_thread::sleep_for(std::chrono::milliseconds(60'500 - ms_into_minute()));
  }
  EXPECT_EQ(api_->Post(path, "{}").status, 202);
  auto limited = api_b.Post(path, "{}");
  ExpectV1Error(limited, 429, "rate_limit_exceeded");
  EXPECT_EQ(Json(limited).at("error").at("details").at("scope").as_string(), "llm");
  ExpectV1Error(api_->Post(path, "{}"), 429, "rate_limit_exceeded");
  // Other routes are not in the LLM tier.
  EXPECT_EQ(api_->Get("/v1/scheduled-reports/" + schedule).status, 200);
}

TEST_F(BrandVisibilityTest, ProviderFailuresAreRetriedAndUnconfiguredPlatformsNamed) {
  Start({{"RAPPORT_LLM_PLATFORMS", "grok=http://127.0.0.1:1/v1|grok-2|"}});
  auto [schedule, config] = CreateBrandAndSchedule();
  llm_.FailNext(2);
  llm_.ThrottleNext(1);
  auto run = Json(api_->Post("/v1/scheduled-reports/" + schedule + "/executions", "{}"));
  auto job = WaitJob(std::string(run.at("job_id").as_string()));
  EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  EXPECT_EQ(llm_.requests(), 9);  // 4 answers + 2 judgements + 2 failures + 1 throttled
  EXPECT_EQ(job.at("attempts").as_int64(), 1);
  // /metrics counts each call by outcome, times them, and counts the job's outcome.
  std::string metrics = api_->Get("/metrics").body;
  EXPECT_EQ(MetricSum(metrics, "rapport_llm_calls_total", "outcome=\"ok\""), 6) << metrics;
  EXPECT_EQ(MetricSum(metrics, "rapport_llm_calls_total", "outcome=\"provider_error\""), 2);
  EXPECT_EQ(MetricSum(metrics, "rapport_llm_calls_total", "outcome=\"rate_limited\""), 1);
  EXPECT_EQ(MetricSum(metrics, "rapport_llm_call_duration_seconds_count"), 9);
  EXPECT_EQ(MetricSum(metrics, "rapport_job_outcomes_total",
                      "kind=\"brand_report\",outcome=\"completed\""),
            1);

  // A platform with no provider fails the run at once, naming it.
  api_->Send("PATCH", "/v1/region-configs/" + config, R"({"ai_platforms":["chatgpt","gemini"]})");
  server_->Stop();
  server_.reset();
  Start({{"RAPPORT_LLM_BASE_URL", ""},
         {"RAPPORT_LLM_PLATFORMS", "chatgpt=" + llm_.base_url() + "|gpt-test|"}});
  // (a fresh data dir: set the brand up again)
  auto [schedule2, config2] = CreateBrandAndSchedule();
  api_->Send("PATCH", "/v1/region-configs/" + config2, R"({"ai_platforms":["chatgpt","gemini"]})");
  auto failed_run = Json(api_->Post("/v1/scheduled-reports/" + schedule2 + "/executions", "{}"));
  auto failed = WaitJob(std::string(failed_run.at("job_id").as_string()));
  EXPECT_EQ(failed.at("status").as_string(), "failed");
  EXPECT_NE(failed.at("result").at("error").at("message").as_string().find("gemini"),
            std::string::npos)
      << json::serialize(failed);
  EXPECT_EQ(failed.at("attempts").as_int64(), 1);  // permanent: no retries
}

TEST_F(BrandVisibilityTest, StalledCallsTimeOutAndRetryAndTheBudgetIsEnforced) {
  Start({{"RAPPORT_LLM_TIMEOUT_MS", "300"}});
  auto [schedule, config] = CreateBrandAndSchedule();
  llm_.StallNext(1, 1500);  // the first call gets no answer within the 300 ms timeout
  auto run = Json(api_->Post("/v1/scheduled-reports/" + schedule + "/executions", "{}"));
  auto job = WaitJob(std::string(run.at("job_id").as_string()));
  EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  EXPECT_EQ(llm_.requests(), 7);  // 1 stalled + 4 answers + 2 judgements

  server_->Stop();
  server_.reset();
  Start({{"RAPPORT_LLM_MAX_CALLS_PER_RUN", "5"}});  // 4 answers + up to 4 judgements > 5
  auto [schedule2, config2] = CreateBrandAndSchedule();
  int before = llm_.requests();
  auto over = Json(api_->Post("/v1/scheduled-reports/" + schedule2 + "/executions", "{}"));
  auto failed = WaitJob(std::string(over.at("job_id").as_string()));
  EXPECT_EQ(failed.at("status").as_string(), "failed");
  EXPECT_NE(failed.at("result").at("error").at("message").as_string().find("llm.max_calls_per_run"),
            std::string::npos);
  EXPECT_EQ(llm_.requests(), before);  // refused before any call
}

TEST_F(BrandVisibilityTest, EveryRouteChecksTokenAndScopeInTheV1Envelope) {
  Start();
  auto [schedule, config] = CreateBrandAndSchedule();
  std::vector<std::pair<std::string, std::string>> writes = {
      {"PATCH", "/v1/brands/" + brand_ + "/facts"},
      {"POST", "/v1/brands/" + brand_ + "/facts"},
      {"POST", "/v1/scheduled-reports"},
      {"PATCH", "/v1/scheduled-reports/" + schedule},
      {"DELETE", "/v1/scheduled-reports/" + schedule},
      {"POST", "/v1/scheduled-reports/" + schedule + "/executions"},
      {"POST", "/v1/scheduled-reports/" + schedule + "/region-configs/" + config},
      {"POST", "/v1/region-configs"},
      {"PATCH", "/v1/region-configs/" + config},
      {"DELETE", "/v1/region-configs/" + config},
      {"POST", "/v1/region-configs/" + config + "/prompts"},
      {"PATCH", "/v1/region-configs/" + config + "/prompts/prm_000000000000000000000000000"},
      {"DELETE", "/v1/region-configs/" + config + "/prompts/prm_000000000000000000000000000"},
      {"DELETE", "/v1/reports/rpt_000000000000000000000000000"}};
  std::vector<std::string> reads = {"/v1/brands/" + brand_ + "/facts",
                                    "/v1/scheduled-reports?brand_id=" + brand_,
                                    "/v1/scheduled-reports/" + schedule,
                                    "/v1/scheduled-reports/" + schedule + "/runs",
                                    "/v1/scheduled-reports/" + schedule + "/analytics",
                                    "/v1/scheduled-reports/" + schedule + "/region-configs",
                                    "/v1/region-configs",
                                    "/v1/region-configs/" + config,
                                    "/v1/region-configs/" + config + "/prompts",
                                    "/v1/reports?brand_id=" + brand_,
                                    "/v1/reports/rpt_000000000000000000000000000",
                                    "/v1/reports/rpt_000000000000000000000000000/summary",
                                    "/v1/reports/rpt_000000000000000000000000000/pdf"};
  Api anonymous(*server_, "");
  Api reader(*server_, Token("t1", "read:brands read:reports"));
  Api sla_only(*server_, Token("t1", "read:sla write:sla"));
  for (const auto& [method, path] : writes) {
    SCOPED_TRACE(method + " " + path);
    std::vector<std::string> key = {"Idempotency-Key: " + NewUuidV4()};
    ExpectV1Error(anonymous.Send(method, path, "{}", key), 401, "unauthorized");
    ExpectV1Error(reader.Send(method, path, "{}", key), 403, "forbidden");
  }
  for (const auto& path : reads) {
    SCOPED_TRACE(path);
    ExpectV1Error(anonymous.Get(path), 401, "unauthorized");
    ExpectV1Error(sla_only.Get(path), 403, "forbidden");
  }
  ExpectV1Error(api_->Send("PUT", "/v1/scheduled-reports/" + schedule, "{}"), 405,
                "method_not_allowed");
  // Nothing changed.
  EXPECT_EQ(Json(api_->Get("/v1/region-configs/" + config)).at("prompts_count").as_int64(), 2);
}

TEST_F(BrandVisibilityTest, ScheduledRunFiresOnTheAnchoredCadence) {
  Start({{"RAPPORT_SCHEDULER_INTERVAL_MS", "50"}});
  auto [schedule, config] = CreateBrandAndSchedule();
  // next_run_at is settable: make the weekly schedule due a minute ago.
  auto now = std::chrono::system_clock::now() - std::chrono::minutes(1);
  int64_t due_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::string due = FormatRfc3339(due_ms);
  auto patched = api_->Send("PATCH", "/v1/scheduled-reports/" + schedule,
                            R"({"next_run_at":")" + due + R"("})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  std::string reports_path = "/v1/reports?brand_id=" + brand_;
  for (int i = 0; i < 200 && Json(api_->Get(reports_path)).at("data").as_array().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto reports = Json(api_->Get(reports_path)).at("data").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].at("trigger").as_string(), "scheduled");
  auto after = Json(api_->Get("/v1/scheduled-reports/" + schedule));
  // Anchored: exactly one week after the due instant, not after "now".
  EXPECT_EQ(after.at("next_run_at").as_string(), FormatRfc3339(due_ms + 7 * 86'400'000LL));
  EXPECT_EQ(llm_.requests(), 6);  // 4 answers + 2 judgements
}

TEST_F(BrandVisibilityTest, FactsAreResearchedByTheAnswerEngine) {
  Start();
  std::string brand(Post(*api_, "/v1/brands",
                         R"({"name":"Acme Analytics","website":"https://acme.example.com"})", 201)
                        .at("id")
                        .as_string());
  ExpectV1Error(api_->Get("/v1/brands/" + brand + "/facts"), 404, "facts_not_generated");
  auto dispatched = Post(*api_, "/v1/brands/" + brand + "/facts", "", 202);
  EXPECT_EQ(dispatched.at("object").as_string(), "brand_facts.regenerate.dispatched");
  EXPECT_EQ(dispatched.at("brand_id").as_string(), brand);
  auto job = WaitJob(std::string(dispatched.at("job_id").as_string()));
  ASSERT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  auto facts = Json(api_->Get("/v1/brands/" + brand + "/facts"));
  EXPECT_EQ(facts.at("research_status").as_string(), "completed");
  EXPECT_EQ(facts.at("description").as_string(), "Acme Analytics builds dashboards for retailers.");
  EXPECT_EQ(facts.at("founded_year").as_int64(), 2011);
  EXPECT_EQ(facts.at("key_people").at(0).at("name").as_string(), "Ada Lovelace");
  EXPECT_FALSE(facts.as_object().contains("bogus_field"));  // unknown fields are dropped
  ExpectV1Error(api_->Post("/v1/brands/brand_000000000000000000000000000/facts", ""), 404,
                "not_found");
  ExpectV1Error(other_->Post("/v1/brands/" + brand + "/facts", ""), 404, "not_found");
}

TEST_F(BrandVisibilityTest, ResourcesValidateAndStayWithinLimits) {
  Start();
  auto [schedule, config] = CreateBrandAndSchedule();
  ExpectV1Error(api_->Post("/v1/scheduled-reports",
                           R"({"brand_id":")" + brand_ + R"(","name":"x","frequency":"hourly"})"),
                422, "body_validation_error");
  ExpectV1Error(api_->Post("/v1/region-configs",
                           R"({"brand_id":")" + brand_ +
                               R"(","name":"x","country":"Germany","language":"german",)"
                               R"("ai_platforms":["chatgpt","myspace"]})"),
                422, "body_validation_error");
  ExpectV1Error(api_->Get("/v1/scheduled-reports"), 400, "validation_error");
  auto filtered = Json(api_->Get("/v1/scheduled-reports?brand_id=" + brand_ +
                                 "&frequency=weekly&is_active=true&search=WEEKLY"));
  EXPECT_EQ(filtered.at("data").as_array().size(), 1u);
  EXPECT_EQ(Json(api_->Get("/v1/scheduled-reports?brand_id=" + brand_ + "&search=monthly"))
                .at("data")
                .as_array()
                .size(),
            0u);
  // Changing the frequency does not recompute next_run_at; next_run_at is settable.
  auto s = Json(api_->Get("/v1/scheduled-reports/" + schedule));
  auto patched =
      Json(api_->Send("PATCH", "/v1/scheduled-reports/" + schedule, R"({"frequency":"monthly"})"));
  EXPECT_EQ(patched.at("next_run_at"), s.at("next_run_at"));
  ExpectV1Error(
      api_->Send("PATCH", "/v1/scheduled-reports/" + schedule, R"({"missed_runs":"sometimes"})"),
      422, "body_validation_error");
  EXPECT_EQ(
      Json(api_->Send("PATCH", "/v1/scheduled-reports/" + schedule, R"({"missed_runs":"all"})"))
          .at("missed_runs")
          .as_string(),
      "all");
  auto moved = Json(api_->Send("PATCH", "/v1/scheduled-reports/" + schedule,
                               R"({"next_run_at":"2031-01-01T09:00:00Z"})"));
  EXPECT_EQ(moved.at("next_run_at").as_string(), "2031-01-01T09:00:00.000Z");
  // Facts: 404 facts_not_generated before any, merge patch after.
  std::string bare(
      Post(*api_, "/v1/brands", R"({"name":"Bare","website":"https://bare.example"})", 201)
          .at("id")
          .as_string());
  ExpectV1Error(api_->Get("/v1/brands/" + bare + "/facts"), 404, "facts_not_generated");
  auto facts = Json(api_->Send("PATCH", "/v1/brands/" + brand_ + "/facts",
                               R"({"tagline":"Know more","founded_year":null,)"
                               R"("key_people":[{"name":"Ada","title":"CEO"}]})"));
  EXPECT_EQ(facts.at("object").as_string(), "brand_facts");
  EXPECT_EQ(facts.at("description").as_string(), "Analytics software");
  EXPECT_TRUE(facts.at("founded_year").is_null());
  EXPECT_EQ(facts.at("key_people").at(0).at("title").as_string(), "CEO");
  // At most 50 prompts per config.
  std::string fifty = R"({"prompts":[)";
  for (int i = 0; i < 49; ++i) fifty += std::string(i ? "," : "") + R"({"prompt_text":"p"})";
  fifty += "]}";
  ExpectV1Error(api_->Post("/v1/region-configs/" + config + "/prompts", fifty), 409, "conflict");
  // At most 20 region configs per schedule.
  for (int i = 0; i < 19; ++i) {
    Post(*api_, "/v1/region-configs",
         R"({"brand_id":")" + brand_ + R"(","scheduled_report_id":")" + schedule +
             R"(","name":"r","country":"US","language":"en","ai_platforms":["chatgpt"]})",
         201);
  }
  ExpectV1Error(api_->Post("/v1/region-configs",
                           R"({"brand_id":")" + brand_ + R"(","scheduled_report_id":")" + schedule +
                               R"(","name":"r","country":"US","language":"en",)"
                               R"("ai_platforms":["chatgpt"]})"),
                409, "conflict");
  EXPECT_EQ(Json(api_->Get("/v1/scheduled-reports/" + schedule + "/region-configs?limit=100"))
                .at("data")
                .as_array()
                .size(),
            20u);
  // Another tenant: 404 everywhere.
  ExpectV1Error(other_->Get("/v1/scheduled-reports/" + schedule), 404, "not_found");
  ExpectV1Error(other_->Get("/v1/region-configs/" + config), 404, "not_found");
  ExpectV1Error(other_->Get("/v1/region-configs/" + config + "/prompts"), 404, "not_found");
  ExpectV1Error(other_->Get("/v1/brands/" + brand_ + "/facts"), 404, "not_found");
}

TEST_F(BrandVisibilityTest, TheCliRunsABrandReportAndSavesItsPdf) {
  Start();
  auto [schedule, config] = CreateBrandAndSchedule();
  std::string pdf = (server_->data_dir() / "brand.pdf").string();
  auto run =
      RunCli(*server_, "run brand " + schedule + " --region " + config + " --wait -o " + pdf);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("(4/4)"), std::string::npos) << run.err;  // 2 prompts x 2 platforms
  auto reports = Json(api_->Get("/v1/reports?brand_id=" + brand_)).at("data").as_array();
  ASSERT_EQ(reports.size(), 1u);
  std::string id(reports[0].at("id").as_string());
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_EQ(bytes, api_->Get("/v1/reports/" + id + "/pdf").body);
  // An unknown region config: the API's 404 and exit code 1.
  EXPECT_EQ(RunCli(*server_, "run brand " + schedule + " --region rcfg_000000000000000000000000000")
                .exit_code,
            1);
}

}  // namespace
}  // namespace rapport::testing
