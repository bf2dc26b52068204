// The /reports/sla side against a real rapportd: faults, business hours, Alertmanager, SLA
// schedules, on-demand runs through the job engine, and the generated reports. Expected uptimes
// are worked out by hand in the comments.
#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class SlaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
    other_.emplace(server_, Token("t2"));
  }

  std::string CreateSite(const std::string& name, const std::string& region) {
    auto r = api_->Send(
        "POST", "/sites",
        R"({"name":")" + name + R"(","timezone":"UTC","tags":{"region":")" + region + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  std::string CreateSchedule(const std::string& body) {
    auto r = api_->Send("POST", "/reports/sla/schedules", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  // Polls the job until it ends; returns it.
  json::value WaitJob(const std::string& job_id) { return testing::WaitJob(*api_, job_id); }

  // Expects a seed-002 error body with `status` and `code`.
  static void ExpectSlaError(const client::HttpResult& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto body = Json(r);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body.at("code").as_string(), code) << r.body;
    EXPECT_TRUE(body.as_object().contains("type"));
    EXPECT_TRUE(body.as_object().contains("message"));
    EXPECT_TRUE(body.as_object().contains("doc_url"));
    EXPECT_EQ(body.as_object().size(), 4u) << r.body;
  }

  ServerProcess server_{{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}};
  std::optional<Api> api_;
  std::optional<Api> other_;
};

TEST_F(SlaTest, FaultsAreValidatedStoredFilteredAndResolved) {
  std::string site = CreateSite("Lisbon", "eu");
  auto created = api_->Send("POST", "/faults",
                            R"({"resource_id":")" + site +
                                R"(","type":"site","severity":"HIGH","cause":"Fiber cut",)"
                                R"("created_at":"2026-11-01T01:00:00Z"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto fault = Json(created);
  std::string id(fault.at("id").as_string());
  EXPECT_TRUE(std::regex_match(id, std::regex("^flt_[0-9a-zA-Z]{27}$")));
  EXPECT_EQ(fault.at("status").as_string(), "unresolved");
  EXPECT_TRUE(fault.at("resolved_at").is_null());
  EXPECT_EQ(fault.at("created_at").as_string(), "2026-11-01T01:00:00.000Z");

  // resolved_at before created_at, unknown site, bad severity: 400 in the seed-002 dialect.
  ExpectSlaError(api_->Send("POST", "/faults",
                            R"({"resource_id":")" + site +
                                R"(","type":"site","severity":"LOW","created_at":)"
                                R"("2026-11-01T05:00:00Z","resolved_at":"2026-11-01T04:00:00Z"})"),
                 400, "parameter_invalid");
  ExpectSlaError(api_->Send("POST", "/faults",
                            R"({"resource_id":"site_nope","type":"site","severity":"LOW"})"),
                 400, "parameter_invalid");
  ExpectSlaError(api_->Send("POST", "/faults", R"({"resource_id":")" + site + R"("})"), 400,
                 "parameter_missing");
  ExpectSlaError(api_->Get("/faults?from=yesterday"), 400, "parameter_invalid");
  ExpectSlaError(api_->Get("/faults?severity=huge"), 400, "parameter_invalid");

  api_->Send("POST", "/faults",
             R"({"resource_id":")" + site +
                 R"(","type":"wantunnel","severity":"LOW","created_at":"2026-11-03T00:00:00Z"})");
  auto by_type = Json(api_->Get("/faults?type=wantunnel"));
  ASSERT_EQ(by_type.at("data").as_array().size(), 1u);
  EXPECT_EQ(by_type.at("meta").at("count").as_int64(), 1);
  auto by_severity = Json(api_->Get("/faults?severity=HIGH&resource_id=" + site));
  ASSERT_EQ(by_severity.at("data").as_array().size(), 1u);
  EXPECT_EQ(by_severity.at("data").at(0).at("id").as_string(), id);
  // Active in [Nov 2, Nov 4): the open HIGH fault (still open) and the wantunnel one.
  auto window = Json(api_->Get("/faults?from=2026-11-02T00:00:00Z&to=2026-11-04T00:00:00Z"));
  EXPECT_EQ(window.at("data").as_array().size(), 2u);
  // Before Nov 1 01:00 nothing was active.
  auto before = Json(api_->Get("/faults?to=2026-11-01T00:30:00Z"));
  EXPECT_EQ(before.at("data").as_array().size(), 0u);

  auto resolved = api_->Send("PATCH", "/faults/" + id,
                             R"({"status":"resolved","resolved_at":"2026-11-01T03:00:00Z"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(Json(resolved).at("status").as_string(), "resolved");
  EXPECT_EQ(Json(resolved).at("resolved_at").as_string(), "2026-11-01T03:00:00.000Z");
  ExpectSlaError(api_->Send("PATCH", "/faults/" + id, R"({"resolved_at":"2026-10-01T00:00:00Z"})"),
                 400, "parameter_invalid");
  EXPECT_EQ(Json(api_->Get("/faults/" + id)).at("status").as_string(), "resolved");

  // Another tenant sees nothing of it.
  ExpectSlaError(other_->Get("/faults/" + id), 404, "not_found");
  ExpectSlaError(other_->Send("PATCH", "/faults/" + id, R"({"status":"unresolved"})"), 404,
                 "not_found");
  EXPECT_EQ(Json(other_->Get("/faults")).at("data").as_array().size(), 0u);
}

