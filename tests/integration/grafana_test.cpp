// Grafana Alerting's webhook contact point as a fault source (POST /integrations/grafana) against
// a real rapportd. Payloads carry the field set Grafana documents for its webhook notifier
// (version "1"), not Alertmanager's.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

namespace rapport::testing {
namespace {

namespace json = boost::json;
using Env = std::map<std::string, std::string>;

struct GrafanaAlert {
  std::string status;       // firing | resolved
  std::string site;         // the value of the site label
  std::string starts_at;    // startsAt
  std::string ends_at;      // endsAt ("0001-01-01T00:00:00Z" while firing)
  std::string fingerprint;  // Grafana's alert fingerprint
  std::string site_label = "site";
};

std::string AlertJson(const GrafanaAlert& a) {
  return R"({"status":")" + a.status + R"(","labels":{"alertname":"Site unreachable",")" +
         a.site_label + R"(":")" + a.site +
         R"(","severity":"critical","team":"noc"},)"
         R"("annotations":{"description":"HTTP probe failed","runbook_url":)"
         R"("https://runbooks.example/site-down","summary":"Site unreachable from the probes"},)"
         R"("startsAt":")" +
         a.starts_at + R"(","endsAt":")" + a.ends_at +
         R"(","generatorURL":"https://grafana.example/alerting/grafana/aeb1x/view",)"
         R"("fingerprint":")" +
         a.fingerprint +
         R"(","silenceURL":"https://grafana.example/alerting/silence/new?matchers=alertname%3DSite",)"
         R"("dashboardURL":"https://grafana.example/d/uptime","panelURL":)"
         R"("https://grafana.example/d/uptime?viewPanel=2","values":{"B":0,"C":1},)"
         R"("imageURL":""})";
}

// The whole webhook body around `alerts` (a JSON array), as Grafana sends it.
std::string Payload(const std::string& status, const std::string& alerts,
                    const std::string& version = "1") {
  const std::string state = status == "firing" ? "alerting" : "ok";
  return R"({"receiver":"rapport","status":")" + status + R"(","orgId":1,"alerts":)" + alerts +
         R"(,"groupLabels":{"alertname":"Site unreachable"},)"
         R"("commonLabels":{"alertname":"Site unreachable","team":"noc"},)"
         R"("commonAnnotations":{"description":"HTTP probe failed"},)"
         R"("externalURL":"https://grafana.example/","version":")" +
         version +
         R"(","groupKey":"{}/{}:{alertname=\"Site unreachable\"}","truncatedAlerts":0,)"
         R"("title":"[)" +
         (status == "firing" ? std::string("FIRING:1") : std::string("RESOLVED")) +
         R"(] Site unreachable","state":")" + state +
         R"(","message":"**Firing**\n\nSite unreachable"})";
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
  auto r = api.Send("POST", "/integrations/grafana", body);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {-1, -1, -1};
  auto v = Json(r);
  EXPECT_EQ(v.as_object().size(), 3u) << r.body;
  return {v.at("received").as_int64(), v.at("matched").as_int64(), v.at("changed").as_int64()};
}

// Expects a 400 `code` in the SLA dialect ({type, code, message, doc_url}) whose message names
// `field`.
void ExpectFieldError(const client::HttpResult& r, const std::string& code,
                      const std::string& field) {
  EXPECT_EQ(r.status, 400) << r.body;
  auto body = Json(r);
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.as_object().size(), 4u) << r.body;
  EXPECT_EQ(body.at("type").as_string(), "invalid_request_error") << r.body;
  EXPECT_EQ(body.at("code").as_string(), code) << r.body;
  EXPECT_TRUE(body.as_object().contains("doc_url"));
  EXPECT_NE(std::string(body.at("message").as_string()).find(field), std::string::npos) << r.body;
}

