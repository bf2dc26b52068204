// Requests as clients of the two seed API families send them (seed 000: Rank Prompt's /v1;
// seed 002: Altostrat's Reports API), against a real rapportd: region configs with free-text
// countries and optional languages, brand_info, facts populated by POST, the family's scopes and
// 403 body, jobs followed with the side's scope, unknown keys on the seed operations, /v1/me.
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class SeedClientsTest : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {{"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                              {"RAPPORT_LLM_BACKOFF_BASE_MS", "50"},
                                              {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                              {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}};
    for (auto& [k, v] : extra) env[k] = v;
    server_.emplace(env);
    server_->Start();
    api_.emplace(*server_, Token("t1"));
  }

  json::value Expect(Api& api, long status, const std::string& method, const std::string& path,
                     const std::string& body = "") {
    auto r = method == "POST" ? api.Post(path, body) : api.Send(method, path, body);
    EXPECT_EQ(r.status, status) << method << " " << path << " " << r.body;
    return r.body.empty() ? json::value(nullptr) : Json(r);
  }
  std::string Brand(const std::string& extra = "") {
    return std::string(
        Expect(*api_, 201, "POST", "/v1/brands",
               R"({"name":"Acme Analytics","website":"https://acme.example.com")" + extra + "}")
            .at("id")
            .as_string());
  }
  json::value Config(const std::string& brand, const std::string& fields, long status = 201) {
    return Expect(*api_, status, "POST", "/v1/region-configs",
                  R"({"brand_id":")" + brand + R"(","name":"Region",)" + fields + "}");
  }
  // A weekly schedule of `brand` with one config (`config_fields`) and one prompt; its id.
  std::string Schedule(const std::string& brand, const std::string& config_fields) {
    std::string schedule(
        Expect(*api_, 201, "POST", "/v1/scheduled-reports",
               R"({"brand_id":")" + brand + R"(","name":"Weekly","frequency":"weekly"})")
            .at("id")
            .as_string());
    std::string config(
        Config(brand, R"("scheduled_report_id":")" + schedule + R"(",)" + config_fields)
            .at("id")
            .as_string());
    Expect(*api_, 201, "POST", "/v1/region-configs/" + config + "/prompts",
           R"({"prompts":[{"prompt_text":"What is the best analytics software?"}]})");
    return schedule;
  }
  static std::string ErrorCode(const client::HttpResult& r) {
    return std::string(Json(r).at("error").at("code").as_string());
  }

  FakeLlm llm_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_;
};

TEST_F(SeedClientsTest, RegionConfigsTakeFreeTextCountriesAndLanguageNames) {
  Start();
  std::string brand = Brand();
  auto us = Config(brand, R"("country":"United States","language":"German")");
  EXPECT_EQ(us.at("country").as_string(), "United States");  // as sent
  EXPECT_EQ(us.at("country_code").as_string(), "US");
  EXPECT_EQ(us.at("language").as_string(), "German");
  EXPECT_EQ(us.at("language_code").as_string(), "de");
  for (auto [country, code] : {std::pair{"usa", "US"},
                               {"DEU", "DE"},
                               {"de", "DE"},
                               {"the netherlands", "NL"},
                               {"Türkiye", "TR"}}) {
    EXPECT_EQ(Config(brand, R"("country":")" + std::string(country) + R"(")").at("country_code"),
              code)
        << country;
  }
  auto free = Config(brand, R"("country":"Bay Area","language":"pt-BR")");
  EXPECT_TRUE(free.at("country_code").is_null());
  EXPECT_EQ(free.at("language_code").as_string(), "pt-BR");
  // Without a language: English. Without ai_platforms: every platform with a provider (here a
  // default provider, so all eight).
  auto plain = Config(brand, R"("country":"France")");
  EXPECT_EQ(plain.at("language").as_string(), "en");
  EXPECT_EQ(plain.at("language_code").as_string(), "en");
  EXPECT_EQ(plain.at("ai_platforms").as_array().size(), 8u);
  // Still validated, every problem named.
  auto bad = api_->Post("/v1/region-configs",
                        R"({"brand_id":")" + brand + R"(","name":"X","country":")" +
                            std::string(101, 'x') +
                            R"(","language":"Klingon","ai_platforms":["chatgpt","altavista"]})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  std::set<std::string> locs;
  json::value refused = Json(bad);
  for (const auto& e : refused.at("error").at("details").at("errors").as_array()) {
    locs.insert(json::serialize(e.at("loc")));
  }
  EXPECT_EQ(locs, (std::set<std::string>{R"(["body","country"])", R"(["body","language"])",
                                         R"(["body","ai_platforms",1])"}));
  EXPECT_EQ(Config(brand, R"("country":"")", 422).at("error").at("code"), "body_validation_error");
  auto patched =
      Expect(*api_, 200, "PATCH", "/v1/region-configs/" + std::string(us.at("id").as_string()),
             R"({"country":"Japan","language":"ja"})");
  EXPECT_EQ(patched.at("country_code").as_string(), "JP");
  EXPECT_EQ(patched.at("language_code").as_string(), "ja");
}