TEST_F(SlaTest, BulkFaultsAreAllOrNothing) {
  std::string site = CreateSite("Porto", "eu");
  auto item = [&](int i, const std::string& severity) {
    return R"({"resource_id":")" + site + R"(","type":"site","severity":")" + severity +
           R"(","created_at":"2026-10-01T00:00:00Z","message":"fault )" + std::to_string(i) +
           R"("})";
  };
  std::string bad = R"({"faults":[)" + item(0, "LOW") + "," + item(1, "SEVERE") + "," +
                    item(2, "LOW") + "," + item(3, "NOPE") + "]}";
  auto rejected = api_->Send("POST", "/faults/bulk", bad);
  ExpectSlaError(rejected, 400, "parameter_invalid");
  // The message names the first bad item; nothing was stored.
  EXPECT_NE(Json(rejected).at("message").as_string().find("faults.1.severity"), std::string::npos)
      << rejected.body;
  EXPECT_EQ(Json(api_->Get("/faults")).at("data").as_array().size(), 0u);

  std::string ten_thousand = R"({"faults":[)";
  for (int i = 0; i < 10'000; ++i) ten_thousand += (i ? "," : "") + item(i, "MEDIUM");
  ten_thousand += "]}";
  ASSERT_GT(ten_thousand.size(), 1024u * 1024u);  // past the default body limit: bulk has its own
  auto accepted = api_->Send("POST", "/faults/bulk", ten_thousand);
  ASSERT_EQ(accepted.status, 201) << accepted.body.substr(0, 300);
  EXPECT_EQ(Json(accepted).at("meta").at("count").as_int64(), 10'000);
  auto page = Json(api_->Get("/faults?limit=100"));
  EXPECT_EQ(page.at("data").as_array().size(), 100u);
  EXPECT_TRUE(page.at("meta").at("has_more").as_bool());

  std::string too_many = R"({"faults":[)";
  for (int i = 0; i < 10'001; ++i) too_many += (i ? "," : "") + item(i, "LOW");
  too_many += "]}";
  ExpectSlaError(api_->Send("POST", "/faults/bulk", too_many), 400, "parameter_invalid");
  ExpectSlaError(api_->Send("POST", "/faults/bulk", R"({"faults":[]})"), 400, "parameter_invalid");
  // The larger limit is for the bulk route only.
  ExpectSlaError(api_->Send("POST", "/faults", ten_thousand), 413, "payload_too_large");
}

TEST_F(SlaTest, AlertmanagerOpensAndResolvesFaultsOnce) {
  std::string site = CreateSite("Faro", "eu");
  auto payload = [&](const std::string& status, const std::string& ends) {
    return R"({"version":"4","status":")" + status +
           R"(","receiver":"rapport","groupKey":"{}:{}","alerts":[)"
           R"({"status":")" +
           status + R"(","labels":{"alertname":"SiteDown","site":")" + site +
           R"(","severity":"critical"},"annotations":{"summary":"Faro unreachable"},)"
           R"("startsAt":"2026-11-05T10:00:00Z","endsAt":")" +
           ends +
           R"(","fingerprint":"abc123"},)"
           R"({"status":"firing","labels":{"alertname":"Other","site":"site_unknown"},)"
           R"("startsAt":"2026-11-05T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"zzz"}]})";
  };
  auto first =
      api_->Send("POST", "/integrations/alertmanager", payload("firing", "0001-01-01T00:00:00Z"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Json(first).at("received").as_int64(), 2);
  EXPECT_EQ(Json(first).at("matched").as_int64(), 1);
  EXPECT_EQ(Json(first).at("changed").as_int64(), 1);
  auto again =
      api_->Send("POST", "/integrations/alertmanager", payload("firing", "0001-01-01T00:00:00Z"));
  EXPECT_EQ(Json(again).at("changed").as_int64(), 0);
  auto faults = Json(api_->Get("/faults?resource_id=" + site));
  ASSERT_EQ(faults.at("data").as_array().size(), 1u);
  EXPECT_EQ(faults.at("data").at(0).at("severity").as_string(), "CRITICAL");
  EXPECT_EQ(faults.at("data").at(0).at("cause").as_string(), "SiteDown");
  EXPECT_EQ(faults.at("data").at(0).at("status").as_string(), "unresolved");

  auto resolved =
      api_->Send("POST", "/integrations/alertmanager", payload("resolved", "2026-11-05T10:30:00Z"));
  EXPECT_EQ(Json(resolved).at("changed").as_int64(), 1);
  auto redelivered =
      api_->Send("POST", "/integrations/alertmanager", payload("resolved", "2026-11-05T10:30:00Z"));
  EXPECT_EQ(Json(redelivered).at("changed").as_int64(), 0);
  faults = Json(api_->Get("/faults?resource_id=" + site));
  ASSERT_EQ(faults.at("data").as_array().size(), 1u);
  EXPECT_EQ(faults.at("data").at(0).at("resolved_at").as_string(), "2026-11-05T10:30:00.000Z");

  ExpectSlaError(api_->Send("POST", "/integrations/alertmanager", R"({"version":"3","alerts":[]})"),
                 400, "parameter_invalid");
}

