#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/llm_client.hpp>

#include "llm_limiter.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdlib>

namespace rapport {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = LlmLimiter::Clock;

LlmEndpoint Endpoint(int concurrency, int64_t rpm = 0, int64_t tpm = 0) {
  LlmEndpoint e{"http://provider/v1", "model-a", "", concurrency, rpm, tpm};
  return e;
}

TEST(LlmLimiter, BoundsCallsInFlightPerEndpointAndPerProcess) {
  LlmLimiter limiter(3);
  auto now = Clock::now();
  LlmEndpoint a = Endpoint(2);
  LlmEndpoint b = Endpoint(2);
  b.model = "model-b";
  EXPECT_FALSE(limiter.TryStart(a, 10, now));
  EXPECT_FALSE(limiter.TryStart(a, 10, now));
  EXPECT_TRUE(limiter.TryStart(a, 10, now));  // a's window is full
  EXPECT_FALSE(limiter.TryStart(b, 10, now));
  EXPECT_TRUE(limiter.TryStart(b, 10, now));  // the process holds 3
  limiter.End(a, LlmLimiter::Ended::kSuccess, now, {}, 10, 5, 5, now);
  EXPECT_FALSE(limiter.TryStart(b, 10, now));
}

TEST(LlmLimiter, AnEndedCallWakesTheBatchesWaitingForASlotUntilTheyLeave) {
  LlmLimiter limiter(1);
  auto now = Clock::now();
  LlmEndpoint e = Endpoint(1);
  int woken = 0;
  limiter.Watch(&woken, [](void* count) { ++*static_cast<int*>(count); });
  ASSERT_FALSE(limiter.TryStart(e, 1, now));
  limiter.End(e, LlmLimiter::Ended::kSuccess, now, {}, 1, 0, 0, now);
  EXPECT_EQ(woken, 1);
  limiter.Unwatch(&woken);
  ASSERT_FALSE(limiter.TryStart(e, 1, now));
  limiter.End(e, LlmLimiter::Ended::kSuccess, now, {}, 1, 0, 0, now);
  EXPECT_EQ(woken, 1);
}

TEST(LlmLimiter, A429HalvesTheWindowOncePerRoundPausesAndSuccessesRestoreIt) {
  LlmLimiter limiter(64);
  LlmEndpoint e = Endpoint(8);
  auto t0 = Clock::now();
  for (int i = 0; i < 8; ++i) ASSERT_FALSE(limiter.TryStart(e, 1, t0));
  auto t1 = t0 + milliseconds(100);
  // Every call of the round comes back 429: one decrease, and the endpoint pauses 2 s.
  for (int i = 0; i < 8; ++i) {
    limiter.End(e, LlmLimiter::Ended::kRateLimited, t0, seconds(2), 1, 0, 0, t1);
  }
  EXPECT_DOUBLE_EQ(limiter.Observe(e).window, 4.0);
  auto paused = limiter.TryStart(e, 1, t1 + seconds(1));
  ASSERT_TRUE(paused);
  EXPECT_EQ(*paused, t1 + seconds(2));
  // After the pause, at most 4 in flight.
  auto t2 = t1 + seconds(2);
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(limiter.TryStart(e, 1, t2));
  EXPECT_TRUE(limiter.TryStart(e, 1, t2));
  // A call started after the decrease and refused again halves once more.
  limiter.End(e, LlmLimiter::Ended::kRateLimited, t2, {}, 1, 0, 0, t2 + milliseconds(10));
  EXPECT_DOUBLE_EQ(limiter.Observe(e).window, 2.0);
  // Successes grow it back by 1/window each, never above the configured concurrency.
  for (int i = 0; i < 200; ++i) {
    limiter.End(e, LlmLimiter::Ended::kSuccess, t2, {}, 1, 1, 1, t2 + seconds(1));
  }
  EXPECT_DOUBLE_EQ(limiter.Observe(e).window, 8.0);
}

TEST(LlmLimiter, RequestAndTokenBudgetsPerMinute) {
  LlmLimiter limiter(64);
  LlmEndpoint e = Endpoint(100, /*rpm=*/60, /*tpm=*/0);
  auto t0 = Clock::now();
  for (int i = 0; i < 60; ++i) {
    ASSERT_FALSE(limiter.TryStart(e, 1, t0)) << i;
    limiter.End(e, LlmLimiter::Ended::kSuccess, t0, {}, 1, 0, 0, t0);
  }
  auto next = limiter.TryStart(e, 1, t0);
  ASSERT_TRUE(next);  // the minute's budget is spent: one request a second refills
  EXPECT_NEAR(std::chrono::duration<double>(*next - t0).count(), 1.0, 0.01);
  EXPECT_FALSE(limiter.TryStart(e, 1, t0 + seconds(1)));

  LlmEndpoint t = Endpoint(100, 0, /*tpm=*/1000);
  t.model = "model-t";
  EXPECT_FALSE(limiter.TryStart(t, 800, t0));
  auto later = limiter.TryStart(t, 800, t0);
  ASSERT_TRUE(later);  // 200 left; 600 more take 36 s at 1000/min
  EXPECT_NEAR(std::chrono::duration<double>(*later - t0).count(), 36.0, 0.1);
  // The provider said the first call took 300 tokens, not 800: 500 come back.
  limiter.End(t, LlmLimiter::Ended::kSuccess, t0, {}, 800, 200, 100, t0);
  EXPECT_FALSE(limiter.TryStart(t, 700, t0));
}

LlmReply Interpret(long status, const std::string& body, bool* retry) {
  return InterpretResponse(LlmResponse{status, body, ""}, retry);
}

TEST(LlmResponse, ClassifiesWhatTheProviderSaid) {
  bool retry = false;
  auto ok = Interpret(200,
                      R"({"choices":[{"message":{"content":"Acme is good","annotations":[
                          {"type":"url_citation","url_citation":{"url":"https://a.example/x",
                           "title":"A"}}]},"finish_reason":"stop"}],
                          "citations":["https://b.example/y","https://a.example/x"],
                          "search_results":[{"title":"B","url":"https://b.example/y"}],
                          "usage":{"prompt_tokens":12,"completion_tokens":34}})",
                      &retry);
  EXPECT_EQ(ok.outcome, LlmOutcome::kAnswered);
  EXPECT_FALSE(retry);
  EXPECT_EQ(ok.text, "Acme is good");
  EXPECT_EQ(ok.prompt_tokens, 12);
  EXPECT_EQ(ok.completion_tokens, 34);
  ASSERT_EQ(ok.sources.size(), 2u);
  EXPECT_EQ(ok.sources[0].url, "https://a.example/x");
  EXPECT_EQ(ok.sources[0].title, "A");
  EXPECT_EQ(ok.sources[1].url, "https://b.example/y");
  EXPECT_EQ(ok.sources[1].title, "B");

  auto refused = Interpret(400, R"({"error":{"message":"flagged by the content filter"}})", &retry);
  EXPECT_EQ(refused.outcome, LlmOutcome::kFailed);
  EXPECT_FALSE(retry);
  EXPECT_EQ(refused.error, "the provider answered 400: flagged by the content filter");

  EXPECT_EQ(Interpret(401, R"({"error":{"message":"bad key"}})", &retry).outcome,
            LlmOutcome::kPlatformDown);
  EXPECT_EQ(Interpret(404, "", &retry).outcome, LlmOutcome::kPlatformDown);
  EXPECT_EQ(
      Interpret(400, R"({"error":{"code":"model_not_found","message":"no"}})", &retry).outcome,
      LlmOutcome::kPlatformDown);
  EXPECT_EQ(Interpret(200, R"({"choices":[{"message":{"content":"  "}}]})", &retry).outcome,
            LlmOutcome::kFailed);
  EXPECT_EQ(
      Interpret(200,
                R"({"choices":[{"message":{"content":"x"},"finish_reason":"content_filter"}]})",
                &retry)
          .outcome,
      LlmOutcome::kFailed);
  for (long status : {429L, 500L, 503L}) {
    EXPECT_EQ(Interpret(status, "", &retry).outcome, LlmOutcome::kUnavailable);
    EXPECT_TRUE(retry) << status;
  }
  EXPECT_EQ(Interpret(200, "not json", &retry).outcome, LlmOutcome::kUnavailable);
  EXPECT_TRUE(retry);
}

