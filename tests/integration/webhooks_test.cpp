// Deliveries against a real rapportd. Webhooks with a local receiver: signed envelopes, retries
// after 500s and time-outs, exactly the subscribed events, the delivery log, re-delivery, the
// SSRF guard at create and at send time, the failure events of a run that fails. E-mail with a
// real SMTP server on loopback (aiosmtpd): the stored PDF attached byte for byte, the server's
// refusal logged as such and announced to the owner's endpoint.
#include "delivery_peers.hpp"
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;

// The event types of the requests received, in order.
std::vector<std::string> Types(const std::vector<ReceivedRequest>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.headers.at("x-rapport-event"));
  return out;
}

// True when the request's X-Rapport-Signature is HMAC-SHA256(secret, "<t>.<body>").
bool SignatureValid(const ReceivedRequest& r, const std::string& secret) {
  const std::string& header = r.headers.at("x-rapport-signature");
  auto comma = header.find(",v1=");
  if (header.rfind("t=", 0) != 0 || comma == std::string::npos) return false;
  std::string t = header.substr(2, comma - 2);
  return header.substr(comma + 4) == HexEncode(HmacSha256(secret, t + "." + r.body));
}

class WebhooksTest : public ::testing::Test {
 protected:
  void Start(bool allow_private = true, std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env{
        {"RAPPORT_WEBHOOKS_ALLOW_PRIVATE", allow_private ? "1" : "0"},
        {"RAPPORT_WEBHOOKS_RETRY_BASE_MS", "100"},
        {"RAPPORT_WEBHOOKS_RETRY_MAX_MS", "200"},
        {"RAPPORT_WEBHOOKS_TIMEOUT_MS", "500"},
        {"RAPPORT_WEBHOOKS_MAX_ATTEMPTS", "4"},
        {"RAPPORT_SCHEDULER_INTERVAL_MS", "50"},
        {"RAPPORT_LLM_BASE_URL", llm_.base_url()},
        {"RAPPORT_LLM_BACKOFF_BASE_MS", "20"},
        {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
        {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}};
    for (auto& [k, v] : extra) env[k] = v;
    server_.emplace(env);
    server_->Start();
    api_.emplace(*server_, Token("t1"));
    other_.emplace(*server_, Token("t2"));
  }

  json::value WaitJob(const std::string& id) { return testing::WaitJob(*api_, id); }

  // An SLA schedule over one site (down 2026-11-01 00:00-06:00 when `with_outage`) e-mailed to
  // `recipients` (a JSON list); returns the schedule id.
  std::string SlaSchedule(const std::string& recipients = "[]", bool with_outage = false) {
    auto site = api_->Send("POST", "/sites", R"({"name":"Lisbon","timezone":"UTC"})");
    EXPECT_EQ(site.status, 201) << site.body;
    std::string site_id(Json(site).at("id").as_string());
    if (with_outage) {
      auto fault = api_->Send("POST", "/faults",
                              R"({"resource_id":")" + site_id +
                                  R"(","type":"site","severity":"HIGH","cause":"Fiber cut",)"
                                  R"("created_at":"2026-11-01T00:00:00Z",)"
                                  R"("resolved_at":"2026-11-01T06:00:00Z"})");
      EXPECT_EQ(fault.status, 201) << fault.body;
    }
    auto schedule = api_->Send("POST", "/reports/sla/schedules",
                               R"({"name":"Hooks","timezone":"UTC","disabled":true,"sites":[")" +
                                   site_id + R"("],"recipients":)" + recipients + "}");
    EXPECT_EQ(schedule.status, 201) << schedule.body;
    return std::string(Json(schedule).at("id").as_string());
  }

  std::string RunSla(const std::string& schedule) {
    auto run = api_->Send("POST", "/reports/sla/schedules/" + schedule + "/run",
                          R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
    EXPECT_EQ(run.status, 202) << run.body;
    auto job = WaitJob(std::string(Json(run).at("job_id").as_string()));
    return std::string(job.at("result").at("report_id").as_string());
  }

  FakeLlm llm_;
  WebhookReceiver receiver_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_, other_;
};