TEST_F(SlaTest, BusinessHoursCrudAndValidation) {
  auto created = api_->Send("POST", "/business-hours",
                            R"({"name":"Office","timezone":"Europe/Lisbon","hours":[)"
                            R"({"day":"monday","start":"09:00","end":"17:00"},)"
                            R"({"day":"friday","start":"22:00","end":"06:00"}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id(Json(created).at("id").as_string());
  EXPECT_TRUE(std::regex_match(id, std::regex("^sch_[0-9a-zA-Z]{27}$")));
  ExpectSlaError(api_->Send("POST", "/business-hours",
                            R"({"name":"x","timezone":"UTC","hours":[{"day":"mon","start":"9",)"
                            R"("end":"25:00"}]})"),
                 400, "parameter_invalid");
  auto replaced = api_->Send("PUT", "/business-hours/" + id,
                             R"({"name":"Office 2","timezone":"UTC","hours":[]})");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Json(replaced).at("name").as_string(), "Office 2");
  ExpectSlaError(other_->Get("/business-hours/" + id), 404, "not_found");

  std::string site = CreateSite("Braga", "eu");
  std::string schedule = CreateSchedule(R"({"name":"S","timezone":"UTC","sites":[")" + site +
                                        R"("],"calculate_sla_within_schedule_hours":true,)"
                                        R"("business_hours_id":")" +
                                        id + R"("})");
  ExpectSlaError(api_->Send("DELETE", "/business-hours/" + id), 409, "conflict");
  EXPECT_EQ(api_->Send("DELETE", "/reports/sla/schedules/" + schedule).status, 204);
  EXPECT_EQ(api_->Send("DELETE", "/business-hours/" + id).status, 204);
  ExpectSlaError(api_->Get("/business-hours/" + id), 404, "not_found");
}

