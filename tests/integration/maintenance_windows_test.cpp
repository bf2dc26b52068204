// Maintenance windows (/maintenance-windows) and SLO error budgets on SLA reports against a real
// rapportd: the resource's CRUD, validation, pagination and tenancy; a report whose monitored time
// leaves the windows out, with budgets per site, group and in total worked out by hand in the
// comments; and "sla.budget.exhausted" from a scheduled run.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class MaintenanceWindowsTest : public ::testing::Test {
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

  json::object Create(const std::string& body) {
    auto r = api_->Send("POST", "/maintenance-windows", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).as_object() : json::object{};
  }

  // Expects a seed-002 error body with `status` and `code`; returns its message.
  static std::string ExpectSlaError(const client::HttpResult& r, long status,
                                    const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto body = Json(r);
    if (!body.is_object()) return "";
    EXPECT_EQ(body.at("code").as_string(), code) << r.body;
    EXPECT_EQ(body.as_object().size(), 4u) << r.body;
    return std::string(body.at("message").as_string());
  }

  json::object RunReport(const std::string& schedule_id, const std::string& from,
                         const std::string& to) {
    auto run = api_->Send("POST", "/reports/sla/schedules/" + schedule_id + "/run",
                          R"({"from_date":")" + from + R"(","to_date":")" + to + R"("})");
    EXPECT_EQ(run.status, 202) << run.body;
    auto job = WaitJob(*api_, std::string(Json(run).at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
    std::string id(job.at("result").at("report_id").as_string());
    auto report = api_->Get("/reports/sla/reports/" + id);
    EXPECT_EQ(report.status, 200) << report.body;
    return Json(report).as_object();
  }

  ServerProcess server_{{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}};
  std::optional<Api> api_;
  std::optional<Api> other_;
};

TEST_F(MaintenanceWindowsTest, OneOffAndWeeklyWindowsAreCreatedReadReplacedPatchedAndDeleted) {
  json::object once = Create(
      R"({"name":"Core switch swap","type":"one_off","starts_at":"2026-11-01T02:00:00+01:00",)"
      R"("ends_at":"2026-11-01T04:00:00+01:00","site_ids":["site_a","site_b"]})");
  std::string id(once.at("id").as_string());
  EXPECT_TRUE(std::regex_match(id, std::regex("^mw_[0-9a-zA-Z]{27}$"))) << id;
  EXPECT_EQ(once.at("type").as_string(), "one_off");
  EXPECT_EQ(once.at("timezone").as_string(), "UTC");
  EXPECT_EQ(once.at("starts_at").as_string(), "2026-11-01T01:00:00.000Z");
  EXPECT_EQ(once.at("ends_at").as_string(), "2026-11-01T03:00:00.000Z");
  EXPECT_EQ(once.at("site_ids").as_array().size(), 2u);
  EXPECT_TRUE(once.at("tags").as_object().empty());
  EXPECT_FALSE(once.contains("days"));

  json::object weekly =
      Create(R"({"name":"Sunday patching","type":"weekly","timezone":"Europe/Berlin",)"
             R"("days":["sunday","saturday"],"start":"01:30","duration_minutes":120,)"
             R"("tags":{"region":"eu"}})");
  std::string weekly_id(weekly.at("id").as_string());
  EXPECT_EQ(weekly.at("days"), (json::array{"sunday", "saturday"}));
  EXPECT_EQ(weekly.at("start").as_string(), "01:30");
  EXPECT_EQ(weekly.at("duration_minutes").as_int64(), 120);
  EXPECT_EQ(weekly.at("tags").at("region").as_string(), "eu");
  EXPECT_FALSE(weekly.contains("starts_at"));
  EXPECT_EQ(Json(api_->Get("/maintenance-windows/" + weekly_id)).as_object(), weekly);

  // The dialect's pagination: newest first, an opaque cursor.
  auto first = Json(api_->Get("/maintenance-windows?limit=1"));
  ASSERT_EQ(first.at("data").as_array().size(), 1u);
  EXPECT_EQ(first.at("data").at(0).at("id").as_string(), weekly_id);
  EXPECT_TRUE(first.at("meta").at("has_more").as_bool());
  std::string cursor(first.at("meta").at("cursor").as_string());
  auto second = Json(api_->Get("/maintenance-windows?limit=1&cursor=" + cursor));
  ASSERT_EQ(second.at("data").as_array().size(), 1u);
  EXPECT_EQ(second.at("data").at(0).at("id").as_string(), id);
  EXPECT_FALSE(second.at("meta").at("has_more").as_bool());

  // PATCH changes what it names; a new type drops the old type's fields; PUT replaces all.
  auto renamed = api_->Send("PATCH", "/maintenance-windows/" + id, R"({"name":"Swap, part 1"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Json(renamed).at("name").as_string(), "Swap, part 1");
  EXPECT_EQ(Json(renamed).at("starts_at").as_string(), "2026-11-01T01:00:00.000Z");
  auto retyped =
      api_->Send("PATCH", "/maintenance-windows/" + id,
                 R"({"type":"weekly","days":["monday"],"start":"23:00","duration_minutes":90})");
  ASSERT_EQ(retyped.status, 200) << retyped.body;
  EXPECT_FALSE(Json(retyped).as_object().contains("starts_at"));
  EXPECT_EQ(Json(retyped).at("site_ids").as_array().size(), 2u);
  auto rescoped = api_->Send("PATCH", "/maintenance-windows/" + id, R"({"tags":{"tier":"gold"}})");
  ASSERT_EQ(rescoped.status, 200) << rescoped.body;
  EXPECT_TRUE(Json(rescoped).at("site_ids").as_array().empty());
  auto replaced =
      api_->Send("PUT", "/maintenance-windows/" + id,
                 R"({"name":"Replaced","type":"one_off",)"
                 R"("starts_at":"2026-12-01T00:00:00Z","ends_at":"2026-12-01T01:00:00Z",)"
                 R"("site_ids":["site_c"]})");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Json(replaced).at("name").as_string(), "Replaced");
  EXPECT_EQ(Json(replaced).at("created_at"), once.at("created_at"));

  // Another tenant's window is not found, whatever the verb.
  ExpectSlaError(other_->Get("/maintenance-windows/" + id), 404, "not_found");
  ExpectSlaError(other_->Send("PATCH", "/maintenance-windows/" + id, R"({"name":"x"})"), 404,
                 "not_found");
  ExpectSlaError(other_->Send("DELETE", "/maintenance-windows/" + id), 404, "not_found");
  EXPECT_TRUE(Json(other_->Get("/maintenance-windows")).at("data").as_array().empty());

  EXPECT_EQ(api_->Send("DELETE", "/maintenance-windows/" + id).status, 204);
  ExpectSlaError(api_->Get("/maintenance-windows/" + id), 404, "not_found");
  ExpectSlaError(api_->Get("/maintenance-windows/bogus"), 404, "not_found");
}

TEST_F(MaintenanceWindowsTest, InvalidWindowsAreRefusedInTheSlaDialect) {
  auto post = [&](const std::string& body) {
    return api_->Send("POST", "/maintenance-windows", body);
  };
  ExpectSlaError(post(R"({"name":"x","site_ids":["s"]})"), 400, "parameter_missing");
  ExpectSlaError(post(R"({"name":"x","type":"monthly","site_ids":["s"]})"), 400,
                 "parameter_invalid");
  // ends before it starts; both scopes; neither scope; an unknown zone; a weekly field on a
  // one-off; a week and a minute; no days; a bad start time.
  for (
      const char* body :
      {R"({"name":"x","type":"one_off","starts_at":"2026-11-02T00:00:00Z","ends_at":"2026-11-01T00:00:00Z","site_ids":["s"]})",
       R"({"name":"x","type":"one_off","starts_at":"2026-11-01T00:00:00Z","ends_at":"2026-11-02T00:00:00Z","site_ids":["s"],"tags":{"a":"b"}})",
       R"({"name":"x","type":"one_off","starts_at":"2026-11-01T00:00:00Z","ends_at":"2026-11-02T00:00:00Z"})",
       R"({"name":"x","type":"weekly","timezone":"Mars/Olympus","days":["sunday"],"start":"01:00","duration_minutes":60,"site_ids":["s"]})",
       R"({"name":"x","type":"one_off","days":["sunday"],"starts_at":"2026-11-01T00:00:00Z","ends_at":"2026-11-02T00:00:00Z","site_ids":["s"]})",
       R"({"name":"x","type":"weekly","days":["sunday"],"start":"01:00","duration_minutes":10081,"site_ids":["s"]})",
       R"({"name":"x","type":"weekly","days":[],"start":"01:00","duration_minutes":60,"site_ids":["s"]})",
       R"({"name":"x","type":"weekly","days":["sunday"],"start":"25:00","duration_minutes":60,"site_ids":["s"]})"}) {
    auto r = post(body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
  }
  EXPECT_TRUE(Json(api_->Get("/maintenance-windows")).at("data").as_array().empty());
}

TEST_F(MaintenanceWindowsTest, ReportLeavesWindowsOutOfMonitoredTimeAndShowsBudgets) {
  std::string lisbon = CreateSite("Lisbon", "eu");
  std::string porto = CreateSite("Porto", "eu");
  std::string tokyo = CreateSite("Tokyo", "apac");
  auto fault = [](const std::string& site, const std::string& from, const std::string& to) {
    return R"({"resource_id":")" + site + R"(","type":"site","severity":"HIGH","created_at":")" +
           from + R"(","resolved_at":")" + to + R"("})";
  };
  auto bulk =
      api_->Send("POST", "/faults/bulk",
                 R"({"faults":[)" + fault(lisbon, "2026-11-01T01:00:00Z", "2026-11-01T04:00:00Z") +
                     "," + fault(lisbon, "2026-11-01T01:30:00Z", "2026-11-01T02:30:00Z") + "," +
                     fault(tokyo, "2026-11-01T00:30:00Z", "2026-11-01T01:30:00Z") + "," +
                     fault(porto, "2026-11-02T10:00:00Z", "2026-11-02T10:10:00Z") + "]}");
  ASSERT_EQ(bulk.status, 201) << bulk.body;
  // Lisbon: 01:00-03:00 UTC on Nov 1. Sites tagged apac: Sundays 09:00 in Tokyo (00:00 UTC) for
  // an hour; Nov 1 2026 is a Sunday, Nov 2 a Monday. A window of the other tenant changes nothing.
  std::string lisbon_window(
      Create(R"({"name":"Lisbon fibre","type":"one_off","starts_at":"2026-11-01T01:00:00Z",)"
             R"("ends_at":"2026-11-01T03:00:00Z","site_ids":[")" +
             lisbon + R"("]})")
          .at("id")
          .as_string());
  Create(R"({"name":"APAC patching","type":"weekly","timezone":"Asia/Tokyo","days":["sunday"],)"
         R"("start":"09:00","duration_minutes":60,"tags":{"region":"apac"}})");
  auto foreign =
      other_->Send("POST", "/maintenance-windows",
                   R"({"name":"theirs","type":"one_off","starts_at":"2026-11-01T00:00:00Z",)"
                   R"("ends_at":"2026-11-03T00:00:00Z","site_ids":[")" +
                       porto + R"("]})");
  ASSERT_EQ(foreign.status, 201) << foreign.body;

  auto schedule = api_->Send(
      "POST", "/reports/sla/schedules",
      R"({"name":"Budgets","timezone":"UTC","disabled":true,"sla_target":99,"sites":[")" + lisbon +
          R"(",")" + porto + R"(",")" + tokyo +
          R"("],"grouping_rules":[{"key":"region","aggregation":"avg"}]})");
  ASSERT_EQ(schedule.status, 201) << schedule.body;
  json::object report =
      RunReport(std::string(Json(schedule).at("id").as_string()), "2026-11-01", "2026-11-02");
  EXPECT_EQ(report.at("methodology_version").as_int64(), 2);
  std::map<std::string, json::object> rows;
  for (const auto& row : report.at("sites").as_array()) {
    rows[std::string(row.at("site_name").as_string())] = row.as_object();
  }
  // Lisbon: 172,800 s less the 7,200 s window = 165,600 monitored; its faults' union 01:00-04:00
  // counts outside the window only, 03:00-04:00 = 3,600 s, and the fault wholly inside does not
  // count. Uptime 100 × 162,000 / 165,600 = 97.826 %. Budget 1 % = 1,656 s; 1,944 s overspent:
  // -117.391 %; burn 3,600 / 1,656 = 2.174.
  const json::object& l = rows["Lisbon"];
  EXPECT_EQ(l.at("monitored_seconds").as_int64(), 165'600);
  EXPECT_EQ(l.at("maintenance_seconds").as_int64(), 7'200);
  EXPECT_EQ(l.at("downtime_seconds").as_int64(), 3'600);
  EXPECT_EQ(l.at("fault_count").as_int64(), 1);
  EXPECT_DOUBLE_EQ(l.at("uptime_percentage").as_double(), 97.826);
  EXPECT_EQ(l.at("error_budget_seconds").as_int64(), 1'656);
  EXPECT_EQ(l.at("budget_remaining_seconds").as_int64(), -1'944);
  EXPECT_DOUBLE_EQ(l.at("budget_remaining_percent").as_double(), -117.391);
  EXPECT_DOUBLE_EQ(l.at("burn_rate").as_double(), 2.174);
  EXPECT_TRUE(l.at("budget_exhausted").as_bool());
  // Tokyo: 169,200 monitored; its fault 00:30-01:30 counts 01:00-01:30 = 1,800 s. Uptime
  // 98.936 %; budget 1,692 s, 108 s over (-6.383 %), burn 1.064.
  const json::object& t = rows["Tokyo"];
  EXPECT_EQ(t.at("monitored_seconds").as_int64(), 169'200);
  EXPECT_EQ(t.at("maintenance_seconds").as_int64(), 3'600);
  EXPECT_EQ(t.at("downtime_seconds").as_int64(), 1'800);
  EXPECT_DOUBLE_EQ(t.at("uptime_percentage").as_double(), 98.936);
  EXPECT_EQ(t.at("error_budget_seconds").as_int64(), 1'692);
  EXPECT_EQ(t.at("budget_remaining_seconds").as_int64(), -108);
  EXPECT_DOUBLE_EQ(t.at("budget_remaining_percent").as_double(), -6.383);
  EXPECT_DOUBLE_EQ(t.at("burn_rate").as_double(), 1.064);
  // Porto (no window of its tenant): 600 s of a 1,728 s budget: 1,128 left, 65.278 %, burn 0.347.
  const json::object& p = rows["Porto"];
  EXPECT_EQ(p.at("monitored_seconds").as_int64(), 172'800);
  EXPECT_EQ(p.at("maintenance_seconds").as_int64(), 0);
  EXPECT_EQ(p.at("budget_remaining_seconds").as_int64(), 1'128);
  EXPECT_DOUBLE_EQ(p.at("budget_remaining_percent").as_double(), 65.278);
  EXPECT_DOUBLE_EQ(p.at("burn_rate").as_double(), 0.347);
  EXPECT_FALSE(p.at("budget_exhausted").as_bool());
  // Groups pool their sites' seconds: eu 3,384 allowed, 4,200 down: -816 (-24.113 %), 1.241.
  const auto& groups = report.at("groups").as_array();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].at("value").as_string(), "eu");
  EXPECT_EQ(groups[1].at("error_budget_seconds").as_int64(), 3'384);
  EXPECT_EQ(groups[1].at("budget_remaining_seconds").as_int64(), -816);
  EXPECT_DOUBLE_EQ(groups[1].at("budget_remaining_percent").as_double(), -24.113);
  EXPECT_DOUBLE_EQ(groups[1].at("burn_rate").as_double(), 1.241);
  EXPECT_TRUE(groups[1].at("budget_exhausted").as_bool());
  EXPECT_EQ(groups[0].at("error_budget_seconds").as_int64(), 1'692);
  // In total: 5,076 allowed, 6,000 down: -924 (-18.203 %), burn 1.182; 2 sites, 2 groups out.
  EXPECT_EQ(report.at("error_budget_seconds").as_int64(), 5'076);
  EXPECT_EQ(report.at("budget_remaining_seconds").as_int64(), -924);
  EXPECT_DOUBLE_EQ(report.at("budget_remaining_percent").as_double(), -18.203);
  EXPECT_DOUBLE_EQ(report.at("burn_rate").as_double(), 1.182);
  EXPECT_EQ(report.at("budget_exhausted_site_count").as_int64(), 2);
  EXPECT_EQ(report.at("budget_exhausted_group_count").as_int64(), 2);
  // Daily: Nov 1 monitored 79,200 + 86,400 + 82,800 = 248,400 s, 5,400 down: 97.826 %; Nov 2
  // 259,200 s, 600 down: 99.769 %.
  EXPECT_DOUBLE_EQ(report.at("daily").at(0).at("uptime_percentage").as_double(), 97.826);
  EXPECT_DOUBLE_EQ(report.at("daily").at(1).at("uptime_percentage").as_double(), 99.769);
  // The windows that applied, oldest first; the other tenant's is not among them.
  const auto& applied = report.at("maintenance_windows").as_array();
  ASSERT_EQ(applied.size(), 2u) << json::serialize(applied);
  EXPECT_EQ(applied[0].at("id").as_string(), lisbon_window);
  EXPECT_EQ(applied[0].at("site_count").as_int64(), 1);
  EXPECT_EQ(applied[0].at("maintenance_seconds").as_int64(), 7'200);
  EXPECT_EQ(applied[1].at("name").as_string(), "APAC patching");
  EXPECT_EQ(applied[1].at("type").as_string(), "weekly");
  EXPECT_EQ(applied[1].at("first_start").as_string(), "2026-11-01T00:00:00.000Z");
  EXPECT_EQ(applied[1].at("maintenance_seconds").as_int64(), 3'600);
  // The PDF shows the budgets and the windows.
  auto pdf = api_->Get("/reports/sla/reports/" + std::string(report.at("id").as_string()) + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  std::string text = PdfText(pdf.body);
  EXPECT_NE(text.find("Lisbon 97.826 1:00 1 1:00 1:00 -0:32 2.17× ✗ breached"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Lisbon fibre one-off 1 2:00 2026-11-01 01:00 2026-11-01 03:00"),
            std::string::npos)
      << text;
  // A run now raises the budget event too, as it raises sla.breached and sla_report.completed.
  auto event = json::parse(Sql(server_.database_url(),
                               "SELECT payload FROM events WHERE type = 'sla.budget.exhausted'"));
  EXPECT_EQ(event.at("trigger").as_string(), "on_demand");
  EXPECT_EQ(event.at("report_id").as_string(), report.at("id").as_string());
}

TEST_F(MaintenanceWindowsTest, CliCreatesListsUpdatesAndDeletesWindows) {
  auto created = RunCli(server_, R"(--json maintenance-windows create -d '{"name":"Nightly",)"
                                 R"("type":"weekly","days":["monday"],"start":"02:00",)"
                                 R"("duration_minutes":30,"tags":{"tier":"gold"}}')");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string id(json::parse(created.out).at("id").as_string());
  auto table = RunCli(server_, "maintenance-windows list");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("TYPE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(id), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("weekly"), std::string::npos) << table.out;
  auto updated =
      RunCli(server_, "--json maintenance-windows update " + id + R"( -d '{"name":"Nightly 2"}')");
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(json::parse(updated.out).at("name").as_string(), "Nightly 2");
  EXPECT_EQ(RunCli(server_, "maintenance-windows delete " + id).exit_code, 0);
  EXPECT_EQ(RunCli(server_, "maintenance-windows get " + id).exit_code, 1);
}

TEST(MaintenanceBudgetEventTest, ScheduledRunWithAnExhaustedBudgetRaisesTheEvent) {
  const std::map<std::string, std::string> env = {{"RAPPORT_SCHEDULER_INTERVAL_MS", "50"},
                                                  {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                                                  {"RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "1"}};
  ServerProcess server(env);
  server.Start();
  Api api(server, Token("t1"));
  auto hook = api.Send("POST", "/reports/sla/webhooks",
                       R"({"url":"http://127.0.0.1:9/budget","events":["sla.budget.exhausted"]})");
  EXPECT_EQ(hook.status, 201) << hook.body;
  auto site = api.Send("POST", "/sites", R"({"name":"Down all day","timezone":"UTC"})");
  ASSERT_EQ(site.status, 201) << site.body;
  std::string site_id(Json(site).at("id").as_string());
  // Down since two days ago, still unresolved: yesterday's report has it down all day.
  auto f = api.Send("POST", "/faults",
                    R"({"resource_id":")" + site_id +
                        R"(","type":"site","severity":"HIGH","created_at":")" +
                        FormatRfc3339(LastEightUtc() - 3 * 86'400'000) + R"("})");
  ASSERT_EQ(f.status, 201) << f.body;
  auto schedule =
      api.Send("POST", "/reports/sla/schedules",
               R"({"name":"daily","timezone":"UTC","daily":true,"sites":[")" + site_id + R"("]})");
  ASSERT_EQ(schedule.status, 201) << schedule.body;
  std::string id(Json(schedule).at("id").as_string());
  Sql(server.database_url(), "UPDATE sla_schedules SET next_run_at = " +
                                 std::to_string(LastEightUtc()) + " WHERE id = '" + id + "'");
  std::string count_sql = "SELECT COUNT(*) FROM events WHERE type = 'sla.budget.exhausted'";
  ASSERT_TRUE(WaitFor([&] { return Sql(server.database_url(), count_sql) == "1"; }));
  auto data = json::parse(
      Sql(server.database_url(), "SELECT payload FROM events WHERE type = 'sla.budget.exhausted'"));
  auto reports = Json(api.Get("/reports/sla/reports?schedule_id=" + id)).at("data").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(data.at("report_id"), reports[0].at("id"));
  EXPECT_EQ(data.at("schedule_id").as_string(), id);
  EXPECT_EQ(data.at("exhausted_site_count").as_int64(), 1);
  ASSERT_EQ(data.at("exhausted_sites").as_array().size(), 1u);
  // A day at 99.9 %: 86.4 s allowed, rounded to 86; 86,400 s down.
  EXPECT_EQ(data.at("exhausted_sites").at(0).at("site_id").as_string(), site_id);
  EXPECT_EQ(data.at("exhausted_sites").at(0).at("error_budget_seconds").as_int64(), 86);
  EXPECT_EQ(data.at("exhausted_sites").at(0).at("downtime_seconds").as_int64(), 86'400);
  EXPECT_TRUE(data.at("exhausted_groups").as_array().empty());
  // The subscribed endpoint is sent it (the receiver here is unreachable: the attempt is logged).
  std::string hook_id(Json(hook).at("id").as_string());
  ASSERT_TRUE(WaitFor([&] {
    auto log = Json(api.Get("/reports/sla/webhooks/" + hook_id + "/deliveries"));
    for (const auto& d : log.at("data").as_array()) {
      if (d.at("event_type").as_string() == "sla.budget.exhausted") return true;
    }
    return false;
  }));
}

}  // namespace
}  // namespace rapport::testing
