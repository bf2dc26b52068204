// POST /faults/import (CSV) against a real rapportd: RFC 4180 quoting, all-or-nothing with every
// bad row and column named, re-import by external_id, the body limit, and the scope.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rapport::testing {
namespace {

namespace json = boost::json;
using Env = std::map<std::string, std::string>;

std::string CreateSite(Api& api, const std::string& name) {
  auto r = api.Send("POST", "/sites", R"({"name":")" + name + R"(","timezone":"UTC"})");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).at("id").as_string());
}

json::array FaultsOf(Api& api, const std::string& site) {
  auto r = api.Get("/faults?resource_id=" + site + "&limit=100");
  EXPECT_EQ(r.status, 200) << r.body;
  return Json(r).at("data").as_array();
}

client::HttpResult Import(Api& api, const std::string& csv) {
  return api.Send("POST", "/faults/import", csv, {"Content-Type: text/csv"});
}

TEST(FaultImportTest, ImportsQuotedRowsOnceByExternalId) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Braga");
  // CRLF line ends, a quoted comma, a doubled quote and a line break inside a quoted field;
  // columns in any order; an empty cell is an absent field.
  const std::string csv =
      "external_id,resource_id,type,severity,created_at,resolved_at,cause,message\r\n"
      "inc-1," +
      site +
      ",site,HIGH,2026-11-01T10:00:00Z,2026-11-01T10:30:00Z,"
      "\"Power, grid\",\"Said \"\"down\"\"\"\r\n"
      "inc-2," +
      site +
      ",wantunnel,LOW,2026-11-02T08:00:00Z,,Link,\"line one\r\nline two\"\r\n"
      "," +
      site + ",site,MEDIUM,2026-11-03T08:00:00Z,2026-11-03T09:00:00Z,,\r\n";
  auto r = Import(api, csv);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::serialize(Json(r)), R"({"rows":3,"imported":3,"unchanged":0})");
  auto faults = FaultsOf(api, site);
  ASSERT_EQ(faults.size(), 3u);
  std::map<std::string, json::object> by_cause;
  for (const auto& f : faults) by_cause[std::string(f.at("cause").as_string())] = f.as_object();
  EXPECT_EQ(by_cause["Power, grid"].at("message").as_string(), "Said \"down\"");
  EXPECT_EQ(by_cause["Power, grid"].at("resolved_at").as_string(), "2026-11-01T10:30:00.000Z");
  EXPECT_EQ(by_cause["Link"].at("message").as_string(), "line one\r\nline two");
  EXPECT_EQ(by_cause["Link"].at("status").as_string(), "unresolved");
  EXPECT_EQ(by_cause["Link"].at("type").as_string(), "wantunnel");

  // Re-importing the file: rows with an external_id are there already; the row without one is
  // a new fault each time (documented).
  r = Import(api, csv);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::serialize(Json(r)), R"({"rows":3,"imported":1,"unchanged":2})");
  EXPECT_EQ(FaultsOf(api, site).size(), 4u);
  // A re-import that now resolves inc-2 resolves the stored fault, no new one.
  r = Import(api,
             "external_id,resource_id,type,severity,created_at,resolved_at\n"
             "inc-2," +
                 site + ",wantunnel,LOW,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::serialize(Json(r)), R"({"rows":1,"imported":1,"unchanged":0})");
  EXPECT_EQ(FaultsOf(api, site).size(), 4u);

  // Another tenant cannot import onto this tenant's site.
  Api other(server, Token("t2"));
  r = Import(other, "resource_id,type,severity\n" + site + ",site,HIGH\n");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(FaultsOf(api, site).size(), 4u);
}

TEST(FaultImportTest, AnyBadRowStoresNothingAndEveryBadRowIsNamed) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Evora");
  const std::string csv = "resource_id,type,severity,created_at,external_id\n" + site +
                          ",site,HIGH,2026-11-01T10:00:00Z,a\n" +           // row 2: fine
                          site + ",site,URGENT,2026-11-01T10:00:00Z,b\n" +  // row 3
                          "site_nowhere,site,LOW,yesterday,c\n" +           // row 4: two
                          site + ",site,LOW\n" +                            // row 5: 3 fields
                          site + ",site,LOW,2026-11-01T10:00:00Z,a\n" +     // row 6: repeats a
                          site + ",\"si\"te,LOW,,\n";                       // row 7: bad quote
  auto r = Import(api, csv);
  ASSERT_EQ(r.status, 400) << r.body;
  auto body = Json(r).as_object();
  EXPECT_EQ(body.size(), 4u) << r.body;
  EXPECT_EQ(body.at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(body.at("code").as_string(), "parameter_invalid");
  std::string message(body.at("message").as_string());
  for (const char* part :
       {"6 problems", "row 3, column severity", "row 4, column resource_id",
        "row 4, column created_at", "row 5: has 3 fields",
        "row 6, column external_id: repeats row 2", "row 7: text after the closing quote"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
  }
  EXPECT_EQ(message.find("row 2,"), std::string::npos) << message;  // row 2 is fine
  EXPECT_EQ(message.find("row 2:"), std::string::npos) << message;
  EXPECT_TRUE(FaultsOf(api, site).empty());

  // Header problems: an unknown column, a required one missing.
  r = Import(api, "resource_id,kind,severity\n" + site + ",site,HIGH\n");
  ASSERT_EQ(r.status, 400) << r.body;
  message = std::string(Json(r).at("message").as_string());
  EXPECT_NE(message.find("row 1, column kind: unknown column"), std::string::npos) << message;
  EXPECT_NE(message.find("row 1, column type: required column missing"), std::string::npos)
      << message;
  r = Import(api, "");
  EXPECT_EQ(r.status, 400) << r.body;
  r = Import(api, "resource_id,type,severity\n");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("no fault rows"), std::string::npos) << r.body;
  // JSON is not CSV.
  r = api.Send("POST", "/faults/import", R"({"faults":[]})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("Content-Type"), std::string::npos) << r.body;
  EXPECT_TRUE(FaultsOf(api, site).empty());
  Api reader(server, Token("t1", "read:sla"));
  EXPECT_EQ(Import(reader, "resource_id,type,severity\n" + site + ",site,HIGH\n").status, 403);
}

TEST(FaultImportTest, BodyBeyondTheBulkLimitIsA413) {
  ServerProcess server(Env{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                           {"RAPPORT_MAX_BODY_BYTES", "4096"},
                           {"RAPPORT_MAX_BULK_BODY_BYTES", "65536"}});
  server.Start();
  Api api(server, Token("t1"));
  std::string site = CreateSite(api, "Faro");
  std::string csv = "resource_id,type,severity,created_at\n";
  const std::string row = site + ",site,LOW,2026-11-01T10:00:00Z\n";
  while (csv.size() < 8192) csv += row;  // above the plain limit, within the bulk one
  auto r = Import(api, csv);
  ASSERT_EQ(r.status, 200) << r.body;
  while (csv.size() <= 65536) csv += row;
  r = Import(api, csv);
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("65536"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace rapport::testing
