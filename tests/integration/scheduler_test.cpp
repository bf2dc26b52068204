// The scheduler and the job engine against real rapportd processes: scheduled runs, catch-up
// after downtime, two schedulers racing on one store, and a job whose process is SIGKILLed
// mid-run (three nodes losing one: tests/crash/cluster_test.cpp). Downtime is simulated by
// moving a schedule's next_run_at into the past in the database, as if rapportd had been
// stopped since.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;

std::string CreateDailySchedule(Api& api, const std::string& missed_runs, int sites = 1) {
  json::array ids;
  for (int i = 0; i < sites; ++i) {
    auto site = api.Send("POST", "/sites",
                         R"({"name":"site )" + std::to_string(i) + R"(","timezone":"UTC"})");
    EXPECT_EQ(site.status, 201) << site.body;
    ids.push_back(Json(site).at("id"));
  }
  auto r = api.Send("POST", "/reports/sla/schedules",
                    R"({"name":"daily","timezone":"UTC","daily":true,"missed_runs":")" +
                        missed_runs + R"(","sites":)" + json::serialize(ids) + "}");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).at("id").as_string());
}

const std::map<std::string, std::string> kFastScheduler = {
    {"RAPPORT_SCHEDULER_INTERVAL_MS", "50"}, {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}};

TEST(SchedulerTest, DueScheduleRunsOnceAndCatchesUpOnceAfterDowntime) {
  ServerProcess server(kFastScheduler);
  server.Start();
  Api api(server, Token("t1"));
  std::string id = CreateDailySchedule(api, "once");
  const std::string& db = server.database_url();
  auto planned = Json(api.Get("/reports/sla/schedules/" + id)).at("next_run_at");
  EXPECT_EQ(ParseRfc3339(planned.as_string()).value(), LastEightUtc() + 86'400'000);

  // "Down" for three days: four daily periods are due, the newest ran late.
  int64_t due = LastEightUtc() - 3 * 86'400'000;
  Sql(db,
      "UPDATE sla_schedules SET next_run_at = " + std::to_string(due) + " WHERE id = '" + id + "'");
  std::string runs_path = "/reports/sla/schedules/" + id + "/runs";
  ASSERT_TRUE(WaitFor([&] {
    auto runs = Json(api.Get(runs_path)).at("data").as_array();
    for (const auto& r : runs) {
      if (r.at("status").as_string() == "completed") return true;
    }
    return false;
  }));
  auto runs = Json(api.Get(runs_path)).at("data").as_array();
  ASSERT_EQ(runs.size(), 4u);
  int completed = 0, missed = 0;
  std::string yesterday = FormatRfc3339(LastEightUtc() - 86'400'000).substr(0, 10);
  for (const auto& r : runs) {
    EXPECT_EQ(r.at("trigger").as_string(), "scheduled");
    if (r.at("status").as_string() == "completed") {
      ++completed;
      EXPECT_EQ(r.at("to_date").as_string(), yesterday);  // the latest period
    } else {
      EXPECT_EQ(r.at("status").as_string(), "missed");
      EXPECT_NE(r.at("error").as_string().find("missed_runs: once"), std::string::npos);
      EXPECT_TRUE(r.at("job_id").is_null());
      ++missed;
    }
  }
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(missed, 3);
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM events WHERE type = 'schedule.run.missed'"), "3");
  // The report says it was scheduled; the schedule moved on to the next 08:00.
  auto reports = Json(api.Get("/reports/sla/reports?schedule_id=" + id)).at("data").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].at("trigger").as_string(), "scheduled");
  auto schedule = Json(api.Get("/reports/sla/schedules/" + id));
  EXPECT_EQ(ParseRfc3339(schedule.at("next_run_at").as_string()).value(),
            LastEightUtc() + 86'400'000);
  EXPECT_EQ(schedule.at("last_run_status").as_string(), "completed");
  // /metrics: one firing, three days late; the SLA job completed; no job waits in the queue.
  std::string metrics = Api(server, "").Get("/metrics").body;
  EXPECT_EQ(MetricSum(metrics, "rapport_scheduler_lag_seconds_count", "kind=\"sla\""), 1)
      << metrics;
  EXPECT_GE(MetricSum(metrics, "rapport_scheduler_lag_seconds_sum", "kind=\"sla\""), 3 * 86'400);
  EXPECT_EQ(
      MetricSum(metrics, "rapport_job_outcomes_total", "kind=\"sla_report\",outcome=\"completed\""),
      1);
  EXPECT_EQ(MetricSum(metrics, "rapport_job_duration_seconds_count", "kind=\"sla_report\""), 1);
  EXPECT_EQ(MetricSum(metrics, "rapport_job_queue_oldest_seconds"), 0);
  // Nothing fires again on later ticks.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Json(api.Get(runs_path)).at("data").as_array().size(), 4u);

  // A manual run does not touch next_run_at but does update last_run_*.
  auto manual = api.Send("POST", "/reports/sla/schedules/" + id + "/run",
                         R"({"from_date":"2026-01-01","to_date":"2026-01-02"})");
  ASSERT_EQ(manual.status, 202) << manual.body;
  ASSERT_TRUE(WaitFor([&] {
    return Json(api.Get(runs_path)).at("data").at(0).at("status").as_string() == "completed";
  }));
  auto after = Json(api.Get("/reports/sla/schedules/" + id));
  EXPECT_EQ(after.at("next_run_at"), schedule.at("next_run_at"));
  EXPECT_NE(after.at("last_run_at"), schedule.at("last_run_at"));
}

