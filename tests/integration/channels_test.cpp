// Slack and Microsoft Teams as delivery channels, against a real rapportd: local stand-ins for
// Slack's incoming webhooks and Teams' Workflows webhooks that accept only the body shapes those
// services accept (Slack answers 200 "ok" text/plain, Teams 202), a 500 then success, the
// delivery log, re-delivery of the same bytes, the URL (the channel's secret) kept out of the
// log and the API's reads; the events sla.breached and visibility.dropped fired, and not fired
// when the SLA holds or the drop misses the threshold.
#include "delivery_peers.hpp"
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPublicUrl = "https://rapport.example.com";
constexpr const char* kSlackSecret = "T0001/B0002/SlackSecretXyz";
constexpr const char* kTeamsSecret = "sig=TeamsSecretAbc";

bool IsString(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() && !v->get_string().empty();
}

// What Slack's incoming webhooks accept: "text" and "blocks" of header (plain_text, <= 150
// characters), section (mrkdwn or plain_text text and/or at most 10 fields) and context blocks.
bool SlackShapeOk(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object() || !IsString(v.as_object(), "text")) return false;
  const auto* blocks = v.as_object().if_contains("blocks");
  if (!blocks || !blocks->is_array() || blocks->as_array().size() > 50) return false;
  auto text_ok = [](const json::value& t) {
    if (!t.is_object() || !IsString(t.as_object(), "text")) return false;
    const auto& type = t.at("type");
    return type == "mrkdwn" || type == "plain_text";
  };
  for (const auto& b : blocks->as_array()) {
    const auto& type = b.at("type").as_string();
    const auto& o = b.as_object();
    if (type == "header") {
      if (o.at("text").at("type") != "plain_text") return false;
      if (o.at("text").at("text").as_string().size() > 150) return false;
    } else if (type == "section") {
      if (!o.contains("text") && !o.contains("fields")) return false;
      if (o.contains("text") && !text_ok(o.at("text"))) return false;
      if (o.contains("fields")) {
        const auto& fields = o.at("fields").as_array();
        if (fields.empty() || fields.size() > 10) return false;
        for (const auto& f : fields) {
          if (!text_ok(f)) return false;
        }
      }
    } else if (type == "context") {
      for (const auto& e : o.at("elements").as_array()) {
        if (!text_ok(e)) return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

// What a Teams Workflows webhook accepts: a message with one Adaptive Card attachment of
// TextBlocks and FactSets, optionally Action.OpenUrl actions.
bool TeamsShapeOk(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object() || v.as_object().if_contains("type") == nullptr ||
      v.at("type") != "message") {
    return false;
  }
  const auto& attachments = v.at("attachments").as_array();
  if (attachments.size() != 1) return false;
  const auto& a = attachments[0].as_object();
  if (a.at("contentType") != "application/vnd.microsoft.card.adaptive") return false;
  const auto& card = a.at("content").as_object();
  if (card.at("type") != "AdaptiveCard" || !IsString(card, "version")) return false;
  for (const auto& e : card.at("body").as_array()) {
    const auto& type = e.at("type").as_string();
    if (type == "TextBlock" && IsString(e.as_object(), "text")) continue;
    if (type != "FactSet") return false;
    for (const auto& f : e.at("facts").as_array()) {
      if (!IsString(f.as_object(), "title") || !f.at("value").is_string()) return false;
    }
  }
  if (const auto* actions = card.if_contains("actions")) {
    for (const auto& act : actions->as_array()) {
      if (act.at("type") != "Action.OpenUrl" || !IsString(act.as_object(), "url")) return false;
    }
  }
  return true;
}

// A stand-in for Slack or Teams: records each request, answers 500 on demand, 400 to a body
// the service would refuse, else Slack's 200 "ok" or Teams' 202.
class ChatReceiver {
 public:
  explicit ChatReceiver(bool teams)
      : teams_(teams), server_([this](const ReceivedRequest& r) { return Answer(r); }) {}

  std::string url() const {
    std::string base = "http://127.0.0.1:" + std::to_string(server_.port());
    return teams_
               ? base + "/workflows/abc/triggers/manual/paths/invoke?api-version=1&" + kTeamsSecret
               : base + "/services/" + kSlackSecret;
  }
  void FailNext(int n) { fail_ = n; }
  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mu_);
    return received_;
  }
  int refused() const { return refused_; }
  bool WaitAccepted(int n) const {
    return WaitFor([&] { return accepted_ >= n; });
  }

 private:
  std::string Answer(const ReceivedRequest& r) {
    {
      std::lock_guard lock(mu_);
      received_.push_back(r);
    }
    if (fail_ > 0) {
      --fail_;
      return HttpResponse(500, "oops");
    }
    bool json_type = r.headers.count("content-type") &&
                     r.headers.at("content-type").find("application/json") == 0;
    if (!json_type || !(teams_ ? TeamsShapeOk(r.body) : SlackShapeOk(r.body))) {
      ++refused_;
      return HttpResponse(400, teams_ ? "Bad card" : "invalid_blocks",
                          "Content-Type: text/plain\r\n");
    }
    ++accepted_;
    return teams_ ? HttpResponse(202) : HttpResponse(200, "ok", "Content-Type: text/plain\r\n");
  }

  bool teams_;
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> received_;
  std::atomic<int> fail_{0}, accepted_{0}, refused_{0};
  LocalHttpServer server_;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The event types of the deliveries in a delivery log page.
std::vector<std::string> LoggedTypes(const json::value& log) {
  std::vector<std::string> out;
  for (const auto& d : log.at("data").as_array()) out.emplace_back(d.at("event_type").as_string());
  std::sort(out.begin(), out.end());
  return out;
}

class ChannelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.emplace(std::map<std::string, std::string>{{"RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "1"},
                                                       {"RAPPORT_WEBHOOKS_RETRY_BASE_MS", "100"},
                                                       {"RAPPORT_WEBHOOKS_RETRY_MAX_MS", "200"},
                                                       {"RAPPORT_WEBHOOKS_MAX_ATTEMPTS", "4"},
                                                       {"RAPPORT_SCHEDULER_INTERVAL_MS", "50"},
                                                       {"RAPPORT_PUBLIC_URL", kPublicUrl},
                                                       {"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                                       {"RAPPORT_LLM_BACKOFF_BASE_MS", "20"},
                                                       {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                                       {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
    server_->Start();
    api_.emplace(*server_, Token("t1"));
  }

  // Registers an endpoint at `base`; returns its JSON.
  json::value Endpoint(const std::string& base, const std::string& url, const std::string& format,
                       const std::string& events) {
    std::string body = R"({"url":")" + url + R"(","events":)" + events +
                       (format.empty() ? "" : R"(,"format":")" + format + "\"") + "}";
    auto created =
        base.rfind("/v1/", 0) == 0 ? api_->Post(base, body) : api_->Send("POST", base, body);
    EXPECT_EQ(created.status, 201) << created.body;
    return Json(created);
  }

  // An SLA schedule over one site, down 6 of the 48 hours of the run when `with_outage`.
  std::string SlaSchedule(const std::string& site_name, bool with_outage) {
    auto site = api_->Send("POST", "/sites", R"({"name":")" + site_name + R"(","timezone":"UTC"})");
    std::string site_id(Json(site).at("id").as_string());
    if (with_outage) {
      auto fault = api_->Send("POST", "/faults",
                              R"({"resource_id":")" + site_id +
                                  R"(","type":"site","severity":"HIGH","cause":"Fiber cut",)"
                                  R"("created_at":"2026-11-01T00:00:00Z",)"
                                  R"("resolved_at":"2026-11-01T06:00:00Z"})");
      EXPECT_EQ(fault.status, 201) << fault.body;
    }
    auto schedule =
        api_->Send("POST", "/reports/sla/schedules",
                   R"({"name":"Weekly )" + site_name +
                       R"(","timezone":"UTC","disabled":true,"sites":[")" + site_id + R"("]})");
    EXPECT_EQ(schedule.status, 201) << schedule.body;
    return std::string(Json(schedule).at("id").as_string());
  }

  std::string RunSla(const std::string& schedule) {
    auto run = api_->Send("POST", "/reports/sla/schedules/" + schedule + "/run",
                          R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
    EXPECT_EQ(run.status, 202) << run.body;
    auto job = WaitJob(*api_, std::string(Json(run).at("job_id").as_string()));
    return std::string(job.at("result").at("report_id").as_string());
  }

  // The delivery log of an endpoint once none is pending.
  json::value SettledLog(const std::string& path, size_t n) {
    json::value log;
    EXPECT_TRUE(WaitFor([&] {
      log = Json(api_->Get(path + "/deliveries"));
      const auto& data = log.at("data").as_array();
      return data.size() == n && std::all_of(data.begin(), data.end(), [](const auto& d) {
               return d.at("status").as_string() != "pending";
             });
    })) << log;
    return log;
  }

  FakeLlm llm_;
  ChatReceiver slack_{false}, teams_{true};
  WebhookReceiver signed_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_;
};

TEST_F(ChannelsTest, SlaBreachReachesSlackTeamsAndSignedEndpointsWithRetriesAndRedelivery) {
  const std::string base = "/reports/sla/webhooks";
  auto slack = Endpoint(base, slack_.url(), "slack", R"(["sla_report.completed","sla.breached"])");
  auto teams = Endpoint(base, teams_.url(), "teams", R"(["sla.breached"])");
  auto hooked = Endpoint(base, signed_.url(), "", R"(["sla_report.completed","sla.breached"])");
  EXPECT_EQ(slack.at("format").as_string(), "slack");
  EXPECT_EQ(hooked.at("format").as_string(), "signed");
  // The URL is the channel's secret: shown whole once, redacted in every read.
  EXPECT_EQ(slack.at("url").as_string(), slack_.url());
  std::string slack_path = base + "/" + std::string(slack.at("id").as_string());
  std::string teams_path = base + "/" + std::string(teams.at("id").as_string());
  std::string read = json::serialize(Json(api_->Get(slack_path)));
  EXPECT_EQ(read.find("SlackSecretXyz"), std::string::npos) << read;
  EXPECT_NE(read.find("/services/"), std::string::npos) << read;
  EXPECT_EQ(json::serialize(Json(api_->Get(base))).find("TeamsSecretAbc"), std::string::npos);
  auto bad =
      api_->Send("POST", base,
                 R"({"url":")" + slack_.url() + R"(","events":["sla.breached"],"format":"irc"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("format"), std::string::npos) << bad.body;

  // A report within the target: completed, not breached.
  RunSla(SlaSchedule("Porto", false));
  ASSERT_TRUE(signed_.WaitAccepted(1));
  EXPECT_EQ(LoggedTypes(SettledLog(base + "/" + std::string(hooked.at("id").as_string()), 1)),
            std::vector<std::string>{"sla_report.completed"});

  // A breach: every subscriber hears of it; Slack's first attempt fails and is retried.
  ASSERT_TRUE(slack_.WaitAccepted(1));
  slack_.FailNext(1);
  std::string report_id = RunSla(SlaSchedule("Lisbon", true));
  ASSERT_TRUE(slack_.WaitAccepted(3));
  ASSERT_TRUE(teams_.WaitAccepted(1));
  ASSERT_TRUE(signed_.WaitAccepted(3));
  EXPECT_EQ(slack_.refused(), 0);
  EXPECT_EQ(teams_.refused(), 0);

  std::string breached_body;
  for (const auto& r : signed_.received()) {
    if (r.headers.at("x-rapport-event") != "sla.breached") continue;
    auto data = json::parse(r.body).at("data");
    EXPECT_EQ(data.at("report_id").as_string(), report_id);
    EXPECT_EQ(data.at("breached_site_count").as_int64(), 1);
    EXPECT_EQ(data.at("breached_sites").at(0).at("site_name").as_string(), "Lisbon");
    EXPECT_DOUBLE_EQ(data.at("breached_sites").at(0).at("uptime_percentage").as_double(), 87.5);
    EXPECT_DOUBLE_EQ(data.at("sla_target").as_double(), 99.9);
  }
  auto slack_received = slack_.received();
  for (const auto& r : slack_received) {
    EXPECT_EQ(r.headers.count("x-rapport-signature"), 0u);  // the URL is the secret
    EXPECT_EQ(r.path, "/services/" + std::string(kSlackSecret));
    if (r.headers.at("x-rapport-event") != "sla.breached") continue;
    if (breached_body.empty()) breached_body = r.body;
    EXPECT_EQ(r.body, breached_body);  // the retry sends the same bytes
  }
  ASSERT_FALSE(breached_body.empty());
  auto message = json::parse(breached_body);
  std::string text(message.at("text").as_string());
  EXPECT_NE(text.find("SLA breached: 1 site in Weekly Lisbon"), std::string::npos) << text;
  EXPECT_NE(breached_body.find("Lisbon"), std::string::npos);
  EXPECT_NE(breached_body.find("87.5 %"), std::string::npos) << breached_body;
  EXPECT_NE(breached_body.find("99.9 %"), std::string::npos) << breached_body;
  std::string link = std::string(kPublicUrl) + "/#/reports/sla/" + report_id;
  EXPECT_NE(breached_body.find("<" + link + "|Open the report>"), std::string::npos)
      << breached_body;
  auto card = json::parse(teams_.received().at(0).body).at("attachments").at(0).at("content");
  EXPECT_EQ(card.at("actions").at(0).at("url").as_string(), link);
  EXPECT_NE(json::serialize(card).find("Lisbon"), std::string::npos);

  // The delivery log: Slack's breach delivery took two attempts, the 500 and Slack's 200.
  auto log = SettledLog(slack_path, 3);
  EXPECT_EQ(LoggedTypes(log), (std::vector<std::string>{"sla.breached", "sla_report.completed",
                                                        "sla_report.completed"}));
  int retried = 0;
  for (const auto& d : log.at("data").as_array()) {
    EXPECT_EQ(d.at("status").as_string(), "succeeded") << d;
    EXPECT_EQ(d.at("response_status").as_int64(), 200);
    if (d.at("attempts").as_int64() == 2) {
      ++retried;
      EXPECT_EQ(d.at("attempt_log").at(0).at("response_status").as_int64(), 500);
    }
  }
  EXPECT_EQ(retried, 1);

  // Re-delivery to Teams sends the stored card again.
  auto teams_log = SettledLog(teams_path, 1);
  std::string delivery(teams_log.at("data").at(0).at("id").as_string());
  EXPECT_EQ(teams_log.at("data").at(0).at("response_status").as_int64(), 202);
  auto again = api_->Send("POST", teams_path + "/deliveries/" + delivery + "/redeliver");
  ASSERT_EQ(again.status, 202) << again.body;
  ASSERT_TRUE(teams_.WaitAccepted(2));
  EXPECT_EQ(teams_.received().at(1).body, teams_.received().at(0).body);

  // The CLI registers one too.
  auto cli = RunCli(
      *server_, "--json webhooks create --format slack --event sla.breached --url " + slack_.url());
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out).at("format").as_string(), "slack");
  EXPECT_NE(
      RunCli(*server_, "webhooks create --format irc --event sla.breached --url " + slack_.url())
          .exit_code,
      0);

  // A channel that keeps failing: the error logged names the URL without its secret.
  auto dead = Endpoint(base, "http://127.0.0.1:1/services/" + std::string(kSlackSecret), "slack",
                       R"(["sla.breached"])");
  RunSla(SlaSchedule("Faro", true));
  auto dead_log = SettledLog(base + "/" + std::string(dead.at("id").as_string()), 1);
  EXPECT_EQ(dead_log.at("data").at(0).at("status").as_string(), "failed");
  std::string dead_json = json::serialize(dead_log);
  EXPECT_EQ(dead_json.find("SlackSecretXyz"), std::string::npos) << dead_json;
  std::string server_log = ReadFile(server_->data_dir() / "rapportd.log");
  EXPECT_EQ(server_log.find("SlackSecretXyz"), std::string::npos);
  EXPECT_EQ(server_log.find("TeamsSecretAbc"), std::string::npos);
}