TEST_F(SlaTest, SchedulesValidateEveryField) {
  std::string site = CreateSite("Evora", "eu");
  auto check = [&](const std::string& body, const std::string& code, const std::string& field) {
    auto r = api_->Send("POST", "/reports/sla/schedules", body);
    ExpectSlaError(r, 400, code);
    EXPECT_NE(Json(r).at("message").as_string().find(field), std::string::npos) << r.body;
  };
  std::string sites = R"("sites":[")" + site + R"("])";
  check(R"({"timezone":"UTC",)" + sites + "}", "parameter_missing", "name");
  check(R"({"name":"x",)" + sites + "}", "parameter_missing", "timezone");
  check(R"({"name":"x","timezone":"Mars/Base",)" + sites + "}", "parameter_invalid", "timezone");
  check(R"({"name":"x","timezone":"UTC","sla_target":50,)" + sites + "}", "parameter_invalid",
        "sla_target");
  check(R"({"name":"x","timezone":"UTC","monthly":true,"day_of_month":31,)" + sites + "}",
        "parameter_invalid", "day_of_month");
  check(R"({"name":"x","timezone":"UTC","weekly":true,)" + sites + "}", "parameter_missing",
        "day_of_week");
  check(R"({"name":"x","timezone":"UTC","weekly":true,"day_of_week":"someday",)" + sites + "}",
        "parameter_invalid", "day_of_week");
  check(R"({"name":"x","timezone":"UTC","sites":["site_gone"]})", "parameter_invalid", "sites.0");
  check(R"({"name":"x","timezone":"UTC","site_selection_mode":"magic",)" + sites + "}",
        "parameter_invalid", "site_selection_mode");
  check(R"({"name":"x","timezone":"UTC","site_selection_mode":"tags"})", "parameter_invalid",
        "site_selection_rules");
  check(R"({"name":"x","timezone":"UTC","grouping_rules":[{"key":"region","aggregation":"sum"}],)" +
            sites + "}",
        "parameter_invalid", "grouping_rules.0.aggregation");
  check(R"({"name":"x","timezone":"UTC","recipients":["not-an-email"],)" + sites + "}",
        "parameter_invalid", "recipients.0");
  check(R"({"name":"x","timezone":"UTC","calculate_sla_within_schedule_hours":true,)" + sites + "}",
        "parameter_missing", "business_hours_id");
  check(R"({"name":"x","timezone":"UTC","colour":"red",)" + sites + "}", "parameter_invalid",
        "colour");
  check(R"({"name":"x","timezone":"UTC","missed_runs":"sometimes",)" + sites + "}",
        "parameter_invalid", "missed_runs");

  auto created = api_->Send(
      "POST", "/reports/sla/schedules",
      R"({"name":"Weekly EU","timezone":"Europe/Lisbon","weekly":true,"day_of_week":"monday",)"
      R"("sla_target":99.5,"recipients":["noc@example.com"],)" +
          sites + "}");
  ASSERT_EQ(created.status, 201) << created.body;
  auto s = Json(created);
  std::string id(s.at("id").as_string());
  EXPECT_TRUE(std::regex_match(id, std::regex("^sla_[0-9a-zA-Z]{27}$")));
  EXPECT_EQ(s.at("day_of_week").as_string(), "monday");
  EXPECT_DOUBLE_EQ(s.at("sla_target").as_double(), 99.5);
  EXPECT_EQ(s.at("missed_runs").as_string(), "once");
  EXPECT_FALSE(s.at("next_run_at").is_null());
  EXPECT_TRUE(s.at("last_run_at").is_null());

  auto replaced = api_->Send("PUT", "/reports/sla/schedules/" + id,
                             R"({"name":"Daily EU","timezone":"UTC","daily":true,)" + sites + "}");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Json(replaced).at("name").as_string(), "Daily EU");
  EXPECT_FALSE(Json(replaced).at("weekly").as_bool());
  ExpectSlaError(api_->Send("PUT", "/reports/sla/schedules/" + id, R"({"name":"no tz"})"), 400,
                 "parameter_missing");
  EXPECT_EQ(Json(api_->Get("/reports/sla/schedules")).at("meta").at("count").as_int64(), 1);

  ExpectSlaError(other_->Get("/reports/sla/schedules/" + id), 404, "not_found");
  ExpectSlaError(other_->Send("PUT", "/reports/sla/schedules/" + id,
                              R"({"name":"x","timezone":"UTC",)" + sites + "}"),
                 404, "not_found");
  ExpectSlaError(other_->Send("DELETE", "/reports/sla/schedules/" + id), 404, "not_found");
  ExpectSlaError(api_->Get("/reports/sla/schedules/not-an-id"), 404, "not_found");
  EXPECT_EQ(api_->Send("DELETE", "/reports/sla/schedules/" + id).status, 204);
  ExpectSlaError(api_->Get("/reports/sla/schedules/" + id), 404, "not_found");
}

TEST_F(SlaTest, CliDownloadsAReportsPdf) {
  std::string site = CreateSite("Lisbon", "eu");
  std::string id = CreateSchedule(R"({"name":"CLI","timezone":"UTC","disabled":true,"sites":[")" +
                                  site + R"("]})");
  auto run = api_->Send("POST", "/reports/sla/schedules/" + id + "/run",
                        R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
  ASSERT_EQ(run.status, 202) << run.body;
  auto job = WaitJob(std::string(Json(run).at("job_id").as_string()));
  std::string report_id(job.at("result").at("report_id").as_string());
  auto file = server_.data_dir() / "cli.pdf";
  auto cli = [&](const std::string& args) {
    std::string cmd = "RAPPORT_URL=" + server_.url() + " RAPPORT_TOKEN=" + Token("t1") + " " +
                      RAPPORT_CLI_PATH + " " + args + " 2>/dev/null";
    return WEXITSTATUS(std::system(cmd.c_str()));
  };
  ASSERT_EQ(cli("reports pdf " + report_id + " -o " + file.string()), 0);
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, api_->Get("/reports/sla/reports/" + report_id + "/pdf").body);
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  // An unknown report: the API error, exit code 1, and no file written.
  EXPECT_EQ(cli("reports pdf rpt_000000000000000000000000000 -o " + file.string() + ".x"), 1);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".x"));
  EXPECT_EQ(cli("reports pdf"), 2);  // usage
}