TEST(SchedulerTest, TwoSchedulersRacingOnOneStoreFireEachPeriodExactlyOnce) {
  ServerProcess a(kFastScheduler);
  a.Start();
  const std::string& db = a.database_url();
  auto env = kFastScheduler;
  env["RAPPORT_DATABASE_URL"] = db;
  ServerProcess b(env);
  b.Start();
  Api api(a, Token("t1"));
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(CreateDailySchedule(api, "all"));
  // Both schedulers see 30 schedules with three due periods each at the same moment.
  int64_t due = LastEightUtc() - 2 * 86'400'000;
  Sql(db, "UPDATE sla_schedules SET next_run_at = " + std::to_string(due));
  ASSERT_TRUE(WaitFor([&] {
    return Sql(db, "SELECT COUNT(*) FROM sla_schedules WHERE next_run_at <= " +
                       std::to_string(NowMs())) == "0";
  }));
  ASSERT_TRUE(WaitFor([&] {
    return Sql(db, "SELECT COUNT(*) FROM jobs WHERE status NOT IN ('completed')") == "0";
  }));
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM schedule_runs"), "90");
  EXPECT_EQ(Sql(db,
                "SELECT COUNT(*) FROM (SELECT DISTINCT schedule_id, from_date, to_date "
                "FROM schedule_runs) AS periods"),
            "90");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM jobs"), "90");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM reports"), "90");
  // Both nodes stop cleanly with no job left processing.
  EXPECT_EQ(a.Stop(), 0);
  EXPECT_EQ(b.Stop(), 0);
}

TEST(SchedulerTest, JobKilledMidRunIsFinishedOnceAfterRestart) {
  auto env = kFastScheduler;
  env["RAPPORT_JOB_STEP_DELAY_MS"] = "1500";  // each progress step pauses: time to kill it
  env["RAPPORT_JOB_LEASE_SECONDS"] = "1";
  ServerProcess server(env);
  server.Start();
  Api api(server, Token("t1"));
  std::string id = CreateDailySchedule(api, "once", 3);
  std::string job_id = StartSlaRun(api, id);
  ASSERT_FALSE(job_id.empty());
  std::string job_path = "/v1/jobs/" + job_id;
  server.Kill();  // SIGKILL mid-run: the lease is left behind

  server.Start();
  Api again(server, Token("t1"));
  ASSERT_TRUE(WaitFor([&] {
    std::string s(Json(again.Get(job_path)).at("status").as_string());
    return s != "pending" && s != "processing";
  }));
  auto job = Json(again.Get(job_path));
  EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  EXPECT_EQ(job.at("attempts").as_int64(), 2);
  auto reports = Json(again.Get("/reports/sla/reports?schedule_id=" + id)).at("data").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].at("job_id"), job.at("id"));
  EXPECT_EQ(Json(again.Get("/reports/sla/schedules/" + id + "/runs")).at("data").at(0).at("status"),
            "completed");
}

}  // namespace
}  // namespace rapport::testing