TEST_F(WebhooksTest, SlaReportEventIsSignedRetriedAfter500AndTimeoutAndRedeliverable) {
  Start();
  auto created = api_->Send("POST", "/reports/sla/webhooks",
                            R"({"url":")" + receiver_.url() +
                                R"(","events":["sla_report.completed","sla_report.failed"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto endpoint = Json(created);
  EXPECT_EQ(endpoint.at("object").as_string(), "webhook_endpoint");
  EXPECT_TRUE(endpoint.at("enabled").as_bool());
  std::string secret(endpoint.at("secret").as_string());
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  std::string hook(endpoint.at("id").as_string());
  // The secret is shown once: reads never carry it.
  EXPECT_FALSE(Json(api_->Get("/reports/sla/webhooks/" + hook)).as_object().contains("secret"));
  EXPECT_EQ(other_->Get("/reports/sla/webhooks/" + hook).status, 404);

  receiver_.FailNext(1);
  receiver_.StallNext(1);
  std::string report_id = RunSla(SlaSchedule());
  ASSERT_TRUE(receiver_.WaitAccepted(1));
  auto received = receiver_.received();
  // A stall, then a 500 (in either order), then success: three attempts of one event.
  ASSERT_EQ(received.size(), 3u) << json::serialize(json::value(Types(received).size()));
  for (const auto& r : received) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/hook");
    EXPECT_EQ(r.headers.at("x-rapport-event"), "sla_report.completed");
    EXPECT_EQ(r.headers.at("x-rapport-event-id"), received[0].headers.at("x-rapport-event-id"));
    EXPECT_EQ(r.body, received[0].body);  // every attempt sends the same bytes
    EXPECT_TRUE(SignatureValid(r, secret)) << r.headers.at("x-rapport-signature");
    EXPECT_FALSE(SignatureValid(r, secret + "x"));
  }
  auto envelope = json::parse(received[0].body);
  EXPECT_EQ(envelope.at("type").as_string(), "sla_report.completed");
  EXPECT_EQ(envelope.at("api_version").as_string(), "v1");
  EXPECT_EQ(envelope.at("id").as_string(), received[0].headers.at("x-rapport-event-id"));
  EXPECT_EQ(envelope.at("data").at("report_id").as_string(), report_id);
  EXPECT_EQ(envelope.at("data").at("status").as_string(), "completed");
  EXPECT_DOUBLE_EQ(envelope.at("data").at("uptime_percentage").as_double(), 100.0);
  EXPECT_EQ(envelope.at("data").at("pdf_url").as_string(),
            "/reports/sla/reports/" + report_id + "/pdf");

  // The delivery log tells the true outcome (recorded just after the receiver's 204 went out).
  json::value log;
  ASSERT_TRUE(WaitFor([&] {
    log = Json(api_->Get("/reports/sla/webhooks/" + hook + "/deliveries"));
    const auto& data = log.at("data").as_array();
    return data.size() == 1 && data.at(0).at("status").as_string() != "pending";
  })) << log;
  const auto& delivery = log.at("data").at(0);
  EXPECT_EQ(delivery.at("status").as_string(), "succeeded");
  EXPECT_EQ(delivery.at("attempts").as_int64(), 3);
  EXPECT_EQ(delivery.at("response_status").as_int64(), 204);
  EXPECT_EQ(delivery.at("event_type").as_string(), "sla_report.completed");
  // Every attempt is listed with its outcome: a time-out and a 500 (in either order), then 204.
  const auto& attempts = delivery.at("attempt_log").as_array();
  ASSERT_EQ(attempts.size(), 3u) << delivery;
  std::vector<std::string> outcomes;
  for (const auto& a : attempts) {
    outcomes.push_back(a.at("response_status").is_null()
                           ? "no answer"
                           : std::to_string(a.at("response_status").as_int64()));
  }
  std::sort(outcomes.begin(), outcomes.end() - 1);
  EXPECT_EQ(outcomes, (std::vector<std::string>{"500", "no answer", "204"}));
  EXPECT_EQ(attempts[2].at("status").as_string(), "succeeded");
  EXPECT_EQ(attempts[0].at("status").as_string(), "pending");
  EXPECT_FALSE(attempts[0].at("error").is_null());
  // /metrics counts the same attempts.
  std::string metrics = Api(*server_, "").Get("/metrics").body;
  EXPECT_EQ(
      MetricSum(metrics, "rapport_deliveries_total", "channel=\"webhook\",outcome=\"pending\""), 2)
      << metrics;
  EXPECT_EQ(
      MetricSum(metrics, "rapport_deliveries_total", "channel=\"webhook\",outcome=\"succeeded\""),
      1);
  EXPECT_EQ(MetricSum(metrics, "rapport_job_outcomes_total",
                      "kind=\"webhook_delivery\",outcome=\"retried\""),
            2);

  // The CLI shows the same log.
  std::string cli = "RAPPORT_URL=" + server_->url() + " RAPPORT_TOKEN=" + Token("t1") + " " +
                    RAPPORT_CLI_PATH + " webhooks deliveries " + hook;
  std::string table = CommandOutput(cli);
  EXPECT_NE(table.find("sla_report.completed"), std::string::npos) << table;
  EXPECT_NE(table.find("succeeded"), std::string::npos) << table;

  // Re-delivery sends the stored envelope again; it does not re-run the report.
  std::string delivery_id(delivery.at("id").as_string());
  auto again = api_->Send(
      "POST", "/reports/sla/webhooks/" + hook + "/deliveries/" + delivery_id + "/redeliver");
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(Json(again).at("redelivery_of").as_string(), delivery_id);
  ASSERT_TRUE(receiver_.WaitAccepted(2));
  received = receiver_.received();
  ASSERT_EQ(received.size(), 4u);
  EXPECT_EQ(received[3].body, received[0].body);
  EXPECT_EQ(Json(api_->Get("/reports/sla/reports")).at("data").as_array().size(), 1u);
  EXPECT_EQ(
      Json(api_->Get("/reports/sla/webhooks/" + hook + "/deliveries")).at("data").as_array().size(),
      2u);

  // Rotating the secret: later deliveries verify with the new one only.
  auto rotated = Json(api_->Send("POST", "/reports/sla/webhooks/" + hook + "/rotate-secret"));
  std::string new_secret(rotated.at("secret").as_string());
  EXPECT_NE(new_secret, secret);
  RunSla(SlaSchedule());
  ASSERT_TRUE(receiver_.WaitAccepted(3));
  received = receiver_.received();
  EXPECT_TRUE(SignatureValid(received.back(), new_secret));
  EXPECT_FALSE(SignatureValid(received.back(), secret));
  // A disabled endpoint receives nothing more.
  EXPECT_EQ(api_->Send("PATCH", "/reports/sla/webhooks/" + hook, R"({"enabled":false})").status,
            200);
  RunSla(SlaSchedule());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(receiver_.received().size(), 5u);
  EXPECT_EQ(api_->Send("DELETE", "/reports/sla/webhooks/" + hook).status, 204);
  EXPECT_EQ(api_->Get("/reports/sla/webhooks/" + hook).status, 404);
}