TEST_F(SlaTest, OnDemandRunProducesTheHandComputedReport) {
  std::string lisbon = CreateSite("Lisbon", "eu");
  std::string porto = CreateSite("Porto", "eu");
  std::string tokyo = CreateSite("Tokyo", "apac");
  auto fault = [&](const std::string& site, const std::string& type, const std::string& cause,
                   const std::string& from, const std::string& to) {
    return R"({"resource_id":")" + site + R"(","type":")" + type +
           R"(","severity":"HIGH","cause":")" + cause + R"(","created_at":")" + from +
           R"(","resolved_at":")" + to + R"("})";
  };
  auto bulk = api_->Send(
      "POST", "/faults/bulk",
      R"({"faults":[)" +
          // Lisbon: 01:00-03:00 and 02:00-04:00 overlap: 3 h down.
          fault(lisbon, "site", "Fiber cut", "2026-11-01T01:00:00Z", "2026-11-01T03:00:00Z") + "," +
          fault(lisbon, "site", "Fiber cut", "2026-11-01T02:00:00Z", "2026-11-01T04:00:00Z") + "," +
          // Ignored: a WAN tunnel fault and a power outage (ignore_power_outages).
          fault(lisbon, "wantunnel", "", "2026-11-01T10:00:00Z", "2026-11-01T15:00:00Z") + "," +
          fault(lisbon, "site", "Power Outage", "2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z") +
          "," +
          // Tokyo: starts the day before the window; only 2026-11-01 00:00-00:36 counts.
          fault(tokyo, "site", "", "2026-10-31T20:00:00Z", "2026-11-01T00:36:00Z") + "]}");
  ASSERT_EQ(bulk.status, 201) << bulk.body;

  std::string id =
      CreateSchedule(R"({"name":"EU+APAC","timezone":"UTC","disabled":true,"sla_target":99,)"
                     R"("ignore_power_outages":true,"sites":[")" +
                     lisbon + R"(",")" + porto + R"(",")" + tokyo +
                     R"("],"grouping_rules":[{"key":"region","aggregation":"min"}]})");
  auto before = Json(api_->Get("/reports/sla/schedules/" + id));

  auto run = api_->Send("POST", "/reports/sla/schedules/" + id + "/run",
                        R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
  ASSERT_EQ(run.status, 202) << run.body;
  EXPECT_EQ(Json(run).at("message").as_string(), "Report is being generated.");
  std::string job_id(Json(run).at("job_id").as_string());
  EXPECT_EQ(run.Header("location").value_or(""), "/v1/jobs/" + job_id);

  auto job = WaitJob(job_id);
  ASSERT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  EXPECT_EQ(job.at("progress_pct").as_int64(), 100);
  std::string report_id(job.at("result").at("report_id").as_string());

  auto report_response = api_->Get("/reports/sla/reports/" + report_id);
  ASSERT_EQ(report_response.status, 200) << report_response.body;
  auto report = Json(report_response);
  EXPECT_EQ(report.at("schedule_id").as_string(), id);
  EXPECT_EQ(report.at("schedule_name").as_string(), "EU+APAC");
  EXPECT_EQ(report.at("trigger").as_string(), "on_demand");
  EXPECT_EQ(report.at("from_date").as_string(), "2026-11-01");
  EXPECT_EQ(report.at("to_date").as_string(), "2026-11-02");
  EXPECT_EQ(report.at("timezone").as_string(), "UTC");
  EXPECT_EQ(report.at("methodology_version").as_int64(), 2);
  EXPECT_TRUE(report.at("settings").at("ignore_power_outages").as_bool());
  EXPECT_EQ(report.at("site_count").as_int64(), 3);
  // Window 2 days = 172800 s. Lisbon 10800 s down: 93.75 %. Porto 100 %. Tokyo 2160 s down:
  // 98.75 %. Mean (93.75 + 100 + 98.75) / 3 = 97.5. Target 99: Lisbon and Tokyo breach.
  EXPECT_DOUBLE_EQ(report.at("uptime_percentage").as_double(), 97.5);
  EXPECT_EQ(report.at("breached_site_count").as_int64(), 2);
  std::map<std::string, json::object> rows;
  for (const auto& row : report.at("sites").as_array()) {
    rows[std::string(row.at("site_name").as_string())] = row.as_object();
  }
  EXPECT_EQ(rows["Lisbon"].at("downtime_seconds").as_int64(), 10800);
  EXPECT_EQ(rows["Lisbon"].at("monitored_seconds").as_int64(), 172800);
  EXPECT_DOUBLE_EQ(rows["Lisbon"].at("uptime_percentage").as_double(), 93.75);
  EXPECT_EQ(rows["Lisbon"].at("fault_count").as_int64(), 2);
  EXPECT_EQ(rows["Lisbon"].at("longest_outage_seconds").as_int64(), 10800);
  EXPECT_EQ(rows["Lisbon"].at("mttr_seconds").as_int64(), 10800);
  EXPECT_TRUE(rows["Lisbon"].at("breached").as_bool());
  EXPECT_EQ(rows["Lisbon"].at("tags").at("region").as_string(), "eu");
  EXPECT_DOUBLE_EQ(rows["Porto"].at("uptime_percentage").as_double(), 100.0);
  EXPECT_FALSE(rows["Porto"].at("breached").as_bool());
  EXPECT_EQ(rows["Tokyo"].at("downtime_seconds").as_int64(), 2160);
  EXPECT_DOUBLE_EQ(rows["Tokyo"].at("uptime_percentage").as_double(), 98.75);
  // Groups by region, min: apac 98.75 (Tokyo), eu 93.75 (min of Lisbon, Porto).
  const auto& groups = report.at("groups").as_array();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].at("value").as_string(), "apac");
  EXPECT_DOUBLE_EQ(groups[0].at("uptime_percentage").as_double(), 98.75);
  EXPECT_EQ(groups[1].at("value").as_string(), "eu");
  EXPECT_DOUBLE_EQ(groups[1].at("uptime_percentage").as_double(), 93.75);
  EXPECT_EQ(groups[1].at("site_count").as_int64(), 2);

  // Daily series: Nov 1 loses 10800 + 2160 s of 3 x 86400 s = 95 %; Nov 2 nothing counted.
  const auto& daily = report.at("daily").as_array();
  ASSERT_EQ(daily.size(), 2u);
  EXPECT_EQ(daily[0].at("date").as_string(), "2026-11-01");
  EXPECT_DOUBLE_EQ(daily[0].at("uptime_percentage").as_double(), 95.0);
  EXPECT_DOUBLE_EQ(daily[1].at("uptime_percentage").as_double(), 100.0);
  // The costliest faults, each on its own (overlaps not merged): 7200, 7200, 2160 s.
  const auto& top = report.at("top_faults").as_array();
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].at("downtime_seconds").as_int64(), 7200);
  EXPECT_EQ(top[0].at("site_name").as_string(), "Lisbon");
  EXPECT_EQ(top[2].at("downtime_seconds").as_int64(), 2160);
  EXPECT_EQ(top[2].at("site_name").as_string(), "Tokyo");

  // Listed newest first, filterable by schedule; other tenants see nothing.
  auto list = Json(api_->Get("/reports/sla/reports?schedule_id=" + id));
  ASSERT_EQ(list.at("data").as_array().size(), 1u);
  EXPECT_EQ(list.at("data").at(0).at("id").as_string(), report_id);
  EXPECT_EQ(Json(api_->Get("/reports/sla/reports?schedule_id=sla_000000000000000000000000000"))
                .at("data")
                .as_array()
                .size(),
            0u);
  ExpectSlaError(api_->Get("/reports/sla/reports?schedule_id=bogus"), 400, "parameter_invalid");
  ExpectSlaError(other_->Get("/reports/sla/reports/" + report_id), 404, "not_found");
  EXPECT_EQ(Json(other_->Get("/reports/sla/reports")).at("data").as_array().size(), 0u);
  // The PDF was rendered with the report and shows the JSON's numbers (hand-checked above).
  EXPECT_TRUE(report.at("has_pdf").as_bool());
  std::string pdf_path = "/reports/sla/reports/" + report_id + "/pdf";
  auto pdf = api_->Get(pdf_path);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.Header("content-type").value_or(""), "application/pdf");
  EXPECT_EQ(pdf.Header("content-disposition").value_or(""),
            "attachment; filename=\"sla-report-2026-11-01-to-2026-11-02.pdf\"");
  std::string text = PdfText(pdf.body);
  EXPECT_NE(text.find("EU+APAC"), std::string::npos);
  EXPECT_NE(text.find("97.500 % 1 of 3 2"), std::string::npos) << text;
  // Site, uptime %, downtime, faults, longest outage, MTTR, budget left, burn; worst first. Each
  // site may be down 1 % of 172,800 s = 1,728 s (0:29): Lisbon is 9,072 s over (burn 6.25),
  // Tokyo 432 s (1.25).
  size_t lisbon_row = text.find("Lisbon 93.750 3:00 2 3:00 3:00 -2:31 6.25× ✗ breached");
  size_t tokyo_row = text.find("Tokyo 98.750 0:36 1 0:36 0:36 -0:07 1.25× ✗ breached");
  size_t porto_row = text.find("Porto 100.000 0:00 0 0:00 0:00 0:29 0.00× ✓ met");
  ASSERT_NE(porto_row, std::string::npos) << text;
  EXPECT_LT(lisbon_row, tokyo_row) << text;
  EXPECT_LT(tokyo_row, porto_row) << text;
  EXPECT_NE(text.find("region = eu min 93.750 2 1 -2:02"), std::string::npos) << text;
  // Same bytes and ETag every time; a revalidation with that ETag is 304 without a body.
  auto again = api_->Get(pdf_path);
  EXPECT_EQ(again.body, pdf.body);
  std::string etag = pdf.Header("etag").value_or("");
  EXPECT_EQ(again.Header("etag").value_or("-"), etag);
  auto revalidated = api_->Send("GET", pdf_path, "", {"If-None-Match: " + etag});
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_TRUE(revalidated.body.empty());
  EXPECT_EQ(api_->Send("GET", pdf_path, "", {"If-None-Match: \"other\""}).status, 200);

  // The run is in the schedule's history; the cadence is untouched; last_run_* updated.
  auto runs = Json(api_->Get("/reports/sla/schedules/" + id + "/runs"));
  ASSERT_EQ(runs.at("data").as_array().size(), 1u);
  EXPECT_EQ(runs.at("data").at(0).at("trigger").as_string(), "on_demand");
  EXPECT_EQ(runs.at("data").at(0).at("status").as_string(), "completed");
  EXPECT_EQ(runs.at("data").at(0).at("job_id").as_string(), job_id);
  auto after = Json(api_->Get("/reports/sla/schedules/" + id));
  EXPECT_EQ(after.at("next_run_at"), before.at("next_run_at"));
  EXPECT_EQ(after.at("last_run_status").as_string(), "completed");
  EXPECT_FALSE(after.at("last_run_at").is_null());

  EXPECT_EQ(api_->Send("DELETE", "/reports/sla/reports/" + report_id).status, 204);
  ExpectSlaError(api_->Get("/reports/sla/reports/" + report_id), 404, "not_found");
}

