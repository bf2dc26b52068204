// The OpenAPI document against the real server: one scenario walks every documented operation
// of both dialects on a live rapportd (with a local answer engine, webhook receiver and SMTP
// server), and every response it gets — successes and the error cases it provokes — must have a
// documented status, the documented media type and a body that satisfies the documented schema.
// At the end every operation must have been seen answering a 2xx.
#include "openapi_contract.hpp"
#include "delivery_peers.hpp"
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;

json::value LoadDocument() {
  std::ifstream in(std::string(RAPPORT_SOURCE_DIR) + "/openapi/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// A client whose every exchange is checked against the document.
class CheckedApi {
 public:
  CheckedApi(OpenApiContract& contract, const ServerProcess& server, std::string token)
      : contract_(contract), api_(server, std::move(token)) {}

  client::HttpResult Send(const std::string& method, const std::string& path,
                          const std::string& body = "", std::vector<std::string> headers = {}) {
    // Every POST carries a fresh Idempotency-Key (the /v1 dialect requires one).
    auto r = method == "POST" && headers.empty() ? api_.Post(path, body)
                                                 : api_.Send(method, path, body, headers);
    for (const auto& problem :
         contract_.Check(method, path, body, static_cast<int>(r.status),
                         r.Header("content-type").value_or(""), r.body, &r.headers)) {
      ADD_FAILURE() << problem << "\n  body: " << r.body.substr(0, 600);
    }
    return r;
  }
  // Sends and expects `status`; returns the JSON body (null when there is none).
  json::value Expect(long status, const std::string& method, const std::string& path,
                     const std::string& body = "") {
    auto r = Send(method, path, body);
    EXPECT_EQ(r.status, status) << method << " " << path << " " << r.body.substr(0, 600);
    if (r.body.empty() || r.Header("content-type").value_or("").find("json") == std::string::npos) {
      return nullptr;
    }
    return json::parse(r.body);
  }
  std::string Id(long status, const std::string& method, const std::string& path,
                 const std::string& body) {
    auto v = Expect(status, method, path, body);
    if (!v.is_object() || !v.as_object().contains("id")) return "missing";
    return std::string(v.at("id").as_string());
  }
  json::value WaitJob(const std::string& id) { return testing::WaitJob(api_, id); }
  // Polls a delivery log until its newest entry has settled (is no longer pending); its id, or ""
  // with a test failure.
  std::string SettledDelivery(const std::string& log_path) {
    json::value log;
    bool settled = WaitFor([&] {
      log = Expect(200, "GET", log_path);
      const auto& data = log.at("data").as_array();
      return !data.empty() && data.at(0).at("status") != "pending";
    });
    if (!settled) {
      ADD_FAILURE() << log_path << " never settled: " << log;
      return "";
    }
    return std::string(log.at("data").at(0).at("id").as_string());
  }

 private:
  OpenApiContract& contract_;
  Api api_;
};

TEST(OpenApiContractTest, TheCheckerRefusesWhatTheDocumentDoesNot) {
  OpenApiContract contract(LoadDocument());
  const std::string site =
      R"({"id":"site_0ERvSJxpvD2s1AmHju7aQedrcbf","name":"Lisbon",)"
      R"("timezone":"Europe/Lisbon","tags":{},"created_at":"2026-11-01T00:00:00.000Z",)"
      R"("updated_at":"2026-11-01T00:00:00.000Z"})";
  auto ok = contract.Check("GET", "/sites/site_x", "", 200, "application/json", site);
  // The sample itself must conform, or the refusals below prove nothing.
  ASSERT_TRUE(ok.empty()) << ok.front();
  json::value broken = json::parse(site);
  broken.as_object().erase("id");
  broken.as_object()["name"] = 42;
  auto problems =
      contract.Check("GET", "/sites/site_x", "", 200, "application/json", json::serialize(broken));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("lacks required 'id'"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("body.name: expected string, got 42"), std::string::npos)
      << problems[1];
  EXPECT_EQ(contract.Check("GET", "/sites/site_x", "", 418, "application/json", site).size(), 1u);
  // Documented headers: X-Correlation-ID is required everywhere, RateLimit-* are integers.
  std::vector<std::pair<std::string, std::string>> headers = {
      {"x-correlation-id", "9f6c4e8a-1d3b-4c8b-9f1e-7a3b1c2d3e4f"}, {"ratelimit-remaining", "7"}};
  EXPECT_TRUE(
      contract.Check("GET", "/sites/site_x", "", 200, "application/json", site, &headers).empty());
  headers[1].second = "seven";
  headers.erase(headers.begin());
  EXPECT_EQ(
      contract.Check("GET", "/sites/site_x", "", 200, "application/json", site, &headers).size(),
      2u);
  EXPECT_EQ(contract.Check("GET", "/sites/site_x", "", 200, "text/html", site).size(), 1u);
  EXPECT_EQ(contract.Check("PUT", "/sites/site_x", "", 200, "application/json", site).size(), 1u);
  EXPECT_EQ(contract.Check("DELETE", "/sites/site_x", "", 204, "", "{}").size(), 1u);
  EXPECT_FALSE(contract
                   .Validate(json::parse(R"({"type":"string","format":"date-time"})"),
                             json::value("2026-11-01 00:00"))
                   .empty());
  EXPECT_FALSE(contract
                   .Validate(json::parse(R"({"oneOf":[{"type":"integer"},{"type":"number"}]})"),
                             json::value(3))
                   .empty());
}

// Console sign-in, users and API tokens (the accounts module): every operation, as an admin
// with a JWT and then with a session cookie.
void WalkAccounts(OpenApiContract& contract, const ServerProcess& server) {
  CheckedApi api(contract, server, Token("t1"));
  auto user =
      api.Expect(201, "POST", "/v1/users", R"({"email":"walk@example.com","role":"viewer"})");
  std::string user_id(user.at("id").as_string());
  std::string password(user.at("password").as_string());
  api.Expect(200, "GET", "/v1/users?limit=5");
  api.Expect(422, "POST", "/v1/users", R"({"email":"walk@example.com","role":"owner"})");
  api.Expect(409, "POST", "/v1/users", R"({"email":"WALK@example.com","role":"viewer"})");
  api.Expect(200, "PATCH", "/v1/users/" + user_id, R"({"role":"editor","disabled":false})");
  password = std::string(api.Expect(200, "POST", "/v1/users/" + user_id + "/reset-password")
                             .at("password")
                             .as_string());
  auto token = api.Expect(201, "POST", "/v1/tokens", R"({"name":"walk","scopes":["read:all"]})");
  api.Expect(200, "GET", "/v1/tokens");
  api.Expect(204, "DELETE", "/v1/tokens/" + std::string(token.at("id").as_string()));
  api.Expect(404, "DELETE", "/v1/tokens/tok_0ES7wRCjJSF9h4ycUJmlWyI8mC7");

  CheckedApi anonymous(contract, server, "");
  anonymous.Expect(401, "POST", "/auth/login", R"({"email":"walk@example.com","password":"no"})");
  anonymous.Expect(400, "POST", "/auth/login", R"({"email":"walk@example.com"})");
  auto login = anonymous.Send(
      "POST", "/auth/login",
      json::serialize(json::object{{"email", "walk@example.com"}, {"password", password}}));
  ASSERT_EQ(login.status, 200) << login.body;
  std::string set_cookie = login.Header("set-cookie").value_or("");
  std::string cookie = "Cookie: " + set_cookie.substr(0, set_cookie.find(';'));
  std::string csrf(json::parse(login.body).at("csrf_token").as_string());
  EXPECT_EQ(anonymous.Send("GET", "/auth/session", "", {cookie}).status, 200);
  EXPECT_EQ(anonymous.Send("POST", "/auth/logout", "", {cookie}).status, 403);
  EXPECT_EQ(anonymous.Send("POST", "/auth/logout", "", {cookie, "X-CSRF-Token: " + csrf}).status,
            204);
  EXPECT_EQ(anonymous.Send("GET", "/auth/session", "", {cookie}).status, 401);
  api.Expect(204, "DELETE", "/v1/users/" + user_id);
}

class OpenApiContractScenario : public ::testing::Test {
 protected:
  OpenApiContractScenario() : contract_(LoadDocument()) {}

  FakeLlm llm_;
  WebhookReceiver receiver_;
  SmtpSink smtp_;
  OpenApiContract contract_;
};

TEST_F(OpenApiContractScenario, EveryOperationAnswersAsDocumented) {
  ASSERT_GT(smtp_.port(), 0);
  ServerProcess server({{"RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "1"},
                        {"RAPPORT_WEBHOOKS_RETRY_BASE_MS", "100"},
                        {"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                        {"RAPPORT_LLM_BACKOFF_BASE_MS", "20"},
                        {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                        {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                        {"RAPPORT_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(smtp_.port())},
                        {"RAPPORT_SMTP_REQUIRE_TLS", "0"},
                        {"RAPPORT_SMTP_FROM", "Rapport Reports <reports@example.com>"},
                        // Jobs pause between steps, so that one can be cancelled while it runs.
                        {"RAPPORT_JOB_STEP_DELAY_MS", "100"}});
  server.Start();
  CheckedApi api(contract_, server, Token("t1"));
  CheckedApi anonymous(contract_, server, "");
  CheckedApi reader(contract_, server, Token("t1", "read:all"));
  CheckedApi other(contract_, server, Token("t2"));

  // Account.
  api.Expect(200, "GET", "/v1/me");
  anonymous.Expect(401, "GET", "/v1/me");
  CheckedApi(contract_, server, Token("t1", "read:brands")).Expect(403, "GET", "/v1/me");

  // System.
  api.Expect(200, "GET", "/healthz");
  api.Expect(200, "GET", "/readyz");
  api.Expect(200, "GET", "/metrics");
  api.Expect(200, "GET", "/openapi.json");
  api.Expect(200, "GET", "/docs/errors");
  api.Expect(200, "GET", "/docs");
  if (RAPPORT_DOCS_UI) {
    auto bundle = api.Send("GET", "/docs/redoc.standalone.js");
    EXPECT_EQ(bundle.status, 200);
    auto cached = api.Send("GET", "/docs/redoc.standalone.js", "",
                           {"If-None-Match: " + bundle.Header("etag").value_or("")});
    EXPECT_EQ(cached.status, 304);
    api.Expect(200, "GET", "/docs/redoc-init.js");
    for (const char* asset : {"/assets/console.js", "/assets/console.css"}) {
      auto bytes = api.Send("GET", asset);
      EXPECT_EQ(bytes.status, 200) << asset;
      EXPECT_EQ(api.Send("GET", asset, "", {"If-None-Match: " + bytes.Header("etag").value_or("")})
                    .status,
                304)
          << asset;
    }
  } else {
    api.Expect(404, "GET", "/docs/redoc.standalone.js");
    api.Expect(200, "GET", "/docs/redoc-init.js");
    api.Expect(404, "GET", "/assets/console.js");
    api.Expect(404, "GET", "/assets/console.css");
  }
  anonymous.Expect(200, "GET", "/");
  anonymous.Expect(200, "GET", "/s/some-token");

  // Sites, faults, business hours (the SLA dialect), with its errors.
  std::string site =
      api.Id(201, "POST", "/sites",
             R"({"name":"Lisbon","timezone":"Europe/Lisbon","tags":{"tier":"gold"}})");
  std::string spare = api.Id(201, "POST", "/sites", R"({"name":"Porto","timezone":"UTC"})");
  api.Expect(400, "POST", "/sites", R"({"timezone":"UTC"})");
  api.Expect(400, "POST", "/sites", R"({"name":"x","timezone":"Mars/Olympus"})");
  api.Expect(413, "POST", "/sites", R"({"name":")" + std::string(2 << 20, 'x') + R"("})");
  anonymous.Expect(401, "GET", "/sites");
  CheckedApi(contract_, server, Token("t1", "read:brands")).Expect(403, "GET", "/sites");
  api.Expect(200, "GET", "/sites?limit=1");
  api.Expect(200, "GET", "/sites/" + site);
  other.Expect(404, "GET", "/sites/" + site);
  api.Expect(200, "PATCH", "/sites/" + site, R"({"name":"Lisbon HQ"})");
  api.Expect(204, "DELETE", "/sites/" + spare);

  std::string fault = api.Id(201, "POST", "/faults",
                             R"({"resource_id":")" + site +
                                 R"(","type":"site","severity":"HIGH","cause":"Fiber cut",)"
                                 R"("created_at":"2026-11-01T00:00:00Z"})");
  api.Expect(400, "POST", "/faults", R"({"resource_id":")" + site + R"(","type":"site"})");
  api.Expect(201, "POST", "/faults/bulk",
             R"({"faults":[{"resource_id":")" + site +
                 R"(","type":"site","severity":"LOW","cause":"Flap",)"
                 R"("created_at":"2026-11-01T08:00:00Z","resolved_at":"2026-11-01T08:05:00Z"}]})");
  api.Expect(200, "GET", "/faults?resource_id=" + site);
  api.Expect(200, "GET", "/faults/" + fault);
  api.Expect(200, "PATCH", "/faults/" + fault,
             R"({"status":"resolved","resolved_at":"2026-11-01T06:00:00Z"})");
  api.Expect(200, "POST", "/integrations/alertmanager",
             R"({"version":"4","status":"firing","alerts":[{"status":"firing","labels":)"
             R"({"alertname":"SiteDown","site":")" +
                 site +
                 R"("},"startsAt":"2026-11-03T10:00:00Z","endsAt":"0001-01-01T00:00:00Z",)"
                 R"("fingerprint":"abc"}]})");
  api.Expect(200, "POST", "/integrations/grafana",
             R"({"receiver":"rapport","status":"firing","orgId":1,"alerts":[{"status":"firing",)"
             R"("labels":{"alertname":"SiteDown","site":")" +
                 site +
                 R"("},"annotations":{"summary":"down"},"startsAt":"2026-11-03T11:00:00Z",)"
                 R"("endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"abc",)"
                 R"("silenceURL":"","dashboardURL":"","panelURL":"","values":{"B":1},)"
                 R"("imageURL":""}],"groupLabels":{},"commonLabels":{},"commonAnnotations":{},)"
                 R"("externalURL":"","version":"1","groupKey":"{}:{}","truncatedAlerts":0,)"
                 R"("title":"[FIRING:1]","state":"alerting","message":""})");
  api.Expect(200, "POST", "/integrations/zabbix",
             R"({"event_id":"4242","event_value":1,"event_update_status":0,)"
             R"("event_timestamp":1793872800,"event_name":"Down","event_nseverity":4,)"
             R"("host":"edge","tags":[{"tag":"site","value":")" +
                 site + R"("}]})");
  api.Expect(400, "POST", "/integrations/zabbix", R"({"event_value":1})");
  api.Expect(200, "POST", "/integrations/uptime-kuma",
             R"({"heartbeat":{"monitorID":3,"status":0,"time":"2026-11-03 12:00:00.000",)"
             R"("msg":"timeout"},"monitor":{"id":3,"name":")" +
                 site + R"(","tags":[]},"msg":"[Lisbon] [Down] timeout"})");
  api.Expect(400, "POST", "/integrations/uptime-kuma", R"({"heartbeat":{"status":0}})");
  for (long status : {200L, 400L}) {
    std::string csv = "external_id,resource_id,type,severity,created_at\n" +
                      std::string(status == 200 ? "c1," + site : "c1,site_nowhere") +
                      ",site,LOW,2026-11-02T00:00:00Z\n";
    auto r = api.Send("POST", "/faults/import", csv, {"Content-Type: text/csv"});
    EXPECT_EQ(r.status, status) << r.body;
  }

  const std::string hours = R"({"name":"Office","timezone":"Europe/Lisbon","hours":[)"
                            R"({"day":"monday","start":"09:00","end":"17:00"}]})";
  std::string office = api.Id(201, "POST", "/business-hours", hours);
  std::string spare_hours = api.Id(201, "POST", "/business-hours", hours);
  api.Expect(200, "GET", "/business-hours");
  api.Expect(200, "GET", "/business-hours/" + office);
  api.Expect(200, "PUT", "/business-hours/" + office,
             R"({"name":"Office 2","timezone":"UTC","hours":[]})");
  api.Expect(204, "DELETE", "/business-hours/" + spare_hours);

  // Maintenance windows: one-off by site, weekly by tag; a window shows in the report below.
  std::string window =
      api.Id(201, "POST", "/maintenance-windows",
             R"({"name":"Swap","type":"one_off","starts_at":"2026-11-01T00:00:00Z",)"
             R"("ends_at":"2026-11-01T01:00:00Z","site_ids":[")" +
                 site + R"("]})");
  std::string patching = api.Id(201, "POST", "/maintenance-windows",
                                R"({"name":"Patching","type":"weekly","timezone":"Europe/Lisbon",)"
                                R"("days":["sunday"],"start":"02:00","duration_minutes":60,)"
                                R"("tags":{"region":"eu"}})");
  api.Expect(400, "POST", "/maintenance-windows", R"({"name":"x","type":"weekly"})");
  api.Expect(200, "GET", "/maintenance-windows");
  api.Expect(200, "GET", "/maintenance-windows/" + window);
  api.Expect(200, "PUT", "/maintenance-windows/" + patching,
             R"({"name":"Patching 2","type":"weekly","days":["saturday"],"start":"23:30",)"
             R"("duration_minutes":120,"tags":{"region":"eu"}})");
  api.Expect(200, "PATCH", "/maintenance-windows/" + patching, R"({"name":"Patching 3"})");
  api.Expect(404, "GET", "/maintenance-windows/mw_000000000000000000000000000");
  api.Expect(204, "DELETE", "/maintenance-windows/" + patching);

  // SLA webhooks, schedules, a run, its report and deliveries.
  std::string sla_hook =
      api.Id(201, "POST", "/reports/sla/webhooks",
             R"({"url":")" + receiver_.url() + R"(","events":["sla_report.completed"]})");
  api.Expect(400, "POST", "/reports/sla/webhooks", R"({"url":"ftp://x","events":[]})");
  api.Expect(200, "GET", "/reports/sla/webhooks");
  api.Expect(200, "GET", "/reports/sla/webhooks/" + sla_hook);
  api.Expect(200, "PATCH", "/reports/sla/webhooks/" + sla_hook, R"({"enabled":true})");
  api.Expect(200, "POST", "/reports/sla/webhooks/" + sla_hook + "/rotate-secret");

  const std::string schedule_body = R"({"name":"Daily","timezone":"UTC","disabled":true,)"
                                    R"("sites":[")" +
                                    site + R"("],"recipients":["ops@example.com"]})";
  std::string schedule = api.Id(201, "POST", "/reports/sla/schedules", schedule_body);
  std::string spare_schedule = api.Id(201, "POST", "/reports/sla/schedules", schedule_body);
  api.Expect(400, "POST", "/reports/sla/schedules", R"({"name":"x","timezone":"UTC","daily":7})");
  api.Expect(200, "POST", "/reports/sla/schedules/preview?count=2",
             R"({"name":"P","timezone":"UTC","daily":true,"sites":[")" + site + R"("]})");
  api.Expect(400, "POST", "/reports/sla/schedules/preview", R"({"name":"P","timezone":"UTC"})");
  api.Expect(200, "GET", "/reports/sla/uptime?group_by=region&lowest=2");
  api.Expect(400, "GET", "/reports/sla/uptime?lowest=101");
  api.Expect(200, "GET", "/reports/sla/schedules");
  api.Expect(200, "GET", "/reports/sla/schedules/" + schedule);
  api.Expect(200, "PUT", "/reports/sla/schedules/" + schedule, schedule_body);
  auto run = api.Expect(202, "POST", "/reports/sla/schedules/" + schedule + "/run",
                        R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
  api.Expect(400, "POST", "/reports/sla/schedules/" + schedule + "/run",
             R"({"from_date":"2026-11-05","to_date":"2026-11-02"})");
  auto job = api.WaitJob(std::string(run.at("job_id").as_string()));
  ASSERT_EQ(job.at("status").as_string(), "completed") << job;
  std::string sla_report(job.at("result").at("report_id").as_string());
  api.Expect(200, "GET", "/reports/sla/schedules/" + schedule + "/runs");
  api.Expect(200, "GET", "/reports/sla/reports");
  api.Expect(200, "GET", "/reports/sla/reports/" + sla_report);
  auto pdf = api.Send("GET", "/reports/sla/reports/" + sla_report + "/pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.Header("content-disposition").value_or("").rfind("attachment;", 0), 0u);
  auto framed = api.Send("GET", "/reports/sla/reports/" + sla_report + "/pdf?disposition=inline");
  EXPECT_EQ(framed.status, 200);  // the console frames it: same bytes, shown inline
  EXPECT_EQ(framed.Header("content-disposition").value_or("").rfind("inline;", 0), 0u);
  EXPECT_EQ(framed.body, pdf.body);
  EXPECT_EQ(api.Send("GET", "/reports/sla/reports/" + sla_report + "/pdf", "",
                     {"If-None-Match: " + pdf.Header("etag").value_or("")})
                .status,
            304);
  // Issue 22: the report's tables as CSV and XLSX.
  std::string sla_export = "/reports/sla/reports/" + sla_report + "/export";
  EXPECT_EQ(api.Send("GET", sla_export + "?format=xlsx").status, 200);
  EXPECT_EQ(api.Send("GET", sla_export + "?format=csv&table=faults").status, 200);
  api.Expect(400, "GET", sla_export + "?format=pdf");
  std::string email = api.SettledDelivery("/reports/sla/reports/" + sla_report + "/deliveries");
  ASSERT_FALSE(email.empty());
  EXPECT_EQ(api.Expect(200, "GET", "/reports/sla/reports/" + sla_report + "/deliveries")
                .at("data")
                .as_array()
                .size(),
            1u);  // one recipient, one delivery
  api.Expect(202, "POST",
             "/reports/sla/reports/" + sla_report + "/deliveries/" + email + "/resend");
  ASSERT_TRUE(receiver_.WaitAccepted(1));
  std::string sla_delivery =
      api.SettledDelivery("/reports/sla/webhooks/" + sla_hook + "/deliveries");
  ASSERT_FALSE(sla_delivery.empty());
  EXPECT_EQ(api.Expect(200, "GET", "/reports/sla/webhooks/" + sla_hook + "/deliveries")
                .at("data")
                .as_array()
                .size(),
            1u);  // one event, one delivery
  api.Expect(202, "POST",
             "/reports/sla/webhooks/" + sla_hook + "/deliveries/" + sla_delivery + "/redeliver");

  // Jobs: list, read, cancel one while it runs (a finished job is returned unchanged).
  api.Expect(200, "GET", "/v1/jobs");
  api.Expect(200, "GET", "/v1/jobs?status=completed&limit=5");
  api.Expect(400, "GET", "/v1/jobs?status=sleeping");
  api.Expect(200, "GET", "/v1/jobs/" + std::string(run.at("job_id").as_string()));
  api.Expect(404, "GET", "/v1/jobs/job_000000000000000000000000000");
  Api plain(server, Token("t1"));
  std::string running = StartSlaRun(plain, schedule);
  auto cancelling = api.Expect(200, "DELETE", "/v1/jobs/" + running);
  EXPECT_TRUE(cancelling.at("cancel_requested").as_bool()) << cancelling;
  EXPECT_EQ(api.WaitJob(running).at("status").as_string(), "cancelled");
  auto unchanged = api.Expect(200, "DELETE", "/v1/jobs/" + running);  // finished: unchanged
  EXPECT_EQ(unchanged.at("status").as_string(), "cancelled");

  // Brands, facts, scheduled reports, region configs and prompts (the /v1 dialect).
  std::string brand = api.Id(201, "POST", "/v1/brands",
                             R"({"name":"Acme Analytics","website":"https://acme.example.com",)"
                             R"("brand_aliases":["Acme"],"competitors":["Globex Insights"]})");
  std::string spare_brand = api.Id(201, "POST", "/v1/brands",
                                   R"({"name":"Spare","website":"https://spare.example.com"})");
  api.Expect(422, "POST", "/v1/brands", R"({"name":"","website":"nope"})");
  api.Expect(422, "POST", "/v1/brands", R"({"name":)");
  EXPECT_EQ(api.Send("POST", "/v1/brands", "{}", {"Content-Type: application/json"}).status, 400);
  api.Expect(200, "GET", "/v1/brands");
  api.Expect(200, "GET", "/v1/brands/" + brand);
  other.Expect(404, "GET", "/v1/brands/" + brand);
  reader.Expect(403, "PATCH", "/v1/brands/" + brand, R"({"name":"Acme"})");
  api.Expect(200, "PATCH", "/v1/brands/" + brand,
             R"({"competitors":["Globex Insights","Initech"]})");
  api.Expect(200, "PATCH", "/v1/brands/" + brand + "/facts",
             R"({"description":"Analytics software","founded_year":2011})");
  api.Expect(200, "GET", "/v1/brands/" + brand + "/facts");
  api.Expect(200, "POST", "/v1/brands/" + brand + "/facts", R"({"industry":"Software"})");
  api.Expect(200, "PATCH", "/v1/brands/" + spare_brand,
             R"({"brand_info":{"description":"Spare parts"}})");
  api.Expect(422, "PATCH", "/v1/brands/" + spare_brand, R"({"brand_info":{"summary":"x"}})");
  auto research = api.Expect(202, "POST", "/v1/brands/" + brand + "/facts");
  api.WaitJob(std::string(research.at("job_id").as_string()));

  std::string brand_hook =
      api.Id(201, "POST", "/v1/brands/" + brand + "/webhooks",
             R"({"url":")" + receiver_.url() + R"(","events":["report.completed"]})");
  api.Expect(422, "POST", "/v1/brands/" + brand + "/webhooks",
             R"({"url":")" + receiver_.url() + R"(","events":["nope"]})");
  api.Expect(200, "GET", "/v1/brands/" + brand + "/webhooks");
  api.Expect(200, "GET", "/v1/brands/" + brand + "/webhooks/" + brand_hook);
  api.Expect(200, "PATCH", "/v1/brands/" + brand + "/webhooks/" + brand_hook,
             R"({"enabled":true})");
  api.Expect(200, "POST", "/v1/brands/" + brand + "/webhooks/" + brand_hook + "/rotate-secret");

  std::string weekly =
      api.Id(201, "POST", "/v1/scheduled-reports",
             R"({"brand_id":")" + brand + R"(","name":"Weekly","frequency":"weekly"})");
  api.Expect(422, "POST", "/v1/scheduled-reports",
             R"({"brand_id":")" + brand + R"(","name":"x","frequency":"hourly"})");
  api.Expect(400, "GET", "/v1/scheduled-reports");  // brand_id is required
  api.Expect(200, "GET", "/v1/scheduled-reports?brand_id=" + brand);
  api.Expect(200, "GET", "/v1/scheduled-reports/" + weekly);
  api.Expect(200, "PATCH", "/v1/scheduled-reports/" + weekly, R"({"name":"Weekly DE"})");
  std::string germany =
      api.Id(201, "POST", "/v1/region-configs",
             R"({"brand_id":")" + brand + R"(","scheduled_report_id":")" + weekly +
                 R"(","name":"Germany","country":"DE","language":"de",)"
                 R"("ai_platforms":["chatgpt"]})");
  std::string france = api.Id(201, "POST", "/v1/region-configs",
                              R"({"brand_id":")" + brand +
                                  R"(","name":"France","country":"France","language":"French",)"
                                  R"("ai_platforms":["chatgpt"]})");
  api.Expect(201, "POST", "/v1/region-configs",
             R"({"brand_id":")" + brand + R"(","name":"Bay Area","country":"Bay Area"})");
  api.Expect(422, "POST", "/v1/region-configs",
             R"({"brand_id":")" + brand + R"(","name":"X","country":"US","language":"Klingon"})");
  api.Expect(200, "GET", "/v1/region-configs");
  api.Expect(200, "GET", "/v1/region-configs/" + germany);
  api.Expect(200, "PATCH", "/v1/region-configs/" + germany, R"({"location":"Berlin"})");
  api.Expect(200, "POST", "/v1/scheduled-reports/" + weekly + "/region-configs/" + france);
  api.Expect(200, "GET", "/v1/scheduled-reports/" + weekly + "/region-configs");
  auto prompts = api.Expect(201, "POST", "/v1/region-configs/" + germany + "/prompts",
                            R"({"prompts":[{"prompt_text":"What is the best analytics software?"},)"
                            R"({"prompt_text":"Which analytics vendor is cheapest?"}]})");
  api.Expect(201, "POST", "/v1/region-configs/" + france + "/prompts",
             R"({"prompts":[{"prompt_text":"What is the best analytics software?"}]})");
  api.Expect(200, "GET", "/v1/region-configs/" + germany + "/prompts");
  std::string prompt(prompts.at("data").at(1).at("id").as_string());
  api.Expect(200, "PATCH", "/v1/region-configs/" + germany + "/prompts/" + prompt,
             R"({"category":"pricing"})");
  api.Expect(200, "DELETE", "/v1/region-configs/" + germany + "/prompts/" + prompt);

  // An execution, its reports, runs and analytics, and the webhook it triggers.
  auto execution = api.Expect(202, "POST", "/v1/scheduled-reports/" + weekly + "/executions", "{}");
  auto brand_job = api.WaitJob(std::string(execution.at("job_id").as_string()));
  ASSERT_EQ(brand_job.at("status").as_string(), "completed") << brand_job;
  std::string brand_report(brand_job.at("result").at("report_ids").at(0).as_string());
  api.Expect(200, "GET", "/v1/reports?brand_id=" + brand);
  api.Expect(200, "GET", "/v1/reports?brand_id=" + brand + "&scheduled_report_id=" + weekly);
  api.Expect(200, "GET", "/v1/reports/" + brand_report);
  api.Expect(200, "GET", "/v1/reports/" + brand_report + "/summary");
  auto brand_pdf = api.Send("GET", "/v1/reports/" + brand_report + "/pdf");
  EXPECT_EQ(brand_pdf.status, 200);
  EXPECT_EQ(api.Send("GET", "/v1/reports/" + brand_report + "/pdf?disposition=inline")
                .Header("content-disposition")
                .value_or("")
                .rfind("inline;", 0),
            0u);
  EXPECT_EQ(api.Send("GET", "/v1/reports/" + brand_report + "/pdf", "",
                     {"If-None-Match: " + brand_pdf.Header("etag").value_or("")})
                .status,
            304);
  EXPECT_EQ(api.Send("GET", "/v1/reports/" + brand_report + "/export?format=csv").status, 200);
  EXPECT_EQ(api.Send("GET", "/v1/reports/" + brand_report + "/export?format=xlsx").status, 200);
  api.Expect(400, "GET", "/v1/reports/" + brand_report + "/export?format=csv&table=sites");
  // Issue 17: a report's prompts page by page, and the brand's citations (the fake provider's
  // "best" answer cites acme.example.com).
  api.Expect(200, "GET", "/v1/reports/" + brand_report + "/prompts?limit=1");
  auto citations =
      api.Expect(200, "GET", "/v1/brands/" + brand + "/citations?platform=chatgpt&from=2026-01-01");
  ASSERT_FALSE(citations.at("data").as_array().empty()) << citations;
  api.Expect(200, "GET", "/v1/brands/" + brand + "/citations/by-domain?limit=5");
  api.Expect(200, "GET",
             "/v1/citations/" + std::string(citations.at("data").at(0).at("id").as_string()));
  api.Expect(400, "GET", "/v1/brands/" + brand + "/citations?from=soon");
  api.Expect(404, "GET", "/v1/citations/cit_missing");
  api.Expect(200, "GET", "/v1/scheduled-reports/" + weekly + "/runs");
  api.Expect(200, "GET", "/v1/scheduled-reports/" + weekly + "/analytics");
  ASSERT_TRUE(receiver_.WaitAccepted(3));
  std::string brand_delivery =
      api.SettledDelivery("/v1/brands/" + brand + "/webhooks/" + brand_hook + "/deliveries");
  ASSERT_FALSE(brand_delivery.empty());
  api.Expect(202, "POST",
             "/v1/brands/" + brand + "/webhooks/" + brand_hook + "/deliveries/" + brand_delivery +
                 "/redeliver");

  // Issue 20: branding, share links of both families, and the public shared report.
  api.Expect(
      200, "PATCH", "/v1/white-label",
      R"({"name":"Northwind","accent_color":"#0A7B83","logo":{"content_type":)"
      R"("image/svg+xml","data_base64":"PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="}})");
  api.Expect(422, "PATCH", "/v1/white-label", R"({"accent_color":"blue"})");
  api.Expect(200, "GET", "/v1/white-label");
  api.Expect(200, "GET", "/v1/white-label/logo");
  api.Expect(200, "GET", "/v1/settings");
  api.Expect(200, "PATCH", "/v1/settings", R"({"report_retention_days":365})");
  api.Expect(422, "PATCH", "/v1/settings", R"({"report_retention_days":0})");
  auto sla_share = api.Expect(201, "POST", "/reports/sla/reports/" + sla_report + "/shares",
                              R"({"expires_in_days":7})");
  api.Expect(400, "POST", "/reports/sla/reports/" + sla_report + "/shares",
             R"({"expires_in_days":0})");
  api.Expect(200, "GET", "/reports/sla/reports/" + sla_report + "/shares");
  std::string shared = "/shared/" + std::string(sla_share.at("token").as_string());
  anonymous.Expect(200, "GET", shared);
  anonymous.Expect(200, "GET", shared + "/pdf");
  anonymous.Expect(200, "GET", shared + "/logo");
  api.Expect(204, "DELETE",
             "/reports/sla/reports/" + sla_report + "/shares/" +
                 std::string(sla_share.at("id").as_string()));
  anonymous.Expect(404, "GET", shared);
  auto brand_share = api.Expect(201, "POST", "/v1/reports/" + brand_report + "/shares", "{}");
  api.Expect(422, "POST", "/v1/reports/" + brand_report + "/shares", R"({"expires_in_days":400})");
  api.Expect(200, "GET", "/v1/reports/" + brand_report + "/shares");
  api.Expect(
      200, "DELETE",
      "/v1/reports/" + brand_report + "/shares/" + std::string(brand_share.at("id").as_string()));
  api.Expect(201, "POST", "/v1/scheduled-reports/" + weekly + "/shares", "{}");

  // Deletions.
  api.Expect(200, "DELETE", "/v1/reports/" + brand_report);
  api.Expect(200, "DELETE", "/v1/region-configs/" + france);
  api.Expect(200, "DELETE", "/v1/scheduled-reports/" + weekly);
  api.Expect(200, "DELETE", "/v1/brands/" + brand + "/webhooks/" + brand_hook);
  api.Expect(200, "DELETE", "/v1/brands/" + spare_brand);
  api.Expect(200, "DELETE", "/v1/brands/" + brand);
  api.Expect(404, "DELETE", "/v1/brands/" + brand);
  api.Expect(204, "DELETE", "/reports/sla/reports/" + sla_report);
  api.Expect(204, "DELETE", "/reports/sla/schedules/" + spare_schedule);
  api.Expect(204, "DELETE", "/reports/sla/webhooks/" + sla_hook);
  api.Expect(404, "DELETE", "/reports/sla/webhooks/" + sla_hook);

  // Issue 22: the audit log of the writes above.
  api.Expect(200, "GET", "/audit-events?limit=5");
  api.Expect(200, "GET", "/audit-events?method=DELETE&outcome=refused");
  api.Expect(400, "GET", "/audit-events?outcome=maybe");

  WalkAccounts(contract_, server);

  std::string left;
  for (const auto& op : contract_.Unexercised()) left += "\n  " + op;
  EXPECT_TRUE(left.empty()) << "operations never seen answering a 2xx:" << left;
  EXPECT_GT(contract_.operation_count(), 80u);
}

}  // namespace
}  // namespace rapport::testing
