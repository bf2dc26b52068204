// Issue 18 against a real rapportd and the local provider (fake_llm): brand runs call the answer
// engines concurrently within the limits per endpoint and per process, honour 429 Retry-After,
// record a refused answer and go on (failing only past llm.max_failed_share, or at once for a
// platform that cannot answer), ask each prompt samples_per_prompt times, keep the provider's
// citations and usage (and price it), refuse a run over llm.max_tokens_per_run, stop within a
// second when cancelled, and after a SIGKILL ask only the answers not yet stored.
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// The value at `path` ("a.b.0.c": object keys and array indexes); null, with a test failure
// naming the path, when it is not there (the engine may not produce it yet).
const json::value& At(const json::value& root, const std::string& path) {
  static const json::value kNull;
  const json::value* v = &root;
  std::istringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '.')) {
    if (v->is_object() && v->as_object().contains(part)) {
      v = &v->as_object().at(part);
    } else if (v->is_array() && !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit) &&
               std::stoul(part) < v->as_array().size()) {
      v = &v->as_array()[std::stoul(part)];
    } else {
      ADD_FAILURE() << "no " << path << " (at '" << part << "') in " << json::serialize(root);
      return kNull;
    }
  }
  return *v;
}

int64_t Int(const json::value& root, const std::string& path) {
  const json::value& v = At(root, path);
  if (!v.is_number()) {
    ADD_FAILURE() << path << " is not a number: " << json::serialize(v);
    return -1;
  }
  return v.to_number<int64_t>();
}

double Number(const json::value& root, const std::string& path) {
  const json::value& v = At(root, path);
  if (!v.is_number()) {
    ADD_FAILURE() << path << " is not a number: " << json::serialize(v);
    return NAN;
  }
  return v.to_number<double>();
}

std::string Text(const json::value& root, const std::string& path) {
  const json::value& v = At(root, path);
  if (!v.is_string()) {
    ADD_FAILURE() << path << " is not a string: " << json::serialize(v);
    return "";
  }
  return std::string(v.as_string());
}

const json::array& Array(const json::value& root, const std::string& path) {
  static const json::array kEmpty;
  const json::value& v = At(root, path);
  if (!v.is_array()) {
    ADD_FAILURE() << path << " is not an array: " << json::serialize(v);
    return kEmpty;
  }
  return v.as_array();
}

// The element of `rows` whose `key` is `value` (null with a failure when none is).
const json::value& Row(const json::array& rows, const std::string& key, const std::string& value) {
  static const json::value kNull;
  for (const auto& r : rows) {
    if (r.is_object() && r.as_object().contains(key) && r.at(key).is_string() &&
        r.at(key).as_string() == value) {
      return r;
    }
  }
  ADD_FAILURE() << "no row with " << key << " = " << value << " in " << json::serialize(rows);
  return kNull;
}

// The sum of metric `name` over the samples whose labels contain every one of `labels`.
double Metric(const std::string& page, const std::string& name,
              const std::vector<std::string>& labels) {
  double sum = 0;
  std::istringstream lines(page);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(name + "{")) continue;
    size_t value = line.rfind(' ');
    std::string labelset = line.substr(0, value);
    bool all = std::all_of(labels.begin(), labels.end(), [&](const std::string& l) {
      return labelset.find(l) != std::string::npos;
    });
    if (all) sum += std::stod(line.substr(value + 1));
  }
  return sum;
}

std::string Key(const std::string& stem, int i) {
  char number[8];
  std::snprintf(number, sizeof number, "%02d", i);
  return stem + " " + number + ":";
}

// `n` prompts "Prompt 01: …" to "Prompt nn: …": the first asks for the best software (the fake
// then names Globex and Acme, the brand, which the judge then checks), the others ask about
// vendors (the fake names only Initech).
std::vector<std::string> Prompts(int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) {
    out.push_back(Key("Prompt", i) + (i == 1 ? " which is the best analytics software?"
                                             : " which analytics vendor do you use?"));
  }
  return out;
}

// `n` prompts "Vendor 01: …" whose answers never name the brand: no judge calls, so every call
// the fake sees is an answer.
std::vector<std::string> VendorPrompts(int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back(Key("Vendor", i) + " which vendor do you use?");
  return out;
}