TEST_F(SlaTest, RunRequestErrorsMatchSeed002) {
  std::string site = CreateSite("Coimbra", "eu");
  std::string id =
      CreateSchedule(R"({"name":"S","timezone":"Pacific/Kiritimati","sites":[")" + site + R"("]})");
  std::string path = "/reports/sla/schedules/" + id + "/run";
  ExpectSlaError(api_->Send("POST", path, R"({"to_date":"2026-11-02"})"), 400, "parameter_missing");
  ExpectSlaError(api_->Send("POST", path, R"({"from_date":"2026-11-01"})"), 400,
                 "parameter_missing");
  ExpectSlaError(api_->Send("POST", path, R"({"from_date":"2026-13-01","to_date":"2026-11-02"})"),
                 400, "parameter_invalid");
  ExpectSlaError(api_->Send("POST", path, R"({"from_date":"01/11/2026","to_date":"2026-11-02"})"),
                 400, "parameter_invalid");
  ExpectSlaError(api_->Send("POST", path, R"({"from_date":"2026-11-02","to_date":"2026-11-01"})"),
                 400, "parameter_invalid");
  ExpectSlaError(api_->Send("POST", path, R"({"from_date":"2026-11-02","to_date":"2026-11-02"})"),
                 400, "parameter_invalid");
  // Tomorrow in the schedule's zone (UTC+14) is never acceptable.
  auto now = std::chrono::system_clock::now() + std::chrono::hours(14 + 24);
  auto days = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char tomorrow[16];
  std::snprintf(tomorrow, sizeof tomorrow, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  auto future = api_->Send(
      "POST", path, R"({"from_date":"2026-01-01","to_date":")" + std::string(tomorrow) + R"("})");
  ExpectSlaError(future, 400, "parameter_invalid");
  EXPECT_NE(Json(future).at("message").as_string().find("tomorrow"), std::string::npos);
  ExpectSlaError(api_->Send("POST", "/reports/sla/schedules/sla_000000000000000000000000000/run",
                            R"({"from_date":"2026-11-01","to_date":"2026-11-02"})"),
                 404, "not_found");
  ExpectSlaError(other_->Send("POST", path, R"({"from_date":"2026-11-01","to_date":"2026-11-02"})"),
                 404, "not_found");
  // Nothing was enqueued by any of these.
  EXPECT_EQ(Json(api_->Get("/reports/sla/schedules/" + id + "/runs")).at("data").as_array().size(),
            0u);
  EXPECT_EQ(Json(api_->Get("/v1/jobs")).at("data").as_array().size(), 0u);
}

TEST_F(SlaTest, EveryRouteChecksTokenScopeMethodAndTenant) {
  std::string site = CreateSite("Setubal", "eu");
  std::string id = CreateSchedule(R"({"name":"S","timezone":"UTC","sites":[")" + site + R"("]})");
  auto run = api_->Send("POST", "/reports/sla/schedules/" + id + "/run",
                        R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
  ASSERT_EQ(run.status, 202);
  std::string report_id;
  ASSERT_TRUE([&] {
    for (int i = 0; i < 200 && report_id.empty(); ++i) {
      auto list = Json(api_->Get("/reports/sla/reports")).at("data").as_array();
      if (!list.empty()) report_id = list[0].at("id").as_string();
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return !report_id.empty();
  }());
  struct Call {
    std::string method, path, body;
  };
  std::vector<Call> writes = {
      {"POST", "/faults", "{}"},
      {"POST", "/faults/bulk", R"({"faults":[]})"},
      {"PATCH", "/faults/flt_000000000000000000000000000", "{}"},
      {"POST", "/integrations/alertmanager", R"({"version":"4","alerts":[]})"},
      {"POST", "/integrations/grafana", R"({"version":"1","alerts":[]})"},
      {"POST", "/business-hours", "{}"},
      {"PUT", "/business-hours/sch_000000000000000000000000000", "{}"},
      {"DELETE", "/business-hours/sch_000000000000000000000000000", ""},
      {"POST", "/reports/sla/schedules", "{}"},
      {"PUT", "/reports/sla/schedules/" + id, "{}"},
      {"DELETE", "/reports/sla/schedules/" + id, ""},
      {"POST", "/reports/sla/schedules/" + id + "/run", "{}"},
      {"DELETE", "/reports/sla/reports/" + report_id, ""}};
  std::vector<Call> reads = {{"GET", "/faults", ""},
                             {"GET", "/business-hours", ""},
                             {"GET", "/reports/sla/schedules", ""},
                             {"GET", "/reports/sla/schedules/" + id, ""},
                             {"GET", "/reports/sla/schedules/" + id + "/runs", ""},
                             {"GET", "/reports/sla/reports", ""},
                             {"GET", "/reports/sla/reports/" + report_id, ""},
                             {"GET", "/reports/sla/reports/" + report_id + "/pdf", ""}};
  Api anonymous(server_, "");
  Api reader(server_, Token("t1", "read:sla"));
  Api brands_only(server_, Token("t1", "read:brands write:brands"));
  for (const auto& c : writes) {
    SCOPED_TRACE(c.method + " " + c.path);
    ExpectSlaError(anonymous.Send(c.method, c.path, c.body), 401, "unauthorized");
    ExpectSlaError(reader.Send(c.method, c.path, c.body), 403, "insufficient_scope");
  }
  for (const auto& c : reads) {
    SCOPED_TRACE(c.method + " " + c.path);
    ExpectSlaError(anonymous.Send(c.method, c.path, c.body), 401, "unauthorized");
    ExpectSlaError(brands_only.Send(c.method, c.path, c.body), 403, "insufficient_scope");
  }
  // Another tenant's schedule, runs and report are 404 wherever they are named.
  ExpectSlaError(other_->Get("/reports/sla/schedules/" + id + "/runs"), 404, "not_found");
  ExpectSlaError(other_->Send("DELETE", "/reports/sla/reports/" + report_id), 404, "not_found");
  ExpectSlaError(other_->Get("/reports/sla/reports/" + report_id + "/pdf"), 404, "not_found");
  ExpectSlaError(api_->Get("/reports/sla/reports/rpt_nope"), 404, "not_found");
  // Methods a path does not serve are 405 in the seed-002 dialect.
  ExpectSlaError(api_->Send("PATCH", "/reports/sla/schedules/" + id, "{}"), 405,
                 "method_not_allowed");
  ExpectSlaError(api_->Send("GET", "/reports/sla/schedules/" + id + "/run"), 405,
                 "method_not_allowed");
  ExpectSlaError(api_->Send("PUT", "/faults"), 405, "method_not_allowed");
  // The report survived all of that.
  EXPECT_EQ(api_->Get("/reports/sla/reports/" + report_id).status, 200);
}

TEST(SlaQueueTest, FullQueueAnswers503AndEnqueuesNothing) {
  ServerProcess server(std::map<std::string, std::string>{{"RAPPORT_JOB_QUEUE_PER_TENANT", "1"}});
  server.Start();
  Api api(server, Token("t1"));
  auto site = Json(api.Send("POST", "/sites", R"({"name":"A","timezone":"UTC"})"));
  auto schedule = Json(api.Send("POST", "/reports/sla/schedules",
                                R"({"name":"S","timezone":"UTC","sites":[")" +
                                    std::string(site.at("id").as_string()) + R"("]})"));
  // A job that waits an hour fills this tenant's queue of one.
  int64_t later = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count() +
                  3'600'000;
  std::string sql =
      "INSERT INTO jobs (id, tenant_id, kind, status, run_after, created_at, "
      "updated_at) VALUES ('" +
      NewId("job") + "', 't1', 'sla_report', 'pending', " + std::to_string(later) + ", 0, 0)";
  Sql(server.database_url(), sql);

  std::string path =
      "/reports/sla/schedules/" + std::string(schedule.at("id").as_string()) + "/run";
  auto full = api.Send("POST", path, R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
  EXPECT_EQ(full.status, 503) << full.body;
  EXPECT_EQ(Json(full).at("code").as_string(), "service_unavailable");
  EXPECT_EQ(full.Header("retry-after").value_or(""), "30");
  EXPECT_EQ(Json(api.Get(path.substr(0, path.size() - 4) + "/runs")).at("data").as_array().size(),
            0u);
  EXPECT_EQ(Json(api.Get("/v1/jobs")).at("data").as_array().size(), 1u);
  // Another tenant's queue is its own.
  Api other(server, Token("t2"));
  auto other_site = Json(other.Send("POST", "/sites", R"({"name":"B","timezone":"UTC"})"));
  auto other_schedule =
      Json(other.Send("POST", "/reports/sla/schedules",
                      R"({"name":"S","timezone":"UTC","sites":[")" +
                          std::string(other_site.at("id").as_string()) + R"("]})"));
  EXPECT_EQ(other
                .Send("POST",
                      "/reports/sla/schedules/" + std::string(other_schedule.at("id").as_string()) +
                          "/run",
                      R"({"from_date":"2026-11-01","to_date":"2026-11-02"})")
                .status,
            202);
}

}  // namespace
}  // namespace rapport::testing