TEST(GrafanaTest, AlertsOpenResolveAndReopenFaultsOnce) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Braga");
  constexpr const char* kZero = "0001-01-01T00:00:00Z";
  GrafanaAlert down{"firing", site, "2026-11-05T11:00:00.157076+01:00", kZero, "c6eadffa33fcdf37"};
  GrafanaAlert elsewhere{"firing", "site_nowhere", "2026-11-05T10:00:00Z", kZero,
                         "bc97ff14869b13e3"};
  const std::string firing =
      Payload("firing", "[" + AlertJson(down) + "," + AlertJson(elsewhere) + "]");
  EXPECT_EQ(Deliver(api, firing), (std::array<int64_t, 3>{2, 1, 1}));
  EXPECT_EQ(Deliver(api, firing), (std::array<int64_t, 3>{2, 1, 0}));  // redelivery
  auto faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("status").as_string(), "unresolved");
  EXPECT_EQ(faults[0].at("created_at").as_string(), "2026-11-05T10:00:00.157Z");
  EXPECT_EQ(faults[0].at("severity").as_string(), "CRITICAL");
  EXPECT_EQ(faults[0].at("type").as_string(), "site");
  EXPECT_EQ(faults[0].at("cause").as_string(), "Site unreachable");
  EXPECT_EQ(faults[0].at("message").as_string(), "Site unreachable from the probes");

  GrafanaAlert up = down;
  up.status = "resolved";
  up.ends_at = "2026-11-05T10:30:00Z";
  const std::string resolved = Payload("resolved", "[" + AlertJson(up) + "]");
  EXPECT_EQ(Deliver(api, resolved), (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(Deliver(api, resolved), (std::array<int64_t, 3>{1, 1, 0}));
  faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("status").as_string(), "resolved");
  EXPECT_EQ(faults[0].at("resolved_at").as_string(), "2026-11-05T10:30:00.000Z");

  // The same alert (fingerprint) firing again later is a second incident: a second fault.
  GrafanaAlert again = down;
  again.starts_at = "2026-11-05T12:00:00Z";
  EXPECT_EQ(Deliver(api, Payload("firing", "[" + AlertJson(again) + "]")),
            (std::array<int64_t, 3>{1, 1, 1}));
  faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 2u);
  int unresolved = 0;
  for (const auto& f : faults) unresolved += f.at("status").as_string() == "unresolved" ? 1 : 0;
  EXPECT_EQ(unresolved, 1);
  // Grafana's and Alertmanager's fingerprints are separate namespaces: the same fingerprint
  // and startsAt from Alertmanager is another source's incident, not a redelivery.
  auto am = api.Send("POST", "/integrations/alertmanager",
                     R"({"version":"4","alerts":[)" + AlertJson(again) + "]}");
  ASSERT_EQ(am.status, 200) << am.body;
  EXPECT_EQ(Json(am).at("changed").as_int64(), 1);

  // Another tenant's delivery never reaches this tenant's site.
  Api other(server, Token("t2"));
  EXPECT_EQ(Deliver(other, firing), (std::array<int64_t, 3>{2, 0, 0}));
}

TEST(GrafanaTest, WrongVersionOrMissingAlertsIsA400NamingTheField) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Evora");
  GrafanaAlert a{"firing", site, "2026-11-05T10:00:00Z", "0001-01-01T00:00:00Z", "f1"};
  // Alertmanager's version 4 is not Grafana's "1".
  ExpectFieldError(
      api.Send("POST", "/integrations/grafana", Payload("firing", "[" + AlertJson(a) + "]", "4")),
      "parameter_invalid", "version");
  ExpectFieldError(api.Send("POST", "/integrations/grafana",
                            R"({"receiver":"rapport","status":"firing","orgId":1,"version":"1"})"),
                   "parameter_missing", "alerts");
  std::string no_start = AlertJson(a);
  no_start.replace(no_start.find("startsAt"), 8, "started");
  ExpectFieldError(
      api.Send("POST", "/integrations/grafana", Payload("firing", "[" + no_start + "]")),
      "parameter_missing", "alerts.0.startsAt");
  EXPECT_TRUE(FaultsOf(api, site).empty());
  // Same scopes as the other fault writes.
  Api reader(server, Token("t1", "read:sla"));
  EXPECT_EQ(reader.Send("POST", "/integrations/grafana", Payload("firing", "[]")).status, 403);
  Api anonymous(server, "");
  EXPECT_EQ(anonymous.Send("POST", "/integrations/grafana", Payload("firing", "[]")).status, 401);
}

TEST(GrafanaTest, SiteLabelIsConfigurable) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                           {"RAPPORT_GRAFANA_SITE_LABEL", "rapport_site"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Porto");
  GrafanaAlert by_default{"firing", site, "2026-11-05T10:00:00Z", "0001-01-01T00:00:00Z", "d1"};
  GrafanaAlert by_setting = by_default;
  by_setting.fingerprint = "d2";
  by_setting.site_label = "rapport_site";
  EXPECT_EQ(Deliver(api, Payload("firing",
                                 "[" + AlertJson(by_default) + "," + AlertJson(by_setting) + "]")),
            (std::array<int64_t, 3>{2, 1, 1}));
  ASSERT_EQ(FaultsOf(api, site).size(), 1u);
  // Alertmanager keeps its own label (default `site`).
  auto am = api.Send("POST", "/integrations/alertmanager",
                     R"({"version":"4","alerts":[)" + AlertJson(by_default) + "]}");
  ASSERT_EQ(am.status, 200) << am.body;
  EXPECT_EQ(Json(am).at("matched").as_int64(), 1);
}

}  // namespace
}  // namespace rapport::testing
