// Zabbix as a fault source against a real rapportd: the shipped media type's JavaScript
// (packaging/zabbix/rapport-webhook.js) run under node with a stand-in for Zabbix's script
// globals (zabbix_shim.js), posting to POST /integrations/zabbix; parameters as Zabbix expands
// its macros, unexpanded ones ({EVENT.RECOVERY.ID} on a problem) left as Zabbix leaves them.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace rapport::testing {
namespace {

namespace json = boost::json;
using Env = std::map<std::string, std::string>;

const std::string kPackaging = std::string(RAPPORT_SOURCE_DIR) + "/packaging/zabbix/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One trigger event's media parameters, as Zabbix expands the media type's macros.
struct ZabbixEvent {
  std::string event_id = "4242";
  std::string value = "1";               // {EVENT.VALUE}
  std::string update_status = "0";       // {EVENT.UPDATE.STATUS}
  std::string timestamp = "1793872800";  // 2026-11-05T10:00:00Z
  std::string recovery_id = "{EVENT.RECOVERY.ID}";
  std::string recovery_timestamp = "{EVENT.RECOVERY.TIMESTAMP}";
  std::string site;
  std::string site_tag = "site";
  std::string nseverity = "4";
  std::string source = "0";
};

json::object Params(const ServerProcess& server, const std::string& token, const ZabbixEvent& e) {
  json::array tags{json::object{{"tag", "scope"}, {"value", "availability"}},
                   json::object{{"tag", e.site_tag}, {"value", e.site}}};
  return json::object{{"event_id", e.event_id},
                      {"event_name", "Braga HTTP probe failed"},
                      {"event_nseverity", e.nseverity},
                      {"event_source", e.source},
                      {"event_tags", json::serialize(tags)},
                      {"event_timestamp", e.timestamp},
                      {"event_update_status", e.update_status},
                      {"event_value", e.value},
                      {"host", "braga-edge-01"},
                      {"http_proxy", ""},
                      {"rapport_token", token},
                      {"rapport_url", server.url() + "/"},
                      {"recovery_event_id", e.recovery_id},
                      {"recovery_timestamp", e.recovery_timestamp}};
}

// Runs the shipped script as Zabbix would for `params`.
CommandResult RunScript(const json::object& params) {
  return RunCommand("node " + Quote(std::string(RAPPORT_TESTS_DIR) + "/zabbix_shim.js") + " " +
                    Quote(kPackaging + "rapport-webhook.js") + " " +
                    Quote(json::serialize(params)));
}

void Send(const ServerProcess& server, const std::string& token, const ZabbixEvent& e) {
  CommandResult r = RunScript(Params(server, token, e));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "OK") << r.err;
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

void ExpectFieldError(const client::HttpResult& r, const std::string& code,
                      const std::string& field) {
  EXPECT_EQ(r.status, 400) << r.body;
  auto body = Json(r);
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.as_object().size(), 4u) << r.body;
  EXPECT_EQ(body.at("type").as_string(), "invalid_request_error") << r.body;
  EXPECT_EQ(body.at("code").as_string(), code) << r.body;
  EXPECT_NE(std::string(body.at("message").as_string()).find(field), std::string::npos) << r.body;
}

TEST(ZabbixTest, ShippedScriptOpensAndResolvesOneFaultPerProblem) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Braga");
  ZabbixEvent problem{.site = site};
  Send(server, Token("t1"), problem);
  Send(server, Token("t1"), problem);  // Zabbix retries a message it thinks failed
  auto faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("status").as_string(), "unresolved");
  EXPECT_EQ(faults[0].at("created_at").as_string(), "2026-11-05T10:00:00.000Z");
  EXPECT_EQ(faults[0].at("severity").as_string(), "HIGH");
  EXPECT_EQ(faults[0].at("type").as_string(), "site");
  EXPECT_EQ(faults[0].at("cause").as_string(), "Braga HTTP probe failed");
  EXPECT_EQ(faults[0].at("message").as_string(), "braga-edge-01");

  // An acknowledgement (problem update) changes nothing.
  ZabbixEvent update = problem;
  update.update_status = "1";
  Send(server, Token("t1"), update);
  ASSERT_EQ(FaultsOf(api, site).size(), 1u);
  EXPECT_EQ(FaultsOf(api, site)[0].at("status").as_string(), "unresolved");

  ZabbixEvent recovery = problem;
  recovery.value = "0";
  recovery.recovery_id = "4250";
  recovery.recovery_timestamp = "1793874600";  // 10:30
  Send(server, Token("t1"), recovery);
  Send(server, Token("t1"), recovery);
  faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("status").as_string(), "resolved");
  EXPECT_EQ(faults[0].at("resolved_at").as_string(), "2026-11-05T10:30:00.000Z");

  // The next problem of the same trigger is a new event id: a second fault.
  ZabbixEvent next{.event_id = "4300", .timestamp = "1793880000", .site = site, .nseverity = "5"};
  Send(server, Token("t1"), next);
  faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0].at("severity").as_string(), "CRITICAL");
  EXPECT_EQ(faults[0].at("status").as_string(), "unresolved");

  // Another tenant's token never reaches this tenant's site.
  ZabbixEvent foreign{.event_id = "5000", .site = site};
  Send(server, Token("t2"), foreign);
  EXPECT_EQ(FaultsOf(api, site).size(), 2u);
}