TEST_F(WebhooksTest, BrandRunEventsReachOnlyTheBrandsSubscribedEndpoints) {
  Start();
  auto brand =
      api_->Post("/v1/brands", R"({"name":"Acme Analytics","website":"https://acme.example.com"})");
  std::string brand_id(Json(brand).at("id").as_string());
  auto facts = api_->Send("PATCH", "/v1/brands/" + brand_id + "/facts",
                          R"({"description":"Analytics software"})");
  ASSERT_EQ(facts.status, 200) << facts.body;
  auto created = api_->Post("/v1/brands/" + brand_id + "/webhooks",
                            R"({"url":")" + receiver_.url() +
                                R"(","events":["report.completed","schedule.run.completed",)"
                                R"("schedule.run.failed","report.failed"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret(Json(created).at("secret").as_string());
  std::string hook(Json(created).at("id").as_string());
  EXPECT_EQ(Json(created).at("brand_id").as_string(), brand_id);
  // Validation in the /v1 dialect; another tenant cannot see it; scopes apply.
  auto bad =
      api_->Post("/v1/brands/" + brand_id + "/webhooks",
                 R"({"url":")" + receiver_.url() + R"(","events":["sla_report.completed"]})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("Unknown event type 'sla_report.completed'"), std::string::npos);
  EXPECT_EQ(other_->Get("/v1/brands/" + brand_id + "/webhooks").status, 404);
  Api reader(*server_, Token("t1", "read:webhooks"));
  EXPECT_EQ(reader.Get("/v1/brands/" + brand_id + "/webhooks").status, 200);
  EXPECT_EQ(reader.Post("/v1/brands/" + brand_id + "/webhooks", "{}").status, 403);
  Api brands_only(*server_, Token("t1", "read:brands"));
  EXPECT_EQ(brands_only.Get("/v1/brands/" + brand_id + "/webhooks").status, 403);

  auto schedule =
      Json(api_->Post("/v1/scheduled-reports", R"({"brand_id":")" + brand_id +
                                                   R"(","name":"Weekly","frequency":"weekly"})"));
  std::string schedule_id(schedule.at("id").as_string());
  auto config =
      Json(api_->Post("/v1/region-configs", R"({"brand_id":")" + brand_id +
                                                R"(","scheduled_report_id":")" + schedule_id +
                                                R"(","name":"US","country":"US","language":"en",)"
                                                R"("ai_platforms":["chatgpt"]})"));
  std::string config_id(config.at("id").as_string());
  api_->Post("/v1/region-configs/" + config_id + "/prompts",
             R"({"prompts":[{"prompt_text":"What is the best analytics software?"}]})");
  auto run = Json(api_->Post("/v1/scheduled-reports/" + schedule_id + "/executions", "{}"));
  auto job = WaitJob(std::string(run.at("job_id").as_string()));
  ASSERT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  ASSERT_TRUE(receiver_.WaitAccepted(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing else may arrive
  auto received = receiver_.received();
  auto types = Types(received);
  std::sort(types.begin(), types.end());
  ASSERT_EQ(types, (std::vector<std::string>{"report.completed", "schedule.run.completed"}));
  for (const auto& r : received) EXPECT_TRUE(SignatureValid(r, secret));
  for (const auto& r : received) {
    auto data = json::parse(r.body).at("data");
    EXPECT_EQ(data.at("brand_id").as_string(), brand_id);
    EXPECT_EQ(data.at("scheduled_report_id").as_string(), schedule_id);
    if (r.headers.at("x-rapport-event") == "schedule.run.completed") {
      EXPECT_EQ(data.at("completed_regions_count").as_int64(), 1);
      EXPECT_EQ(data.at("total_regions_count").as_int64(), 1);
    } else {
      EXPECT_EQ(data.at("region_config_id").as_string(), config_id);
      EXPECT_EQ(data.at("report_id"), job.at("result").at("report_ids").at(0));
    }
  }

  // A run that fails (no provider for its platform any more) reports why, per region and for
  // the run.
  server_->Stop();
  server_->SetEnv("RAPPORT_LLM_BASE_URL", "");
  server_->Start();
  api_.emplace(*server_, Token("t1"));
  auto failing = Json(api_->Post("/v1/scheduled-reports/" + schedule_id + "/executions", "{}"));
  ASSERT_EQ(WaitJob(std::string(failing.at("job_id").as_string())).at("status").as_string(),
            "failed");
  ASSERT_TRUE(receiver_.WaitAccepted(4));
  received = receiver_.received();
  ASSERT_EQ(received.size(), 4u);
  types = Types({received[2], received[3]});
  std::sort(types.begin(), types.end());
  ASSERT_EQ(types, (std::vector<std::string>{"report.failed", "schedule.run.failed"}));
  auto failed = json::parse(received[2].body).at("data");
  EXPECT_EQ(failed.at("status").as_string(), "failed");
  EXPECT_NE(json::serialize(failed.at("failure_reason")).find("platform(s) chatgpt"),
            std::string::npos)
      << failed;
}

TEST_F(WebhooksTest, PrivateAddressesAreRefusedAtCreateAndAtSendTime) {
  Start(/*allow_private=*/false);
  auto refused =
      api_->Send("POST", "/reports/sla/webhooks",
                 R"({"url":")" + receiver_.url() + R"(","events":["sla_report.completed"]})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("loopback"), std::string::npos) << refused.body;
  for (const char* url : {"http://169.254.169.254/latest/meta-data", "http://10.0.0.8/x",
                          "http://[::1]/x", "file:///etc/passwd", "http://localhost:1/x"}) {
    auto r =
        api_->Send("POST", "/reports/sla/webhooks",
                   std::string(R"({"url":")") + url + R"(","events":["sla_report.completed"]})");
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
  }
  EXPECT_EQ(Json(api_->Get("/reports/sla/webhooks")).at("data").as_array().size(), 0u);

  // Saved while allowed, then the operator turns it off: the attempt is refused, not sent.
  server_->Stop();
  server_->SetEnv("RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "1");
  server_->Start();
  api_.emplace(*server_, Token("t1"));
  auto created =
      api_->Send("POST", "/reports/sla/webhooks",
                 R"({"url":")" + receiver_.url() + R"(","events":["sla_report.completed"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string hook(Json(created).at("id").as_string());
  server_->Stop();
  server_->SetEnv("RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "0");
  server_->Start();
  api_.emplace(*server_, Token("t1"));
  RunSla(SlaSchedule());
  json::value delivery;
  for (int i = 0; i < 100; ++i) {
    auto log = Json(api_->Get("/reports/sla/webhooks/" + hook + "/deliveries"));
    if (!log.at("data").as_array().empty() &&
        log.at("data").at(0).at("status").as_string() != "pending") {
      delivery = log.at("data").at(0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(delivery.is_object());
  EXPECT_EQ(delivery.at("status").as_string(), "failed");
  EXPECT_NE(delivery.at("error").as_string().find("loopback"), std::string::npos) << delivery;
  EXPECT_TRUE(receiver_.received().empty());
}

TEST_F(WebhooksTest, ReportsAreEmailedWithTheStoredPdfAndRefusalsAreLoggedAndAnnounced) {
  SmtpSink smtp;
  ASSERT_GT(smtp.port(), 0);
  Start(true, {{"RAPPORT_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(smtp.port())},
               {"RAPPORT_SMTP_REQUIRE_TLS", "0"},
               {"RAPPORT_SMTP_FROM", "Rapport Reports <reports@example.com>"},
               {"RAPPORT_SMTP_RETRY_BASE_MS", "100"},
               {"RAPPORT_SMTP_MAX_ATTEMPTS", "3"}});
  // The owner's endpoint hears about failed deliveries.
  auto hook = api_->Send("POST", "/reports/sla/webhooks",
                         R"({"url":")" + receiver_.url() + R"(","events":["delivery.failed"]})");
  ASSERT_EQ(hook.status, 201) << hook.body;

  std::string report_id =
      RunSla(SlaSchedule(R"(["ops@example.com","reject@example.com"])", /*with_outage=*/true));
  auto report = Json(api_->Get("/reports/sla/reports/" + report_id));
  EXPECT_EQ(report.at("email").at("status").as_string(), "queued");
  ASSERT_TRUE(smtp.WaitMessages(1));
  json::value log;
  for (int i = 0; i < 200; ++i) {  // until neither delivery is pending
    log = Json(api_->Get("/reports/sla/reports/" + report_id + "/deliveries"));
    bool pending = false;
    for (const auto& d : log.at("data").as_array()) pending |= d.at("status") == "pending";
    if (!pending && log.at("data").as_array().size() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(log.at("data").as_array().size(), 2u) << log;
  std::map<std::string, json::value> by_recipient;
  for (const auto& d : log.at("data").as_array()) {
    by_recipient[std::string(d.at("recipient").as_string())] = d;
  }
  EXPECT_EQ(by_recipient["ops@example.com"].at("status").as_string(), "succeeded");
  EXPECT_EQ(by_recipient["ops@example.com"].at("smtp_status").as_int64(), 250);
  // The server's refusal is the outcome, not "sent": failed at once (a 5xx is permanent).
  const auto& refused = by_recipient["reject@example.com"];
  EXPECT_EQ(refused.at("status").as_string(), "failed") << refused;
  EXPECT_EQ(refused.at("smtp_status").as_int64(), 550) << refused;
  EXPECT_EQ(refused.at("attempts").as_int64(), 1);
  EXPECT_NE(refused.at("error").as_string().find("550"), std::string::npos) << refused;
  std::string metrics = Api(*server_, "").Get("/metrics").body;
  EXPECT_EQ(
      MetricSum(metrics, "rapport_deliveries_total", "channel=\"email\",outcome=\"succeeded\""), 1)
      << metrics;
  EXPECT_EQ(MetricSum(metrics, "rapport_deliveries_total", "channel=\"email\",outcome=\"failed\""),
            1);
  ASSERT_EQ(refused.at("attempt_log").as_array().size(), 1u);
  EXPECT_EQ(refused.at("attempt_log").at(0).at("smtp_status").as_int64(), 550);

  // One message, to the accepted recipient, with the stored PDF attached byte for byte.
  ASSERT_EQ(smtp.Messages().size(), 1u);
  auto [mail, attachment] = smtp.Parse(smtp.Messages()[0]);
  std::string pdf = api_->Get("/reports/sla/reports/" + report_id + "/pdf").body;
  EXPECT_EQ(attachment, pdf);
  EXPECT_EQ(mail.at("attachment").as_string(), "sla-report-2026-11-01-to-2026-11-02.pdf");
  EXPECT_EQ(mail.at("to").as_string(), "ops@example.com");
  EXPECT_EQ(mail.at("from").as_string(), "Rapport Reports <reports@example.com>");
  // 6 h down of 48 h: 87.5 %, below the default 99.5 % target.
  EXPECT_NE(mail.at("subject").as_string().find("Hooks"), std::string::npos) << mail;
  std::string text(mail.at("text").as_string());
  EXPECT_NE(text.find("Period: 2026-11-01 to 2026-11-02 (UTC)"), std::string::npos) << text;
  EXPECT_NE(text.find("Overall uptime: 87.500 %"), std::string::npos) << text;
  EXPECT_NE(text.find("Sites breaching the target: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("Lisbon: 87.500 %"), std::string::npos) << text;
  EXPECT_NE(std::string(mail.at("html").as_string()).find("<b>87.500 %</b>"), std::string::npos);

  // The refusal reached the owner's endpoint.
  ASSERT_TRUE(receiver_.WaitAccepted(1));
  auto announced = json::parse(receiver_.received()[0].body);
  EXPECT_EQ(announced.at("type").as_string(), "delivery.failed");
  EXPECT_EQ(announced.at("data").at("recipient").as_string(), "reject@example.com");
  EXPECT_EQ(announced.at("data").at("report_id").as_string(), report_id);

  // Re-sending sends the same stored PDF again; the report is not re-run.
  std::string ops_delivery(by_recipient["ops@example.com"].at("id").as_string());
  auto resent = api_->Send(
      "POST", "/reports/sla/reports/" + report_id + "/deliveries/" + ops_delivery + "/resend");
  ASSERT_EQ(resent.status, 202) << resent.body;
  ASSERT_TRUE(smtp.WaitMessages(2));
  EXPECT_EQ(smtp.Parse(smtp.Messages()[1]).second, pdf);
  EXPECT_EQ(Json(api_->Get("/reports/sla/reports")).at("data").as_array().size(), 1u);
  EXPECT_EQ(api_->Send("POST", "/reports/sla/reports/" + report_id +
                                   "/deliveries/eml_000000000000000000000000000/resend")
                .status,
            404);
  // The CLI shows the log.
  std::string cmd = "RAPPORT_URL=" + server_->url() + " RAPPORT_TOKEN=" + Token("t1") + " " +
                    RAPPORT_CLI_PATH + " reports deliveries " + report_id;
  std::string table = CommandOutput(cmd);
  EXPECT_NE(table.find("reject@example.com"), std::string::npos) << table;
  EXPECT_NE(table.find("550"), std::string::npos) << table;
  EXPECT_NE(table.find("succeeded"), std::string::npos) << table;
}

TEST_F(WebhooksTest, WithoutSmtpTheReportSaysItsRecipientsWereSkipped) {
  Start();
  std::string report_id = RunSla(SlaSchedule(R"(["ops@example.com"])"));
  auto report = Json(api_->Get("/reports/sla/reports/" + report_id));
  EXPECT_EQ(report.at("email").at("status").as_string(), "skipped");
  EXPECT_NE(report.at("email").at("reason").as_string().find("smtp.url"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Json(api_->Get("/reports/sla/reports/" + report_id + "/deliveries"))
                .at("data")
                .as_array()
                .size(),
            0u);
}

}  // namespace
}  // namespace rapport::testing