TEST(LlmResponse, AReasonIsValidUtf8AndCutBetweenCharacters) {
  bool retry = false;
  // A long message in German: cut at 300 bytes, never inside "ü" (2 bytes).
  std::string message;
  while (message.size() < 400) message += "Prüfung ";
  auto long_reason = Interpret(400, R"({"error":{"message":")" + message + R"("}})", &retry).error;
  std::string text = long_reason.substr(std::string("the provider answered 400: ").size());
  EXPECT_LE(text.size(), 303u);
  EXPECT_TRUE(text.ends_with("..."));
  boost::system::error_code ec;
  (void)json::parse(json::serialize(json::value(long_reason)), ec);
  EXPECT_FALSE(ec) << "not valid UTF-8";
  // A body that is not UTF-8 (Latin-1 "Prüfung") has its bad byte replaced.
  auto latin1 = Interpret(400,
                          std::string("Pr\xFC"
                                      "fung failed"),
                          &retry)
                    .error;
  EXPECT_EQ(latin1, "the provider answered 400: Pr?fung failed");
}

TEST(LlmSettings, PlatformOptionsPricesAndShares) {
  setenv("RAPPORT_TEST_KEY", "k", 1);
  auto p = ParseLlmPlatforms(
      "chatgpt=https://api.openai.com/v1|gpt-4o|RAPPORT_TEST_KEY|concurrency=4|rpm=500|tpm=30000;"
      "perplexity=https://api.perplexity.ai|sonar|");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->at("chatgpt").concurrency, 4);
  EXPECT_EQ(p->at("chatgpt").requests_per_minute, 500);
  EXPECT_EQ(p->at("chatgpt").tokens_per_minute, 30000);
  EXPECT_EQ(p->at("chatgpt").api_key, "k");
  LlmSettings s;
  s.platforms = *p;
  s.concurrency = 6;
  EXPECT_EQ(s.For("chatgpt")->concurrency, 4);
  EXPECT_EQ(s.For("perplexity")->concurrency, 6);  // the default
  EXPECT_FALSE(s.For("gemini"));
  auto bad = ParseLlmPlatforms("chatgpt=https://x|m||speed=3");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("unknown option 'speed'"), std::string::npos);
  EXPECT_FALSE(ParseLlmPlatforms("chatgpt=https://x|m||concurrency=0").ok());

  auto prices = ParseLlmPrices("gpt-4o=2.5|10; sonar=1|1");
  ASSERT_TRUE(prices.ok());
  EXPECT_DOUBLE_EQ(prices->at("gpt-4o").input, 2.5);
  EXPECT_DOUBLE_EQ(prices->at("gpt-4o").output, 10);
  EXPECT_FALSE(ParseLlmPrices("gpt-4o=2.5").ok());

  EXPECT_DOUBLE_EQ(*ParseShare("0.2"), 0.2);
  EXPECT_DOUBLE_EQ(*ParseShare("35%"), 0.35);
  EXPECT_FALSE(ParseShare("1.5").ok());
  EXPECT_FALSE(ParseShare("lots").ok());
}