class BrandRunsTest : public ::testing::Test {
 protected:
  // A rapportd on a fresh data dir whose answer engines are all the fake (the platform's name is
  // the model unless llm.platforms says otherwise).
  void Start(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {{"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                              {"RAPPORT_LLM_API_KEY", "test-key"},
                                              {"RAPPORT_LLM_BACKOFF_BASE_MS", "50"},
                                              {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                              {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}};
    for (auto& [k, v] : extra) env[k] = v;
    api_.reset();
    if (server_) server_->Stop();
    server_.emplace(env);
    server_->Start();
    api_.emplace(*server_, Token("t1"));
  }

  std::string Create(const std::string& path, const std::string& body) {
    auto r = api_->Post(path, body);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return r.status == 201 ? std::string(Json(r).at("id").as_string()) : "";
  }

  // The brand Acme Analytics (competitors Globex Insights and Initech) with facts.
  void CreateBrand() {
    brand_ = Create("/v1/brands",
                    R"({"name":"Acme Analytics","website":"https://acme.example.com",)"
                    R"("brand_aliases":["Acme"],"competitors":["Globex Insights","Initech"]})");
    auto f = api_->Send("PATCH", "/v1/brands/" + brand_ + "/facts",
                        R"({"description":"Analytics software","founded_year":2011})");
    EXPECT_EQ(f.status, 200) << f.body;
  }

  // A weekly scheduled report of the brand; `extra` adds members (",\"samples_per_prompt\":3").
  std::string CreateSchedule(const std::string& extra = "") {
    return Create(
        "/v1/scheduled-reports",
        R"({"brand_id":")" + brand_ + R"(","name":"Weekly","frequency":"weekly")" + extra + "}");
  }

  // A region config (Germany) of `schedule` asking `prompts` of `platforms`.
  std::string CreateConfig(const std::string& schedule, const std::vector<std::string>& platforms,
                           const std::vector<std::string>& prompts, const std::string& extra = "",
                           const std::string& name = "Germany") {
    json::array names;
    for (const auto& p : platforms) names.emplace_back(p);
    std::string id =
        Create("/v1/region-configs", R"({"brand_id":")" + brand_ + R"(","scheduled_report_id":")" +
                                         schedule + R"(","name":")" + name +
                                         R"(","country":"DE","language":"de","ai_platforms":)" +
                                         json::serialize(names) + extra + "}");
    json::array items;
    for (const auto& p : prompts) {
      items.push_back(json::object{{"prompt_text", p}, {"category", "discovery"}});
    }
    auto r = api_->Post("/v1/region-configs/" + id + "/prompts",
                        json::serialize(json::object{{"prompts", items}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return id;
  }

  // One schedule with one config: the usual set-up. Returns the schedule's id.
  std::string Setup(const std::vector<std::string>& platforms,
                    const std::vector<std::string>& prompts) {
    CreateBrand();
    std::string schedule = CreateSchedule();
    CreateConfig(schedule, platforms, prompts);
    return schedule;
  }

  // Requests a run of `schedule`; its job id.
  std::string Run(const std::string& schedule) {
    auto r = api_->Post("/v1/scheduled-reports/" + schedule + "/executions", "{}");
    EXPECT_EQ(r.status, 202) << r.body;
    return r.status == 202 ? std::string(Json(r).at("job_id").as_string()) : "";
  }

  // Polls the job until it leaves pending/processing, for up to `seconds`.
  json::value WaitJob(const std::string& job_id, int seconds = 60) {
    json::value job;
    bool done = WaitFor(
        [&] {
          job = Json(api_->Get("/v1/jobs/" + job_id));
          std::string status = Text(job, "status");
          return status != "pending" && status != "processing";
        },
        seconds);
    EXPECT_TRUE(done) << "job " << job_id << " did not finish: " << json::serialize(job);
    return job;
  }

  json::value RunToEnd(const std::string& schedule, int seconds = 60) {
    return WaitJob(Run(schedule), seconds);
  }

  json::value Report(const json::value& job, size_t index = 0) {
    return Json(
        api_->Get("/v1/reports/" + Text(job, "result.report_ids." + std::to_string(index))));
  }

  // The report's results for the prompt containing `prompt` on `platform`, ordered by sample.
  static std::vector<json::value> Results(const json::value& report, const std::string& prompt,
                                          const std::string& platform) {
    std::vector<json::value> out;
    for (const auto& p : Array(report, "prompts")) {
      if (Text(p, "prompt_text").find(prompt) == std::string::npos) continue;
      for (const auto& r : Array(p, "results")) {
        if (Text(r, "platform") == platform) out.push_back(r);
      }
    }
    std::sort(out.begin(), out.end(), [](const json::value& a, const json::value& b) {
      return a.at("sample").to_number<int64_t>() < b.at("sample").to_number<int64_t>();
    });
    return out;
  }

  static const json::value& PromptEntry(const json::value& report, const std::string& prompt) {
    static const json::value kNull;
    for (const auto& p : Array(report, "prompts")) {
      if (Text(p, "prompt_text").find(prompt) != std::string::npos) return p;
    }
    ADD_FAILURE() << "no prompt " << prompt << " in the report";
    return kNull;
  }

  size_t ReportsOfBrand() {
    return Array(Json(api_->Get("/v1/reports?brand_id=" + brand_)), "data").size();
  }

  FakeLlm llm_;  // first: outlives the servers that call it
  std::optional<ServerProcess> server_;
  std::optional<Api> api_;
  std::string brand_;
};

// --- The stand-in itself (passes without the engine: proves what the tests below rely on).

client::HttpResult AskFake(const FakeLlm& llm, const std::string& model, const std::string& user) {
  client::HttpClient http(llm.base_url(), 10'000);
  std::string body = json::serialize(json::object{
      {"model", model},
      {"messages", json::array{json::object{{"role", "system"}, {"content", "Be brief."}},
                               json::object{{"role", "user"}, {"content", user}}}}});
  auto r = http.Send("POST", "/chat/completions", body, {"Content-Type: application/json"});
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : client::HttpResult{};
}

TEST(FakeLlmTest, ServesCallsAtOnceCountsThemAndAnswersAsTold) {
  FakeLlm llm;
  llm.SetLatency(500);
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&llm, i] { AskFake(llm, "m1", "hello " + std::to_string(i)); });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(llm.max_in_flight("m1"), 6);
  EXPECT_EQ(llm.max_in_flight(), 6);
  EXPECT_EQ(llm.in_flight(), 0);
  EXPECT_EQ(llm.requests_for("m1", "hello"), 6);
  EXPECT_EQ(llm.requests_for("m2"), 0);
  llm.SetLatency(0);

  // Usage, and OpenAI-style annotations (a file_citation among them).
  llm.CiteWith("m1", CitationStyle::kOpenAi);
  auto answer = Json(AskFake(llm, "m1", "which is the best tool?"));
  std::string content = Text(answer, "choices.0.message.content");
  LlmUsage usage = FakeLlm::UsageFor("Be brief.", "which is the best tool?", content);
  EXPECT_EQ(Int(answer, "usage.prompt_tokens"), usage.prompt_tokens);
  EXPECT_EQ(Int(answer, "usage.completion_tokens"), usage.completion_tokens);
  EXPECT_EQ(Int(answer, "usage.total_tokens"), usage.prompt_tokens + usage.completion_tokens);
  EXPECT_EQ(llm.log().back().usage.completion_tokens, usage.completion_tokens);
  EXPECT_EQ(Text(answer, "choices.0.message.annotations.0.type"), "url_citation");
  EXPECT_EQ(Text(answer, "choices.0.message.annotations.0.url_citation.url"),
            FakeLlm::SourcesOf(CitationStyle::kOpenAi)[0].url);
  EXPECT_EQ(Text(answer, "choices.0.message.annotations.2.type"), "file_citation");
  // Perplexity-style citations and search results.
  llm.CiteWith("m2", CitationStyle::kPerplexity);
  auto cited = Json(AskFake(llm, "m2", "anything"));
  EXPECT_EQ(Array(cited, "citations").size(), 3u);
  EXPECT_EQ(Array(cited, "search_results").size(), 2u);
  EXPECT_EQ(Text(cited, "search_results.1.title"), "Analytics ranking 2026");
  // Scripted statuses, sequences and content filters.
  llm.RespondStatus("refuse me", 400, FakeLlm::ErrorBody("content filtered", "content_filter"),
                    "m1");
  auto refused = AskFake(llm, "m1", "please refuse me");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(Text(Json(refused), "error.code"), "content_filter");
  EXPECT_EQ(AskFake(llm, "m2", "please refuse me").status, 200);  // another model
  llm.ScriptSequence("seq", {"one", "two"}, "m2");
  EXPECT_EQ(Text(Json(AskFake(llm, "m2", "seq")), "choices.0.message.content"), "one");
  EXPECT_EQ(Text(Json(AskFake(llm, "m2", "seq")), "choices.0.message.content"), "two");
  EXPECT_EQ(Text(Json(AskFake(llm, "m2", "seq")), "choices.0.message.content"), "one");
  llm.FilterContent("filter me");
  EXPECT_EQ(Text(Json(AskFake(llm, "m2", "filter me")), "choices.0.finish_reason"),
            "content_filter");
  llm.SetUsage("m3", 7, 1'000'000);
  EXPECT_EQ(Int(Json(AskFake(llm, "m3", "x")), "usage.completion_tokens"), 1'000'000);
  // A throttle per model: 2 per second, then 429 with Retry-After.
  llm.ThrottleBeyond(2, 1000, 1, "m4");
  EXPECT_EQ(AskFake(llm, "m4", "a").status, 200);
  EXPECT_EQ(AskFake(llm, "m4", "b").status, 200);
  auto throttled = AskFake(llm, "m4", "c");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("retry-after").value_or(""), "1");
  EXPECT_EQ(AskFake(llm, "m1", "d").status, 200);  // other models are not throttled
  ASSERT_EQ(llm.throttled("m4").size(), 1u);
  EXPECT_EQ(llm.throttled("m4")[0].retry_after_ms, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1050));
  EXPECT_EQ(AskFake(llm, "m4", "e").status, 200);  // a new window
}