TEST(ZabbixTest, ScriptFailsLoudlyWhenRapportRefuses) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Evora");
  CommandResult r = RunScript(Params(server, Token("t1", "read:sla"), {.site = site}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("HTTP 403"), std::string::npos) << r.err;
  json::object unset = Params(server, Token("t1"), {.site = site});
  unset["rapport_url"] = "<PLACE RAPPORT URL>";
  r = RunScript(unset);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rapport_url"), std::string::npos) << r.err;
  // Events of other sources (discovery, services) are not sent.
  r = RunScript(Params(server, Token("t1"), {.site = site, .source = "4"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(FaultsOf(api, site).empty());
}

TEST(ZabbixTest, EndpointNamesTheFieldOfABadEvent) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Faro");
  const std::string tags = R"("tags":[{"tag":"site","value":")" + site + R"("}])";
  ExpectFieldError(api.Send("POST", "/integrations/zabbix",
                            R"({"event_value":1,"event_timestamp":1793872800,)" + tags + "}"),
                   "parameter_missing", "event_id");
  ExpectFieldError(
      api.Send("POST", "/integrations/zabbix",
               R"({"event_id":"7","event_value":2,"event_timestamp":1793872800,)" + tags + "}"),
      "parameter_invalid", "event_value");
  ExpectFieldError(
      api.Send("POST", "/integrations/zabbix",
               R"({"event_id":"7","event_value":0,"event_timestamp":1793872800,)" + tags + "}"),
      "parameter_missing", "recovery_timestamp");
  EXPECT_TRUE(FaultsOf(api, site).empty());
  Api reader(server, Token("t1", "read:sla"));
  EXPECT_EQ(reader.Send("POST", "/integrations/zabbix", "{}").status, 403);
  Api anonymous(server, "");
  EXPECT_EQ(anonymous.Send("POST", "/integrations/zabbix", "{}").status, 401);
}

TEST(ZabbixTest, SiteTagIsConfigurable) {
  ServerProcess server(
      Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}, {"RAPPORT_ZABBIX_SITE_TAG", "rapport_site"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Porto");
  Send(server, Token("t1"), {.event_id = "1", .site = site});
  EXPECT_TRUE(FaultsOf(api, site).empty());
  Send(server, Token("t1"), {.event_id = "2", .site = site, .site_tag = "rapport_site"});
  EXPECT_EQ(FaultsOf(api, site).size(), 1u);
}

// The media type export embeds rapport-webhook.js verbatim as its script.
TEST(ZabbixTest, MediaTypeExportEmbedsTheShippedScript) {
  std::string yaml = ReadFile(kPackaging + "media_rapport.yaml");
  std::string js = ReadFile(kPackaging + "rapport-webhook.js");
  ASSERT_FALSE(js.empty());
  EXPECT_EQ(yaml.rfind("zabbix_export:\n  version: '7.0'\n", 0), 0u);
  EXPECT_NE(yaml.find("      type: WEBHOOK\n"), std::string::npos);
  const std::string start = "      script: |\n";
  size_t at = yaml.find(start);
  ASSERT_NE(at, std::string::npos);
  std::istringstream lines(yaml.substr(at + start.size()));
  std::string line, embedded;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.rfind("        ", 0) != 0) break;
    embedded += (line.empty() ? line : line.substr(8)) + "\n";
  }
  while (embedded.size() > 1 && embedded.ends_with("\n\n")) embedded.pop_back();
  EXPECT_EQ(embedded, js);
}

}  // namespace
}  // namespace rapport::testing