AskedAnswer Answer(const std::string& platform, int sample, bool appears, bool failed = false) {
  AskedAnswer a;
  a.prompt_id = "prm_1";
  a.prompt_text = "best analytics?";
  a.platform = platform;
  a.model = platform + "-model";
  a.sample = sample;
  a.failed = failed;
  a.error = failed ? "the provider answered 400: no" : "";
  a.answer = failed ? "" : (appears ? "Acme (https://acme.example/p)" : "Globex");
  a.score.brand_appears = appears && !failed;
  a.prompt_tokens = 10;
  a.completion_tokens = failed ? 0 : 20;
  if (!failed && platform == "perplexity") a.sources = {{"https://src.example/a", "Src"}};
  return a;
}

TEST(BrandReport, FailedAnswersStayOutOfRatesAndSamplesGiveStability) {
  Brand brand;
  brand.id = "brand_1";
  brand.name = "Acme";
  RegionConfig config;
  config.id = "rcfg_1";
  std::vector<AskedAnswer> answers = {
      Answer("chatgpt", 1, true),           Answer("chatgpt", 2, false),
      Answer("chatgpt", 3, true),           Answer("perplexity", 1, true),
      Answer("perplexity", 2, false, true), Answer("perplexity", 3, true)};
  json::object r = BuildBrandReport(brand, config, answers, 3);
  EXPECT_EQ(r.at("methodology_version").as_int64(), 2);
  EXPECT_EQ(r.at("samples_per_prompt").as_int64(), 3);
  EXPECT_EQ(r.at("answers_count").as_int64(), 5);
  EXPECT_EQ(r.at("answers_failed").as_int64(), 1);
  EXPECT_EQ(r.at("visibility").at("n").as_int64(), 5);
  EXPECT_EQ(r.at("visibility").at("successes").as_int64(), 4);
  const auto& platforms = r.at("platforms").as_array();
  EXPECT_EQ(platforms[1].at("platform").as_string(), "perplexity");
  EXPECT_EQ(platforms[1].at("n").as_int64(), 2);
  EXPECT_EQ(platforms[1].at("failed").as_int64(), 1);
  const auto& prompt = r.at("prompts").at(0).as_object();
  const auto& stability = prompt.at("stability").as_array();
  EXPECT_EQ(stability[0].at("samples").as_int64(), 3);
  EXPECT_EQ(stability[0].at("appearances").as_int64(), 2);
  EXPECT_DOUBLE_EQ(stability[0].at("stability").as_double(), 66.7);
  EXPECT_DOUBLE_EQ(stability[1].at("stability").as_double(), 100.0);
  const auto& failed = prompt.at("results").at(4).as_object();
  EXPECT_EQ(failed.at("status").as_string(), "failed");
  EXPECT_TRUE(failed.at("brand_appears").is_null());
  EXPECT_EQ(failed.at("error").as_string(), "the provider answered 400: no");
  const auto& cited = prompt.at("results").at(3).as_object();
  EXPECT_EQ(cited.at("sample").as_int64(), 1);
  const auto& sources = cited.at("sources").as_array();
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].at("origin").as_string(), "provider");
  EXPECT_EQ(sources[0].at("title").as_string(), "Src");
  EXPECT_EQ(sources[1].at("url").as_string(), "https://acme.example/p");
  EXPECT_EQ(sources[1].at("origin").as_string(), "answer");

  json::object usage = UsageOf(answers, {{"chatgpt-model", LlmPrice{1, 2}}}, "judge-model");
  EXPECT_EQ(usage.at("calls").as_int64(), 6);  // the failed answer was asked too
  EXPECT_EQ(usage.at("prompt_tokens").as_int64(), 60);
  EXPECT_EQ(usage.at("completion_tokens").as_int64(), 100);
  EXPECT_TRUE(usage.at("cost").is_null());  // perplexity-model has no price
  EXPECT_DOUBLE_EQ(usage.at("platforms").at(0).at("cost").as_double(), (30 * 1.0 + 60 * 2.0) / 1e6);
}

}  // namespace
}  // namespace rapport
