// Uptime Kuma's webhook notification (Request Body "application/json": {heartbeat, monitor, msg})
// as a fault source (POST /integrations/uptime-kuma) against a real rapportd. Bodies carry the
// field set Uptime Kuma 1.23 sends: the heartbeat's and the monitor's JSON.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

namespace rapport::testing {
namespace {

namespace json = boost::json;
using Env = std::map<std::string, std::string>;

constexpr int kDown = 0;
constexpr int kUp = 1;

struct Beat {
  int status = kDown;
  std::string time;  // UTC, "2026-11-05 10:00:00.123"
  int monitor_id = 7;
  std::string monitor_name = "Braga";
  std::string site_tag_value;  // a "site" tag on the monitor when not empty
};

std::string Body(const Beat& b) {
  std::string tags = R"([{"id":1,"monitor_id":)" + std::to_string(b.monitor_id) +
                     R"(,"tag_id":3,"value":"","name":"production","color":"#059669"})";
  if (!b.site_tag_value.empty()) {
    tags += R"(,{"id":2,"monitor_id":)" + std::to_string(b.monitor_id) +
            R"(,"tag_id":4,"value":")" + b.site_tag_value + R"(","name":"site","color":"#2563EB"})";
  }
  tags += "]";
  const std::string emoji = b.status == kDown ? "\xF0\x9F\x94\xB4 Down" : "\xE2\x9C\x85 Up";
  const std::string beat_msg = b.status == kDown ? "timeout of 48000ms exceeded" : "200 - OK";
  return R"({"heartbeat":{"monitorID":)" + std::to_string(b.monitor_id) + R"(,"status":)" +
         std::to_string(b.status) + R"(,"time":")" + b.time + R"(","msg":")" + beat_msg +
         R"(","ping":null,"important":true,"duration":60,"timezone":"Europe/Lisbon",)"
         R"("timezoneOffset":"+00:00","localDateTime":")" +
         b.time.substr(0, 19) + R"("},"monitor":{"id":)" + std::to_string(b.monitor_id) +
         R"(,"name":")" + b.monitor_name + R"(","description":null,"pathName":")" + b.monitor_name +
         R"(","parent":null,"childrenIDs":[],"url":"https://braga.example.com/health",)"
         R"("method":"GET","hostname":null,"port":null,"maxretries":1,"weight":2000,)"
         R"("active":true,"forceInactive":false,"type":"http","timeout":48,"interval":60,)"
         R"("retryInterval":60,"resendInterval":0,"keyword":null,"invertKeyword":false,)"
         R"("expiryNotification":false,"ignoreTls":false,"upsideDown":false,"packetSize":56,)"
         R"("maxredirects":10,"accepted_statuscodes":["200-299"],"dns_resolve_type":"A",)"
         R"("dns_resolve_server":"1.1.1.1","dns_last_result":null,"docker_container":"",)"
         R"("docker_host":null,"proxyId":null,"notificationIDList":{"2":true},"tags":)" +
         tags +
         R"(,"maintenance":false,"mqttTopic":"","mqttSuccessMessage":"","databaseQuery":null,)"
         R"("authMethod":null,"httpBodyEncoding":"json","includeSensitiveData":false},)"
         R"("msg":"[)" +
         b.monitor_name + "] [" + emoji + "] " + beat_msg + R"("})";
}

std::string CreateSite(Api& api, const std::string& name) {
  auto r = api.Send("POST", "/sites", R"({"name":")" + name + R"(","timezone":"UTC"})");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).at("id").as_string());
}

json::array FaultsOf(Api& api, const std::string& site) {
  auto r = api.Get("/faults?resource_id=" + site);
  EXPECT_EQ(r.status, 200) << r.body;
  return Json(r).at("data").as_array();
}

// {received, matched, changed} of one delivery, which must be a 200.
std::array<int64_t, 3> Deliver(Api& api, const std::string& body) {
  auto r = api.Send("POST", "/integrations/uptime-kuma", body);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {-1, -1, -1};
  auto v = Json(r);
  return {v.at("received").as_int64(), v.at("matched").as_int64(), v.at("changed").as_int64()};
}