TEST_F(SeedClientsTest, AiPlatformsDefaultToThoseWithAProvider) {
  std::string url = llm_.base_url();
  ServerProcess two({{"RAPPORT_LLM_PLATFORMS", "claude=" + url + "|c|;gemini=" + url + "|g|"}});
  two.Start();
  Api api(two, Token("t1"));
  std::string brand(Json(api.Post("/v1/brands", R"({"name":"A","website":"https://a.example"})"))
                        .at("id")
                        .as_string());
  auto config = api.Post("/v1/region-configs",
                         R"({"brand_id":")" + brand + R"(","name":"R","country":"Spain"})");
  ASSERT_EQ(config.status, 201) << config.body;
  EXPECT_EQ(json::serialize(Json(config).at("ai_platforms")), R"(["claude","gemini"])");

  ServerProcess none;  // no answer engine at all: there is nothing to default to
  none.Start();
  Api bare(none, Token("t1"));
  brand = Json(bare.Post("/v1/brands", R"({"name":"A","website":"https://a.example"})"))
              .at("id")
              .as_string();
  auto refused = bare.Post("/v1/region-configs",
                           R"({"brand_id":")" + brand + R"(","name":"R","country":"Spain"})");
  ASSERT_EQ(refused.status, 422) << refused.body;
  auto problem = Json(refused).at("error").at("details").at("errors").at(0);
  EXPECT_EQ(json::serialize(problem.at("loc")), R"(["body","ai_platforms"])");
  EXPECT_NE(std::string(problem.at("msg").as_string()).find("no answer engine"), std::string::npos);
}

// The answer engines are told the region in the best form known: a recognised country by its
// English name and code, free text as written; the language by name and code.
TEST_F(SeedClientsTest, AnswerEnginesGetTheBestFormOfTheRegion) {
  Start();
  std::string brand = Brand(R"(,"brand_info":{"description":"Analytics software"})");
  std::string known =
      Schedule(brand, R"("country":"usa","language":"Spanish","ai_platforms":["chatgpt"])");
  auto job = Expect(*api_, 202, "POST", "/v1/scheduled-reports/" + known + "/executions", "{}");
  ASSERT_EQ(WaitJob(*api_, std::string(job.at("job_id").as_string())).at("status"), "completed");
  std::string bodies;
  for (const auto& b : llm_.bodies()) bodies += b;
  EXPECT_NE(bodies.find("located in United States (US)"), std::string::npos) << bodies;
  EXPECT_NE(bodies.find("Answer in Spanish (language code 'es')"), std::string::npos);

  std::string free =
      Schedule(brand, R"("country":"Bay Area","location":"Oakland","ai_platforms":["chatgpt"])");
  job = Expect(*api_, 202, "POST", "/v1/scheduled-reports/" + free + "/executions", "{}");
  ASSERT_EQ(WaitJob(*api_, std::string(job.at("job_id").as_string())).at("status"), "completed");
  bodies.clear();
  for (const auto& b : llm_.bodies()) bodies += b;
  EXPECT_NE(bodies.find("located in Oakland, Bay Area."), std::string::npos) << bodies;
  EXPECT_NE(bodies.find("Answer in English (language code 'en')"), std::string::npos);
}

// Seed 000's precondition reads brand_info.description: the brand shows it, PATCH /v1/brands
// sets it, and /facts and the execution read the same value.
TEST_F(SeedClientsTest, BrandInfoDescriptionIsTheFactsDescription) {
  Start();
  std::string brand = Brand();
  auto shown = Expect(*api_, 200, "GET", "/v1/brands/" + brand);
  EXPECT_TRUE(shown.at("brand_info").at("description").is_null());
  std::string schedule = Schedule(brand, R"("country":"DE","ai_platforms":["chatgpt"])");
  std::string run = "/v1/scheduled-reports/" + schedule + "/executions";
  EXPECT_EQ(ErrorCode(api_->Post(run, "{}")), "brand_facts_required");

  auto patched = Expect(*api_, 200, "PATCH", "/v1/brands/" + brand,
                        R"({"brand_info":{"description":"Analytics software"}})");
  EXPECT_EQ(patched.at("brand_info").at("description"), "Analytics software");
  EXPECT_EQ(Expect(*api_, 200, "GET", "/v1/brands/" + brand + "/facts").at("description"),
            "Analytics software");
  auto listed = Expect(*api_, 200, "GET", "/v1/brands");
  EXPECT_EQ(listed.at("data").at(0).at("brand_info").at("description"), "Analytics software");
  EXPECT_EQ(api_->Post(run, "{}").status, 202);

  // The facts side changes it for the brand too; null clears it and the precondition holds again.
  Expect(*api_, 200, "PATCH", "/v1/brands/" + brand + "/facts",
         R"({"description":"Dashboards","industry":"Software"})");
  EXPECT_EQ(Expect(*api_, 200, "GET", "/v1/brands/" + brand).at("brand_info").at("description"),
            "Dashboards");
  Expect(*api_, 200, "PATCH", "/v1/brands/" + brand, R"({"brand_info":{"description":null}})");
  auto facts = Expect(*api_, 200, "GET", "/v1/brands/" + brand + "/facts");
  EXPECT_TRUE(facts.at("description").is_null());
  EXPECT_EQ(facts.at("industry"), "Software");  // the other facts stay
  EXPECT_EQ(ErrorCode(api_->Post(run, "{}")), "brand_facts_required");

  // Created with it; a malformed brand_info changes nothing.
  std::string second = Brand(R"(,"brand_info":{"description":"Made with facts"})");
  EXPECT_EQ(Expect(*api_, 200, "GET", "/v1/brands/" + second + "/facts").at("description"),
            "Made with facts");
  auto bad = api_->Send("PATCH", "/v1/brands/" + second,
                        R"({"name":"Renamed","brand_info":{"description":7,"tagline":"x"}})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Json(bad).at("error").at("details").at("errors").as_array().size(), 2u);
  EXPECT_EQ(Expect(*api_, 200, "GET", "/v1/brands/" + second).at("name"), "Acme Analytics");
  // Another tenant's brand stays 404, brand_info or not.
  Api other(*server_, Token("t2"));
  EXPECT_EQ(
      other.Send("PATCH", "/v1/brands/" + brand, R"({"brand_info":{"description":"x"}})").status,
      404);
}

// "populate facts via POST or PATCH": POST with fields sets them (200) and asks no engine, so it
// is not in the LLM tier; POST without fields researches (202).
TEST_F(SeedClientsTest, PostFactsWithFieldsSetsThemWithoutResearch) {
  Start({{"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "1"}});
  std::string brand = Brand();
  std::string path = "/v1/brands/" + brand + "/facts";
  for (int i = 0; i < 3; ++i) {
    auto set = Expect(
        *api_, 200, "POST", path,
        R"({"description":"Analytics software","founded_year":)" + std::to_string(2010 + i) + "}");
    EXPECT_EQ(set.at("object"), "brand_facts");
    EXPECT_EQ(set.at("founded_year").as_int64(), 2010 + i);
  }
  EXPECT_EQ(llm_.requests(), 0);
  EXPECT_EQ(Expect(*api_, 200, "GET", "/v1/brands/" + brand).at("brand_info").at("description"),
            "Analytics software");
  auto bad = api_->Post(path, R"({"founded_year":"soon","colour":"red"})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  // Research: an empty body and `{}` both start it; the LLM tier (1 a minute) counts only these.
  auto research = api_->Post(path, "");
  ASSERT_EQ(research.status, 202) << research.body;
  EXPECT_EQ(research.Header("location"),
            "/v1/jobs/" + std::string(Json(research).at("job_id").as_string()));
  EXPECT_EQ(api_->Post(path, "{ }").status, 429);
  EXPECT_EQ(api_->Post(path, R"({"industry":"Software"})").status, 200);
}

// The family's scopes, per resource; write implies read; a missing one is seed 000's 403.
TEST_F(SeedClientsTest, ScopesPerResourceAsTheFamilyDefinesThem) {
  Start();
  std::string brand = Brand(R"(,"brand_info":{"description":"Analytics software"})");
  std::string schedule = Schedule(brand, R"("country":"DE","ai_platforms":["chatgpt"])");
  std::string config(
      Expect(*api_, 200, "GET", "/v1/scheduled-reports/" + schedule + "/region-configs")
          .at("data")
          .at(0)
          .at("id")
          .as_string());
  // write:scheduled runs a schedule and follows the job it gets.
  Api scheduler(*server_, Token("t1", "write:scheduled"));
  auto run = scheduler.Post("/v1/scheduled-reports/" + schedule + "/executions", "{}");
  ASSERT_EQ(run.status, 202) << run.body;
  EXPECT_EQ(WaitJob(scheduler, std::string(Json(run).at("job_id").as_string())).at("status"),
            "completed");
  EXPECT_EQ(scheduler.Get("/v1/scheduled-reports/" + schedule).status, 200);
  auto denied = scheduler.Get("/v1/region-configs/" + config);
  ASSERT_EQ(denied.status, 403);
  EXPECT_EQ(ErrorCode(denied), "forbidden");
  EXPECT_EQ(Json(denied).at("error").at("message"),
            "You do not have permission to access this resource");
  EXPECT_EQ(Json(denied).at("error").at("details").at("required_scope"), "read:region-configs");

  struct Case {
    std::string scope, method, path, body;
    long status;
  };
  std::string prompts = "/v1/region-configs/" + config + "/prompts";
  const std::string prompt_body = R"({"prompts":[{"prompt_text":"Who sells dashboards?"}]})";
  std::vector<Case> cases = {
      {"write:prompts", "POST", prompts, prompt_body, 201},
      {"write:prompts", "PATCH", "/v1/region-configs/" + config, R"({"location":"Bonn"})", 403},
      {"read:region-configs", "GET", prompts, "", 200},
      {"read:region-configs", "POST", prompts, prompt_body, 403},
      {"write:region-configs", "PATCH", "/v1/region-configs/" + config, R"({"location":"Bonn"})",
       200},
      {"write:region-configs", "GET", "/v1/scheduled-reports/" + schedule + "/region-configs", "",
       200},
      {"read:scheduled", "GET", "/v1/scheduled-reports?brand_id=" + brand, "", 200},
      {"read:scheduled", "GET", "/v1/scheduled-reports/" + schedule + "/runs", "", 200},
      {"read:scheduled", "PATCH", "/v1/scheduled-reports/" + schedule, R"({"name":"x"})", 403},
      {"read:reports", "GET", "/v1/reports?brand_id=" + brand, "", 200},
      {"read:reports", "GET", "/v1/scheduled-reports/" + schedule, "", 403},
      {"write:reports", "GET", "/v1/region-configs", "", 403},
      {"read:brands", "GET", "/v1/brands/" + brand + "/facts", "", 200},
      {"read:all", "GET", "/v1/region-configs", "", 200},
      {"write:all", "POST", prompts, prompt_body, 201},
      {"*", "GET", "/v1/me", "", 200},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.scope + " " + c.method + " " + c.path);
    Api api(*server_, Token("t1", c.scope));
    auto r = c.method == "POST" ? api.Post(c.path, c.body) : api.Send(c.method, c.path, c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    if (c.status == 403) {
      EXPECT_EQ(ErrorCode(r), "forbidden");
    }
  }
}

// An SLA run answers Location: /v1/jobs/{id}; the token that ran it follows it with the SLA
// scopes alone. Jobs of the other side stay 403, another tenant's 404; read:jobs reads all.
TEST_F(SeedClientsTest, JobsAreReadableWithTheScopeOfTheSideThatEnqueuedThem) {
  Start();
  std::string site(Json(api_->Send("POST", "/sites", R"({"name":"Lisbon","timezone":"UTC"})"))
                       .at("id")
                       .as_string());
  std::string sla_schedule(
      Json(api_->Send("POST", "/reports/sla/schedules",
                      R"({"name":"monthly","timezone":"UTC","monthly":true,"day_of_month":1,)"
                      R"("sites":[")" +
                          site + R"("]})"))
          .at("id")
          .as_string());
  Api sla(*server_, Token("t1", "read:sla write:sla"));
  // Seed 002's schema allows keys it does not list: they are accepted and ignored.
  auto run = sla.Send("POST", "/reports/sla/schedules/" + sla_schedule + "/run",
                      R"({"from_date":"2026-01-01","to_date":"2026-01-31","format":"pdf"})");
  ASSERT_EQ(run.status, 202) << run.body;
  std::string location = run.Header("location").value_or("");
  ASSERT_TRUE(location.starts_with("/v1/jobs/job_")) << location;
  auto job = sla.Get(location);
  EXPECT_EQ(job.status, 200) << job.body;
  EXPECT_EQ(WaitJob(sla, location.substr(9)).at("status"), "completed");

  std::string brand = Brand(R"(,"brand_info":{"description":"Analytics software"})");
  std::string schedule = Schedule(brand, R"("country":"DE","ai_platforms":["chatgpt"])");
  // Seed 000's body may carry keys it does not list too.
  auto brand_run = Expect(*api_, 202, "POST", "/v1/scheduled-reports/" + schedule + "/executions",
                          R"({"region_config_id":null,"notify":true})");
  std::string brand_job = "/v1/jobs/" + std::string(brand_run.at("job_id").as_string());
  auto other_side = sla.Get(brand_job);
  EXPECT_EQ(other_side.status, 403);
  EXPECT_EQ(Json(other_side).at("error").at("details").at("required_scope"), "read:jobs");
  EXPECT_EQ(sla.Send("DELETE", brand_job).status, 403);  // nor cancel it
  Api jobs(*server_, Token("t1", "read:jobs"));
  EXPECT_EQ(jobs.Get(brand_job).status, 200);
  EXPECT_EQ(jobs.Get(location).status, 200);
  Api brands_only(*server_, Token("t1", "read:brands"));
  EXPECT_EQ(brands_only.Get(location).status, 403);
  Api stranger(*server_, Token("t2", "read:sla"));
  EXPECT_EQ(stranger.Get(location).status, 404);
  Api nothing(*server_, Token("t1", "read:meta"));
  EXPECT_EQ(ErrorCode(nothing.Get(location)), "forbidden");
  // Everywhere else an unknown key is still refused, by name (it catches typos).
  auto typo = api_->Post("/v1/brands", R"({"name":"A","website":"https://a.example","webiste":1})");
  ASSERT_EQ(typo.status, 422);
  auto problem = Json(typo).at("error").at("details").at("errors").at(0);
  EXPECT_EQ(json::serialize(problem.at("loc")), R"(["body","webiste"])");
  EXPECT_EQ(problem.at("type"), "extra_forbidden");
}

TEST_F(SeedClientsTest, MeTellsWhoTheTokenIsAndWhatIsLeft) {
  Start({{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "50"}, {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "5"}});
  Api me(*server_, Token("t1", "read:meta write:scheduled", "ci-bot"));
  auto first = Expect(me, 200, "GET", "/v1/me");
  EXPECT_EQ(first.at("object"), "me");
  EXPECT_EQ(first.at("subject"), "ci-bot");
  EXPECT_EQ(first.at("tenant"), "t1");
  EXPECT_EQ(json::serialize(first.at("scopes")), R"(["read:meta","write:scheduled"])");
  auto limits = first.at("rate_limits").as_array();
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].at("tier"), "burst");
  EXPECT_EQ(limits[0].at("limit").as_int64(), 50);
  int64_t burst_left = limits[0].at("remaining").as_int64();
  EXPECT_LE(burst_left, 49);  // this request counted
  EXPECT_EQ(limits[1].at("tier"), "llm");
  EXPECT_EQ(limits[1].at("remaining").as_int64(), 5);
  // An execution spends one call of the LLM tier (even when refused by its precondition).
  std::string brand = Brand();
  std::string schedule = Schedule(brand, R"("country":"DE","ai_platforms":["chatgpt"])");
  EXPECT_EQ(me.Post("/v1/scheduled-reports/" + schedule + "/executions", "{}").status, 422);
  auto second = Expect(me, 200, "GET", "/v1/me");
  // (Unless a new one-minute window began in between.)
  const auto& later = second.at("rate_limits").as_array();
  if (later[0].at("reset_seconds").as_int64() <= limits[0].at("reset_seconds").as_int64()) {
    EXPECT_LT(later[0].at("remaining").as_int64(), burst_left);
    EXPECT_EQ(later[1].at("remaining").as_int64(), 4);
  }
  Api no_meta(*server_, Token("t1", "read:brands"));
  EXPECT_EQ(ErrorCode(no_meta.Get("/v1/me")), "forbidden");
  Api all(*server_, Token("t1", "read:all"));
  EXPECT_EQ(all.Get("/v1/me").status, 200);
}

}  // namespace
}  // namespace rapport::testing