// --- Concurrency.

TEST_F(BrandRunsTest, CallsRunConcurrentlyWithinTheLimitOfEachEndpoint) {
  llm_.SetLatency(300);
  Start({{"RAPPORT_LLM_CONCURRENCY", "4"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(8));
  auto started = Clock::now();
  auto job = RunToEnd(schedule);
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(Int(job, "total"), 16);  // 8 prompts x 2 platforms x 1 sample
  EXPECT_EQ(Int(job, "completed"), 16);
  EXPECT_EQ(llm_.requests_for("chatgpt", "Vendor "), 8);
  EXPECT_EQ(llm_.requests_for("claude", "Vendor "), 8);
  // Two platforms, two models: two endpoints of the same base URL, each with its own window.
  for (const char* model : {"chatgpt", "claude"}) {
    SCOPED_TRACE(model);
    EXPECT_GT(llm_.max_in_flight(model), 1) << "calls of one endpoint ran one after another";
    EXPECT_LE(llm_.max_in_flight(model), 4) << "more than llm.concurrency in flight";
  }
  EXPECT_LE(llm_.max_in_flight(), 8);
  RecordProperty("wall_ms", static_cast<int>(wall.count()));  // sequential: 16 x 300 ms = 4.8 s
  RecordProperty("max_in_flight", llm_.max_in_flight());
  auto report = Report(job);
  EXPECT_EQ(Int(report, "methodology_version"), 2);
  EXPECT_EQ(Int(report, "samples_per_prompt"), 1);
  EXPECT_EQ(Int(report, "answers_count"), 16);
  EXPECT_EQ(Int(report, "answers_failed"), 0);
  EXPECT_TRUE(At(report, "usage.cost").is_null()) << "no llm.prices: cost null";
}

TEST_F(BrandRunsTest, TheProcessLimitCapsCallsAcrossEndpoints) {
  llm_.SetLatency(250);
  Start({{"RAPPORT_LLM_CONCURRENCY", "4"}, {"RAPPORT_LLM_MAX_IN_FLIGHT", "3"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(6));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_LE(llm_.max_in_flight(), 3) << "more than llm.max_in_flight in the process";
  EXPECT_GT(llm_.max_in_flight(), 1);
}

TEST_F(BrandRunsTest, APlatformsOwnConcurrencyOverridesTheDefault) {
  llm_.SetLatency(200);
  Start({{"RAPPORT_LLM_CONCURRENCY", "4"},
         {"RAPPORT_LLM_PLATFORMS", "claude=" + llm_.base_url() + "|claude-sonnet||concurrency=1"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(6));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(llm_.requests_for("claude-sonnet", "Vendor "), 6);
  EXPECT_EQ(llm_.max_in_flight("claude-sonnet"), 1) << "concurrency=1 of claude ignored";
  EXPECT_GT(llm_.max_in_flight("chatgpt"), 1);
  EXPECT_LE(llm_.max_in_flight("chatgpt"), 4);
  auto results = Results(Report(job), "Vendor 02:", "claude");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(Text(results[0], "model"), "claude-sonnet");
}

TEST_F(BrandRunsTest, A429PausesItsEndpointForRetryAfterAndTheRunCompletes) {
  llm_.SetLatency(100);
  // Per model: 3 answers per 2 s window, then 429 "Retry-After: 2" (honest: the window is over
  // when the client may come back).
  llm_.ThrottleBeyond(3, 2000, 2);
  Start({{"RAPPORT_LLM_CONCURRENCY", "4"}, {"RAPPORT_LLM_MAX_RETRIES", "10"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(6));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  auto report = Report(job);
  EXPECT_EQ(Int(report, "answers_count"), 12);
  EXPECT_EQ(Int(report, "answers_failed"), 0);
  auto log = llm_.log();
  for (const char* model : {"chatgpt", "claude"}) {
    SCOPED_TRACE(model);
    auto throttled = llm_.throttled(model);
    EXPECT_FALSE(throttled.empty()) << "the provider never throttled: the test proves nothing";
    // Calls already on their way when the 429 left the provider may arrive just after it; any
    // later call before Retry-After elapsed ignored the pause.
    constexpr int64_t kOnTheWayMs = 250;
    for (const auto& t : throttled) {
      for (const auto& r : log) {
        if (r.model != model) continue;
        if (r.arrived_ms > t.answered_ms + kOnTheWayMs &&
            r.arrived_ms < t.answered_ms + t.retry_after_ms - 5) {
          ADD_FAILURE() << "a call arrived " << r.arrived_ms - t.answered_ms
                        << " ms after a 429 with Retry-After " << t.retry_after_ms / 1000 << " s";
        }
      }
    }
    int answered = 0;
    for (const auto& r : log) answered += r.model == model && r.status == 200;
    EXPECT_EQ(answered, 6) << "each answer paid once";
  }
}

TEST_F(BrandRunsTest, ARequestBudgetPerMinuteSpacesTheCalls) {
  // claude may make 6 requests a minute (a token bucket, as providers count): a minute's budget
  // at once, then one every 10 s.
  llm_.SetLatency(50);
  Start({{"RAPPORT_LLM_CONCURRENCY", "8"},
         {"RAPPORT_LLM_PLATFORMS", "claude=" + llm_.base_url() + "|claude-haiku||rpm=6"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(7));
  auto started = Clock::now();
  auto job = RunToEnd(schedule);
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(llm_.requests_for("claude-haiku", "Vendor "), 7);
  std::vector<int64_t> arrivals;
  for (const auto& r : llm_.log()) {
    if (r.model == "claude-haiku") arrivals.push_back(r.arrived_ms);
  }
  ASSERT_EQ(arrivals.size(), 7u);
  std::sort(arrivals.begin(), arrivals.end());
  EXPECT_LT(arrivals[5] - arrivals[0], 2000) << "the first six go at once";
  EXPECT_GE(arrivals[6] - arrivals[0], 9'500) << "the seventh waits for the budget to refill";
  EXPECT_GE(seconds, 9.5);
  // chatgpt has no budget: its calls were not held behind claude's.
  std::vector<int64_t> chatgpt;
  for (const auto& r : llm_.log()) {
    if (r.model == "chatgpt") chatgpt.push_back(r.arrived_ms);
  }
  ASSERT_EQ(chatgpt.size(), 7u);
  EXPECT_LT(*std::max_element(chatgpt.begin(), chatgpt.end()) - arrivals[0], 2000);
  EXPECT_EQ(Int(Report(job), "answers_count"), 14);
}

// --- Failed answers.

TEST_F(BrandRunsTest, ARefusedAnswerIsRecordedAsFailedAndLeftOutOfTheRates) {
  // claude refuses prompt 03 (400, a content filter) and keeps failing prompt 09 (503, retries
  // exhausted); chatgpt answers prompt 05 with nothing and filters prompt 07. 2 of 11 failed
  // per platform (18 %): under llm.max_failed_share.
  llm_.RespondStatus(
      Key("Prompt", 3), 400,
      FakeLlm::ErrorBody("content filtered by the provider's policy", "content_filter"), "claude");
  llm_.RespondStatus(Key("Prompt", 9), 503,
                     FakeLlm::ErrorBody("the engine is overloaded", "overloaded", "server_error"),
                     "claude");
  llm_.Script(Key("Prompt", 5), "", "chatgpt");
  llm_.FilterContent(Key("Prompt", 7), "chatgpt");
  Start({{"RAPPORT_LLM_MAX_RETRIES", "1"}});
  std::string schedule = Setup({"chatgpt", "claude"}, Prompts(11));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(Int(job, "attempts"), 1);
  EXPECT_EQ(Int(job, "result.answers_failed"), 4);
  // A refusal is not asked again; a 5xx is retried llm.max_retries times.
  EXPECT_EQ(llm_.requests_for("claude", Key("Prompt", 3)), 1);
  EXPECT_EQ(llm_.requests_for("claude", Key("Prompt", 9)), 2);
  EXPECT_EQ(llm_.requests_for("chatgpt", Key("Prompt", 5)), 1);
  EXPECT_EQ(llm_.requests_for("chatgpt", Key("Prompt", 7)), 1);

  auto report = Report(job);
  EXPECT_EQ(Int(report, "answers_failed"), 4);
  EXPECT_EQ(Int(report, "answers_count"), 18);
  // Prompt 01 names the brand on both platforms: 2 of the 18 answered samples.
  EXPECT_EQ(Int(report, "visibility.n"), 18);
  EXPECT_EQ(Int(report, "visibility.successes"), 2);
  EXPECT_DOUBLE_EQ(Number(report, "visibility.rate"), 11.1);
  const auto& platforms = Array(report, "platforms");
  for (const char* name : {"chatgpt", "claude"}) {
    SCOPED_TRACE(name);
    const auto& row = Row(platforms, "platform", name);
    EXPECT_EQ(Int(row, "failed"), 2);
    EXPECT_EQ(Int(row, "n"), 9);  // 11 prompts - 2 failed
    EXPECT_EQ(Int(row, "successes"), 1);
    EXPECT_DOUBLE_EQ(Number(row, "rate"), 11.1);
  }
  int64_t category_n = 0;
  for (const auto& c : Array(report, "categories")) category_n += Int(c, "n");
  EXPECT_EQ(category_n, 18);

  auto refused = Results(report, Key("Prompt", 3), "claude");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(Text(refused[0], "status"), "failed");
  EXPECT_EQ(Int(refused[0], "sample"), 1);
  EXPECT_NE(Text(refused[0], "error").find("content filtered by the provider's policy"),
            std::string::npos);
  EXPECT_TRUE(At(refused[0], "brand_appears").is_null());
  EXPECT_TRUE(At(refused[0], "answer").is_null());
  auto exhausted = Results(report, Key("Prompt", 9), "claude");
  ASSERT_EQ(exhausted.size(), 1u);
  EXPECT_EQ(Text(exhausted[0], "status"), "failed");
  EXPECT_NE(Text(exhausted[0], "error").find("503"), std::string::npos);
  for (int prompt : {5, 7}) {
    auto failed = Results(report, Key("Prompt", prompt), "chatgpt");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(Text(failed[0], "status"), "failed") << prompt;
    EXPECT_FALSE(Text(failed[0], "error").empty()) << prompt;
    EXPECT_TRUE(At(failed[0], "brand_appears").is_null()) << prompt;
  }
  auto fine = Results(report, Key("Prompt", 3), "chatgpt");
  ASSERT_EQ(fine.size(), 1u);
  EXPECT_EQ(Text(fine[0], "status"), "answered");
  EXPECT_TRUE(At(fine[0], "error").is_null());
  EXPECT_TRUE(At(fine[0], "brand_appears").is_bool());
  // The failed sample is no sample of the prompt's stability.
  const auto& stability = Array(PromptEntry(report, Key("Prompt", 3)), "stability");
  EXPECT_EQ(Int(Row(stability, "platform", "claude"), "samples"), 0);
  EXPECT_TRUE(At(Row(stability, "platform", "claude"), "stability").is_null());
  EXPECT_EQ(Int(Row(stability, "platform", "chatgpt"), "samples"), 1);
}

TEST_F(BrandRunsTest, MoreThanTheMaxFailedShareFailsTheRunNamingThePlatform) {
  llm_.RespondStatus(Key("Prompt", 2), 400,
                     FakeLlm::ErrorBody("content filtered", "content_filter"), "claude");
  llm_.RespondStatus(Key("Prompt", 4), 400,
                     FakeLlm::ErrorBody("content filtered", "content_filter"), "claude");
  Start();  // llm.max_failed_share: 20 % by default; 2 of 5 is 40 %
  std::string schedule = Setup({"chatgpt", "claude"}, Prompts(5));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "failed") << json::serialize(job);
  std::string message = Text(job, "result.error.message");
  EXPECT_NE(message.find("claude"), std::string::npos) << message;
  EXPECT_EQ(message.find("chatgpt"), std::string::npos) << message;
  EXPECT_NE(message.find("2 of 5"), std::string::npos) << message;
  EXPECT_NE(message.find("llm.max_failed_share"), std::string::npos) << message;
  EXPECT_NE(message.find("content filtered"), std::string::npos) << message;
  EXPECT_EQ(ReportsOfBrand(), 0u);

  // Exactly the share is not more than it: "40%" lets the same run complete.
  Start({{"RAPPORT_LLM_MAX_FAILED_SHARE", "40%"}});
  schedule = Setup({"chatgpt", "claude"}, Prompts(5));
  job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(Int(Report(job), "answers_failed"), 2);
}

TEST_F(BrandRunsTest, APlatformThatCannotAnswerFailsTheRunAtOnce) {
  llm_.SetLatency(200);  // every call the engine may start is in flight before the first 401
  llm_.RespondStatus("", 401,
                     FakeLlm::ErrorBody("Incorrect API key provided: sk-t***", "invalid_api_key"),
                     "claude");
  llm_.RespondStatus("", 400,
                     FakeLlm::ErrorBody("The model `perplexity` does not exist", "model_not_found"),
                     "perplexity");
  Start({{"RAPPORT_LLM_CONCURRENCY", "2"}});
  CreateBrand();
  std::string with_claude = CreateSchedule();
  CreateConfig(with_claude, {"chatgpt", "claude"}, Prompts(6));
  std::string with_perplexity = CreateSchedule();
  CreateConfig(with_perplexity, {"chatgpt", "perplexity"}, Prompts(6));

  auto job = RunToEnd(with_claude);
  ASSERT_EQ(Text(job, "status"), "failed") << json::serialize(job);
  EXPECT_EQ(Int(job, "attempts"), 1) << "a platform that cannot answer is not tried again";
  std::string message = Text(job, "result.error.message");
  EXPECT_NE(message.find("claude"), std::string::npos) << message;
  EXPECT_NE(message.find("Incorrect API key provided"), std::string::npos) << message;
  EXPECT_GE(llm_.requests_for("claude"), 1);
  EXPECT_LE(llm_.requests_for("claude"), 2) << "asked on after a 401";

  job = RunToEnd(with_perplexity);
  ASSERT_EQ(Text(job, "status"), "failed") << json::serialize(job);
  EXPECT_EQ(Int(job, "attempts"), 1);
  message = Text(job, "result.error.message");
  EXPECT_NE(message.find("perplexity"), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_LE(llm_.requests_for("perplexity"), 2) << "asked on after model_not_found";
  EXPECT_EQ(ReportsOfBrand(), 0u);
}

// --- Samples.

TEST_F(BrandRunsTest, EachPromptIsAskedSamplesPerPromptTimesPerPlatform) {
  // Successive samples of one prompt differ: chatgpt names Acme in 1 of 3, claude in 2 of 3.
  const std::string named = "Acme Analytics is a solid pick for this.";
  const std::string other = "Initech is a solid pick for this.";
  llm_.ScriptSequence("Sampled question", {named, other, other}, "chatgpt");
  llm_.ScriptSequence("Sampled question", {named, named, other}, "claude");
  Start({{"RAPPORT_LLM_JUDGE_PLATFORM", "judge"}});
  CreateBrand();
  for (const char* bad : {"0", "11", "\"3\""}) {
    auto r =
        api_->Post("/v1/scheduled-reports",
                   R"({"brand_id":")" + brand_ +
                       R"(","name":"x","frequency":"weekly","samples_per_prompt":)" + bad + "}");
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
  }
  std::string schedule = CreateSchedule(R"(,"samples_per_prompt":3)");
  EXPECT_EQ(Int(Json(api_->Get("/v1/scheduled-reports/" + schedule)), "samples_per_prompt"), 3);
  std::string inherits = CreateConfig(
      schedule, {"chatgpt", "claude"},
      {"Sampled question: which dashboard tool?", "Plain question: which vendor do you use?"});
  std::string overrides =
      CreateConfig(schedule, {"chatgpt", "claude"}, {"Override question: which BI tool?"},
                   R"(,"samples_per_prompt":2)", "Austria");
  EXPECT_TRUE(
      At(Json(api_->Get("/v1/region-configs/" + inherits)), "samples_per_prompt").is_null());
  EXPECT_EQ(Int(Json(api_->Get("/v1/region-configs/" + overrides)), "samples_per_prompt"), 2);
  auto bad = api_->Send("PATCH", "/v1/region-configs/" + overrides, R"({"samples_per_prompt":0})");
  EXPECT_EQ(bad.status, 422) << bad.body;

  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(Int(job, "total"), 16);  // 2 prompts x 2 platforms x 3 + 1 x 2 x 2
  EXPECT_EQ(Int(job, "completed"), 16);
  for (const char* model : {"chatgpt", "claude"}) {
    SCOPED_TRACE(model);
    EXPECT_EQ(llm_.requests_for(model, "Sampled question"), 3);
    EXPECT_EQ(llm_.requests_for(model, "Plain question"), 3);
    EXPECT_EQ(llm_.requests_for(model, "Override question"), 2);
  }
  EXPECT_EQ(llm_.requests_for("judge"), 3) << "one judgement per answer naming the brand";

  std::map<std::string, json::value> reports;
  for (size_t i = 0; i < Array(job, "result.report_ids").size(); ++i) {
    auto r = Report(job, i);
    reports[Text(r, "region_config_id")] = r;
  }
  ASSERT_EQ(reports.size(), 2u);
  const auto& a = reports[inherits];
  EXPECT_EQ(Int(a, "methodology_version"), 2);
  EXPECT_EQ(Int(a, "samples_per_prompt"), 3);
  EXPECT_EQ(Int(a, "answers_count"), 12);
  EXPECT_EQ(Int(a, "visibility.n"), 12);
  EXPECT_EQ(Int(a, "visibility.successes"), 3);
  EXPECT_EQ(Int(Row(Array(a, "platforms"), "platform", "chatgpt"), "successes"), 1);
  EXPECT_EQ(Int(Row(Array(a, "platforms"), "platform", "chatgpt"), "n"), 6);
  EXPECT_EQ(Int(Row(Array(a, "platforms"), "platform", "claude"), "successes"), 2);
  for (const char* platform : {"chatgpt", "claude"}) {
    SCOPED_TRACE(platform);
    auto results = Results(a, "Sampled question", platform);
    ASSERT_EQ(results.size(), 3u);
    for (int64_t s = 1; s <= 3; ++s) {
      EXPECT_EQ(Int(results[static_cast<size_t>(s - 1)], "sample"), s);
      EXPECT_EQ(Text(results[static_cast<size_t>(s - 1)], "status"), "answered");
    }
  }
  const auto& sampled = Array(PromptEntry(a, "Sampled question"), "stability");
  const auto& chatgpt = Row(sampled, "platform", "chatgpt");
  EXPECT_EQ(Int(chatgpt, "samples"), 3);
  EXPECT_EQ(Int(chatgpt, "appearances"), 1);
  EXPECT_DOUBLE_EQ(Number(chatgpt, "stability"), 33.3);
  const auto& claude = Row(sampled, "platform", "claude");
  EXPECT_EQ(Int(claude, "samples"), 3);
  EXPECT_EQ(Int(claude, "appearances"), 2);
  EXPECT_DOUBLE_EQ(Number(claude, "stability"), 66.7);
  const auto& plain =
      Row(Array(PromptEntry(a, "Plain question"), "stability"), "platform", "claude");
  EXPECT_EQ(Int(plain, "appearances"), 0);
  EXPECT_DOUBLE_EQ(Number(plain, "stability"), 0.0);

  const auto& b = reports[overrides];  // the region config's 2 wins over the schedule's 3
  EXPECT_EQ(Int(b, "samples_per_prompt"), 2);
  EXPECT_EQ(Int(b, "answers_count"), 4);
  auto results = Results(b, "Override question", "claude");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(Int(results[0], "sample"), 1);
  EXPECT_EQ(Int(results[1], "sample"), 2);
  EXPECT_EQ(Int(Row(Array(PromptEntry(b, "Override question"), "stability"), "platform", "chatgpt"),
                "samples"),
            2);
}

// --- Citations and usage from the provider.

TEST_F(BrandRunsTest, ProviderCitationsBecomeSourcesBesideThoseInTheText) {
  llm_.CiteWith("chatgpt", CitationStyle::kOpenAi);
  llm_.CiteWith("perplexity", CitationStyle::kPerplexity);
  Start();
  // The "best" answer cites https://acme.example.com in its text.
  std::string schedule = Setup({"chatgpt", "perplexity"}, Prompts(1));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  auto report = Report(job);
  for (auto style : {CitationStyle::kOpenAi, CitationStyle::kPerplexity}) {
    std::string platform = style == CitationStyle::kOpenAi ? "chatgpt" : "perplexity";
    SCOPED_TRACE(platform);
    auto results = Results(report, Key("Prompt", 1), platform);
    ASSERT_EQ(results.size(), 1u);
    const auto& sources = Array(results[0], "sources");
    std::map<std::string, json::value> provided;
    int from_text = 0;
    for (const auto& s : sources) {
      std::string origin = Text(s, "origin");
      if (origin == "provider") {
        provided[Text(s, "url")] = s;
      } else {
        EXPECT_EQ(origin, "answer") << json::serialize(s);
        EXPECT_EQ(Text(s, "domain"), "acme.example.com");
        EXPECT_TRUE(Text(s, "url").starts_with("https://acme.example.com"));
        EXPECT_TRUE(At(s, "title").is_null()) << "a URL in the text has no title";
        ++from_text;
      }
    }
    EXPECT_EQ(from_text, 1) << json::serialize(sources);
    auto expected = FakeLlm::SourcesOf(style);
    EXPECT_EQ(provided.size(), expected.size()) << json::serialize(sources);  // merged, no dups
    std::set<std::string> domains;
    for (const auto& d : Array(results[0], "citations")) domains.insert(std::string(d.as_string()));
    for (const auto& e : expected) {
      SCOPED_TRACE(e.url);
      ASSERT_TRUE(provided.contains(e.url)) << json::serialize(sources);
      const auto& s = provided[e.url];
      if (e.title.empty()) {
        EXPECT_TRUE(At(s, "title").is_null());
      } else {
        EXPECT_EQ(Text(s, "title"), e.title);
      }
      std::string domain = e.url.substr(8, e.url.find('/', 8) - 8);
      EXPECT_EQ(Text(s, "domain"), domain);
      EXPECT_TRUE(domains.contains(domain)) << "a provider citation is a citation of the answer";
    }
    EXPECT_TRUE(domains.contains("acme.example.com"));
    EXPECT_EQ(json::serialize(sources).find("file-not-a-source"), std::string::npos);
  }
}

TEST_F(BrandRunsTest, UsageIsTheProvidersCountedPerAnswerPlatformJudgeAndRunAndPriced) {
  llm_.SetLatency(50);
  Start({{"RAPPORT_LLM_JUDGE_PLATFORM", "judge"},
         {"RAPPORT_LLM_PRICES", "chatgpt=20000|60000;claude=30000|150000;judge=10000|20000"}});
  CreateBrand();
  std::string schedule = CreateSchedule();
  // Region A: 3 prompts on 2 platforms, the first names the brand (2 judgements). Region B: one
  // prompt on chatgpt, no judgement.
  std::string config_a = CreateConfig(schedule, {"chatgpt", "claude"}, Prompts(3));
  std::string config_b = CreateConfig(schedule, {"chatgpt"},
                                      {"Region B prompt: which vendor do you use?"}, "", "Austria");
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);

  struct Expect {
    LlmUsage usage;
    double cost = 0;
  };
  std::map<std::string, std::pair<double, double>> prices = {
      {"chatgpt", {20000, 60000}}, {"claude", {30000, 150000}}, {"judge", {10000, 20000}}};
  // What the fake answered, by (region, model).
  std::map<std::pair<std::string, std::string>, Expect> expected;
  auto log = llm_.log();
  for (const auto& r : log) {
    ASSERT_EQ(r.status, 200);
    std::string region = r.user.find("Region B prompt") != std::string::npos ? "B" : "A";
    auto& e = expected[{region, r.model}];
    e.usage.calls += 1;
    e.usage.prompt_tokens += r.usage.prompt_tokens;
    e.usage.completion_tokens += r.usage.completion_tokens;
    e.cost += (static_cast<double>(r.usage.prompt_tokens) * prices[r.model].first +
               static_cast<double>(r.usage.completion_tokens) * prices[r.model].second) /
              1e6;
  }
  ASSERT_EQ(expected[std::make_pair(std::string("A"), std::string("judge"))].usage.calls, 2);
  ASSERT_EQ(log.size(), 9u);  // 6 + 1 answers, 2 judgements

  auto check = [](const json::value& usage, const Expect& e, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(Int(usage, "calls"), e.usage.calls);
    EXPECT_EQ(Int(usage, "prompt_tokens"), e.usage.prompt_tokens);
    EXPECT_EQ(Int(usage, "completion_tokens"), e.usage.completion_tokens);
    EXPECT_NEAR(Number(usage, "cost"), e.cost, 0.01);
  };
  auto sum = [&](const std::string& region, const std::vector<std::string>& models) {
    Expect total;
    for (const auto& m : models) {
      const auto& e = expected[{region, m}];
      total.usage.calls += e.usage.calls;
      total.usage.prompt_tokens += e.usage.prompt_tokens;
      total.usage.completion_tokens += e.usage.completion_tokens;
      total.cost += e.cost;
    }
    return total;
  };
  std::map<std::string, json::value> reports;
  for (size_t i = 0; i < Array(job, "result.report_ids").size(); ++i) {
    auto r = Report(job, i);
    reports[Text(r, "region_config_id")] = r;
  }
  ASSERT_EQ(reports.size(), 2u);
  const auto& a = reports[config_a];
  check(Row(Array(a, "usage.platforms"), "platform", "chatgpt"), sum("A", {"chatgpt"}),
        "A chatgpt");
  check(Row(Array(a, "usage.platforms"), "platform", "claude"), sum("A", {"claude"}), "A claude");
  EXPECT_EQ(Text(Row(Array(a, "usage.platforms"), "platform", "claude"), "model"), "claude");
  check(At(a, "usage.judge"), sum("A", {"judge"}), "A judge");
  // The report's totals are everything its run paid for in this region, the judge included.
  check(At(a, "usage"), sum("A", {"chatgpt", "claude", "judge"}), "A total");
  const auto& b = reports[config_b];
  check(At(b, "usage"), sum("B", {"chatgpt"}), "B total");
  EXPECT_EQ(Int(b, "usage.judge.calls"), 0);
  // The run: both regions.
  Expect run = sum("A", {"chatgpt", "claude", "judge"});
  Expect run_b = sum("B", {"chatgpt"});
  run.usage.calls += run_b.usage.calls;
  run.usage.prompt_tokens += run_b.usage.prompt_tokens;
  run.usage.completion_tokens += run_b.usage.completion_tokens;
  run.cost += run_b.cost;
  check(At(job, "result.usage"), run, "job result");
  EXPECT_EQ(Int(job, "result.answers_failed"), 0);

  // Each answer carries its own usage and latency.
  for (const auto& r : log) {
    if (r.model == "judge") continue;
    const auto& report = r.user.find("Region B") != std::string::npos ? b : a;
    auto results = Results(report, r.user, r.model);
    ASSERT_EQ(results.size(), 1u) << r.user;
    EXPECT_EQ(Int(results[0], "usage.prompt_tokens"), r.usage.prompt_tokens) << r.user;
    EXPECT_EQ(Int(results[0], "usage.completion_tokens"), r.usage.completion_tokens) << r.user;
    EXPECT_GE(Int(results[0], "latency_ms"), 50) << r.user;
  }

  // /metrics counts tokens per model and kind.
  std::string metrics = api_->Get("/metrics").body;
  for (const char* model : {"chatgpt", "claude", "judge"}) {
    SCOPED_TRACE(model);
    LlmUsage u = llm_.usage_for(model);
    std::string label = "model=\"" + std::string(model) + "\"";
    EXPECT_EQ(Metric(metrics, "rapport_llm_tokens_total", {label, "kind=\"prompt\""}),
              static_cast<double>(u.prompt_tokens))
        << metrics;
    EXPECT_EQ(Metric(metrics, "rapport_llm_tokens_total", {label, "kind=\"completion\""}),
              static_cast<double>(u.completion_tokens));
  }
}

TEST_F(BrandRunsTest, MaxTokensPerRunRefusesARunOverItsEstimateAndStopsOneThatExceedsIt) {
  Start({{"RAPPORT_LLM_MAX_TOKENS_PER_RUN", "10"}});
  std::string schedule = Setup({"chatgpt", "claude"}, Prompts(5));
  auto refused = api_->Post("/v1/scheduled-reports/" + schedule + "/executions", "{}");
  ASSERT_EQ(refused.status, 422) << refused.body;
  auto body = Json(refused);
  EXPECT_GT(Int(body, "error.details.estimated_tokens"), 10) << refused.body;
  EXPECT_NE(Text(body, "error.message").find("llm.max_tokens_per_run"), std::string::npos)
      << refused.body;
  // Nothing enqueued, nothing asked.
  EXPECT_TRUE(Array(Json(api_->Get("/v1/jobs")), "data").empty());
  EXPECT_TRUE(
      Array(Json(api_->Get("/v1/scheduled-reports/" + schedule + "/runs")), "data").empty());
  EXPECT_EQ(llm_.requests(), 0);

  // A run estimated under the budget whose answers turn out far longer: it stops and fails.
  llm_.SetLatency(100);
  llm_.SetUsage("chatgpt", 50, 1'000'000);
  llm_.SetUsage("claude", 50, 1'000'000);
  Start({{"RAPPORT_LLM_MAX_TOKENS_PER_RUN", "200000"}, {"RAPPORT_LLM_CONCURRENCY", "1"}});
  schedule = Setup({"chatgpt", "claude"}, VendorPrompts(5));
  auto job = RunToEnd(schedule);
  ASSERT_EQ(Text(job, "status"), "failed") << json::serialize(job);
  EXPECT_NE(Text(job, "result.error.message").find("llm.max_tokens_per_run"), std::string::npos);
  EXPECT_LE(llm_.requests_for("", "Vendor "), 4) << "asked on past the budget";
  EXPECT_EQ(ReportsOfBrand(), 0u);
}

// --- Cancellation and crashes.

TEST_F(BrandRunsTest, CancellingARunStopsItsCallsWithinASecond) {
  llm_.SetLatency(5000);
  Start({{"RAPPORT_LLM_CONCURRENCY", "4"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(12));
  std::string job_id = Run(schedule);
  ASSERT_TRUE(WaitFor([&] { return llm_.in_flight() >= 1; }, 15)) << "no call started";
  auto deleted = api_->Send("DELETE", "/v1/jobs/" + job_id);
  auto asked = Clock::now();
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  json::value job;
  bool cancelled = WaitFor(
      [&] {
        job = Json(api_->Get("/v1/jobs/" + job_id));
        return Text(job, "status") == "cancelled";
      },
      5);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
  ASSERT_TRUE(cancelled) << json::serialize(job);
  EXPECT_LE(took.count(), 1500) << "cancelled " << took.count() << " ms after the DELETE";
  // The calls in flight were given up: when they would have answered, nothing more is asked.
  int at_cancel = llm_.requests();
  std::this_thread::sleep_for(std::chrono::milliseconds(5500));
  EXPECT_EQ(llm_.requests(), at_cancel) << "calls went on after the cancellation";
  EXPECT_EQ(Text(Json(api_->Get("/v1/jobs/" + job_id)), "status"), "cancelled");
  EXPECT_EQ(ReportsOfBrand(), 0u);
}

TEST_F(BrandRunsTest, SigkillMidRunAsksOnlyTheMissingAnswersAfterTheRestart) {
  llm_.SetLatency(600);
  // A short lease in both lives: the dead process's job returns soon, and the living one must
  // keep its lease alive through a run longer than the lease.
  Start({{"RAPPORT_LLM_CONCURRENCY", "2"}, {"RAPPORT_JOB_LEASE_SECONDS", "2"}});
  std::string schedule = Setup({"chatgpt", "claude"}, VendorPrompts(10));
  std::string job_id = Run(schedule);
  json::value job;
  ASSERT_TRUE(WaitFor(
      [&] {
        job = Json(api_->Get("/v1/jobs/" + job_id));
        return At(job, "completed").is_number() && Int(job, "completed") >= 10;
      },
      30))
      << json::serialize(job);
  server_->Kill();
  ASSERT_LT(Int(job, "completed"), 20) << "the run ended before the kill";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // calls already sent arrive
  int asked_before = llm_.requests();
  int stored =
      std::stoi("0" + Sql(server_->database_url(),
                          "SELECT COUNT(*) FROM brand_answers WHERE job_id = '" + job_id + "'"));
  RecordProperty("asked_before_kill", asked_before);
  RecordProperty("stored_at_kill", stored);
  EXPECT_GE(stored, 10) << "progress said 10 answers, fewer were stored";

  server_->Start();
  api_.emplace(*server_, Token("t1"));
  job = WaitJob(job_id, 60);
  ASSERT_EQ(Text(job, "status"), "completed") << json::serialize(job);
  EXPECT_EQ(Int(job, "attempts"), 2);
  EXPECT_EQ(Int(job, "completed"), 20);
  EXPECT_EQ(Int(job, "total"), 20);
  // The restarted process asked exactly what was not stored; in all, at most the 20 answers
  // plus the calls in flight at the kill (concurrency 2 x 2 endpoints).
  EXPECT_EQ(llm_.requests() - asked_before, 20 - stored);
  EXPECT_LE(llm_.requests(), 20 + 4);
  for (int i = 1; i <= 10; ++i) {
    for (const char* model : {"chatgpt", "claude"}) {
      EXPECT_GE(llm_.requests_for(model, Key("Vendor", i)), 1) << model << " " << i;
    }
  }
  // One report per region config, built from all 20 stored answers.
  ASSERT_EQ(Array(job, "result.report_ids").size(), 1u);
  EXPECT_EQ(ReportsOfBrand(), 1u);
  EXPECT_EQ(
      Sql(server_->database_url(), "SELECT COUNT(*) FROM reports WHERE job_id = '" + job_id + "'"),
      "1");
  EXPECT_EQ(Sql(server_->database_url(),
                "SELECT COUNT(*) FROM brand_answers WHERE job_id = '" + job_id + "'"),
            "20");
  auto report = Report(job);
  EXPECT_EQ(Int(report, "answers_count"), 20);
  EXPECT_EQ(Int(report, "answers_failed"), 0);
}

}  // namespace
}  // namespace rapport::testing