TEST_F(ChannelsTest, VisibilityDroppedFiresAtTheThresholdAndNotJustBelowIt) {
  auto brand =
      api_->Post("/v1/brands", R"({"name":"Acme Analytics","website":"https://acme.example.com"})");
  std::string brand_id(Json(brand).at("id").as_string());
  ASSERT_EQ(api_->Send("PATCH", "/v1/brands/" + brand_id + "/facts",
                       R"({"description":"Analytics software"})")
                .status,
            200);
  std::string base = "/v1/brands/" + brand_id + "/webhooks";
  auto slack = Endpoint(base, slack_.url(), "slack", R"(["visibility.dropped"])");
  auto teams = Endpoint(base, teams_.url(), "teams", R"(["report.completed"])");
  auto hooked =
      Endpoint(base, signed_.url(), "signed", R"(["report.completed","visibility.dropped"])");

  // The threshold: whole points 1-100, validated, stored, returned, cleared with null.
  for (const char* bad : {"0", "101", "\"ten\""}) {
    auto r = api_->Post("/v1/scheduled-reports",
                        R"({"brand_id":")" + brand_id +
                            R"(","name":"X","frequency":"weekly","visibility_drop_threshold":)" +
                            bad + "}");
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
  }
  auto schedule = [&](const std::string& name, int threshold) {
    auto s = Json(api_->Post("/v1/scheduled-reports",
                             R"({"brand_id":")" + brand_id + R"(","name":")" + name +
                                 R"(","frequency":"weekly","visibility_drop_threshold":)" +
                                 std::to_string(threshold) + "}"));
    EXPECT_EQ(s.at("visibility_drop_threshold").as_int64(), threshold) << s;
    std::string id(s.at("id").as_string());
    auto config = Json(api_->Post(
        "/v1/region-configs",
        R"({"brand_id":")" + brand_id + R"(","scheduled_report_id":")" + id + R"(","name":"US )" +
            name + R"(","country":"US","language":"en","ai_platforms":["chatgpt"]})"));
    api_->Post("/v1/region-configs/" + std::string(config.at("id").as_string()) + "/prompts",
               R"({"prompts":[{"prompt_text":"What is the best analytics software?"},)"
               R"({"prompt_text":"What is the best dashboards tool?"}]})");
    return id;
  };
  std::string at_threshold = schedule("At", 50);
  std::string above = schedule("Above", 51);
  auto cleared = Json(api_->Send("PATCH", "/v1/scheduled-reports/" + above,
                                 R"({"visibility_drop_threshold":null})"));
  EXPECT_TRUE(cleared.at("visibility_drop_threshold").is_null()) << cleared;
  ASSERT_EQ(
      api_->Send("PATCH", "/v1/scheduled-reports/" + above, R"({"visibility_drop_threshold":51})")
          .status,
      200);
  auto run = [&](const std::string& id) {
    auto r = Json(api_->Post("/v1/scheduled-reports/" + id + "/executions", "{}"));
    auto job = WaitJob(*api_, std::string(r.at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << job;
    return std::string(job.at("result").at("report_ids").at(0).as_string());
  };
  // First runs: both prompts name Acme (100 %); then one stops naming it (50 %: down 50 points).
  run(at_threshold);
  run(above);
  llm_.Script("dashboards", "Initech is the only dashboards tool worth a look.");
  std::string dropped_report = run(at_threshold);
  run(above);
  ASSERT_TRUE(signed_.WaitAccepted(5));  // four report.completed, one visibility.dropped
  ASSERT_TRUE(slack_.WaitAccepted(1));
  ASSERT_TRUE(teams_.WaitAccepted(4));
  auto log = SettledLog(base + "/" + std::string(hooked.at("id").as_string()), 5);
  EXPECT_EQ(LoggedTypes(log),
            (std::vector<std::string>{"report.completed", "report.completed", "report.completed",
                                      "report.completed", "visibility.dropped"}));
  for (const auto& r : signed_.received()) {
    if (r.headers.at("x-rapport-event") != "visibility.dropped") continue;
    auto data = json::parse(r.body).at("data");
    EXPECT_EQ(data.at("scheduled_report_id").as_string(), at_threshold);
    EXPECT_EQ(data.at("report_id").as_string(), dropped_report);
    EXPECT_DOUBLE_EQ(data.at("visibility_score").to_number<double>(), 50.0);
    EXPECT_DOUBLE_EQ(data.at("previous_visibility_score").to_number<double>(), 100.0);
    EXPECT_DOUBLE_EQ(data.at("drop").to_number<double>(), 50.0);
    EXPECT_EQ(data.at("threshold").as_int64(), 50);
  }
  EXPECT_EQ(SettledLog(base + "/" + std::string(slack.at("id").as_string()), 1)
                .at("data")
                .at(0)
                .at("event_type")
                .as_string(),
            "visibility.dropped");
  std::string body = slack_.received().at(0).body;
  EXPECT_NE(body.find("Visibility dropped: Acme Analytics, US At 50.0 %"), std::string::npos)
      << body;
  EXPECT_NE(body.find("\xE2\x88\x92"
                      "50.0 points"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("chatgpt"), std::string::npos) << body;
  EXPECT_NE(body.find(std::string(kPublicUrl) + "/#/reports/brand/" + dropped_report),
            std::string::npos)
      << body;
  EXPECT_EQ(teams_.refused(), 0);
  EXPECT_EQ(slack_.refused(), 0);
  (void)teams;
}

}  // namespace
}  // namespace rapport::testing