TEST(UptimeKumaTest, DownOpensUpResolvesAndRedeliveryChangesNothing) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Braga");
  Beat down{.status = kDown, .time = "2026-11-05 10:00:00.123"};
  EXPECT_EQ(Deliver(api, Body(down)), (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(Deliver(api, Body(down)), (std::array<int64_t, 3>{1, 1, 0}));
  // A resend of the down notification (resendInterval) while it is down: still one fault.
  Beat resent = down;
  resent.time = "2026-11-05 10:05:00.456";
  EXPECT_EQ(Deliver(api, Body(resent)), (std::array<int64_t, 3>{1, 1, 0}));
  auto faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("status").as_string(), "unresolved");
  EXPECT_EQ(faults[0].at("created_at").as_string(), "2026-11-05T10:00:00.123Z");
  EXPECT_EQ(faults[0].at("cause").as_string(), "timeout of 48000ms exceeded");
  EXPECT_EQ(faults[0].at("severity").as_string(), "HIGH");

  Beat up{.status = kUp, .time = "2026-11-05 10:31:00.000"};
  EXPECT_EQ(Deliver(api, Body(up)), (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(Deliver(api, Body(up)), (std::array<int64_t, 3>{1, 1, 0}));
  EXPECT_EQ(Deliver(api, Body(down)), (std::array<int64_t, 3>{1, 1, 0}));  // late redelivery
  faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("status").as_string(), "resolved");
  EXPECT_EQ(faults[0].at("resolved_at").as_string(), "2026-11-05T10:31:00.000Z");

  // Down again later: a second incident.
  Beat again{.status = kDown, .time = "2026-11-05 12:00:00.000"};
  EXPECT_EQ(Deliver(api, Body(again)), (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(FaultsOf(api, site).size(), 2u);
  // Pending (2) and maintenance (3) heartbeats are not incidents.
  Beat pending{.status = 2, .time = "2026-11-05 13:00:00.000"};
  EXPECT_EQ(Deliver(api, Body(pending)), (std::array<int64_t, 3>{1, 0, 0}));
  // A monitor whose name is no site, and another tenant's delivery, reach nothing.
  Beat unknown{.status = kDown, .time = "2026-11-05 10:00:00.000", .monitor_name = "Lisboa"};
  EXPECT_EQ(Deliver(api, Body(unknown)), (std::array<int64_t, 3>{1, 0, 0}));
  Api other(server, Token("t2"));
  EXPECT_EQ(Deliver(other, Body(Beat{.time = "2026-11-05 14:00:00.000"})),
            (std::array<int64_t, 3>{1, 0, 0}));
  EXPECT_EQ(FaultsOf(api, site).size(), 2u);
}

TEST(UptimeKumaTest, TestNotificationIsAcceptedAndBadBodiesNameTheField) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Evora");
  // Uptime Kuma's "Test" button sends no heartbeat and no monitor.
  EXPECT_EQ(Deliver(api, R"({"heartbeat":null,"monitor":null,"msg":"Uptime Kuma Testing"})"),
            (std::array<int64_t, 3>{0, 0, 0}));
  std::string body = Body({.time = "2026-11-05 10:00:00.000", .monitor_name = "Evora"});
  std::string bad_time = body;
  bad_time.replace(bad_time.find("2026-11-05 10:00:00.000"), 23, "yesterday");
  auto r = api.Send("POST", "/integrations/uptime-kuma", bad_time);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r).at("code").as_string(), "parameter_invalid");
  EXPECT_NE(std::string(Json(r).at("message").as_string()).find("heartbeat.time"),
            std::string::npos)
      << r.body;
  std::string no_status = body;
  no_status.replace(no_status.find("\"status\""), 8, "\"state\"");
  r = api.Send("POST", "/integrations/uptime-kuma", no_status);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r).at("code").as_string(), "parameter_missing");
  EXPECT_NE(std::string(Json(r).at("message").as_string()).find("heartbeat.status"),
            std::string::npos)
      << r.body;
  EXPECT_TRUE(FaultsOf(api, site).empty());
  Api reader(server, Token("t1", "read:sla"));
  EXPECT_EQ(reader.Send("POST", "/integrations/uptime-kuma", body).status, 403);
  Api anonymous(server, "");
  EXPECT_EQ(anonymous.Send("POST", "/integrations/uptime-kuma", body).status, 401);
}

TEST(UptimeKumaTest, SiteFromAMonitorTagWhenConfigured) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                           {"RAPPORT_UPTIME_KUMA_SITE_FIELD", "tag:site"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Porto");
  // The monitor's name is a site's name, but the tag is what counts now.
  EXPECT_EQ(Deliver(api, Body({.time = "2026-11-05 10:00:00.000", .monitor_name = "Porto"})),
            (std::array<int64_t, 3>{1, 0, 0}));
  EXPECT_EQ(Deliver(api, Body({.time = "2026-11-05 10:00:00.000",
                               .monitor_name = "porto-https",
                               .site_tag_value = site})),
            (std::array<int64_t, 3>{1, 1, 1}));
  ASSERT_EQ(FaultsOf(api, site).size(), 1u);
}

}  // namespace
}  // namespace rapport::testing
