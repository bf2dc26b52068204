// The scheduler and the job engine against real rapportd processes: scheduled runs, catch-up
// after downtime, two schedulers racing on one store, a job whose process is SIGKILLed mid-run,
// and three nodes on one PostgreSQL losing one of them to SIGKILL. Downtime is simulated by
// moving a schedule's next_run_at into the past in the database, as if rapportd had been
// stopped since.
#include "pg_cluster_test_util.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The latest 08:00 UTC at or before now.
int64_t LastEightUtc() {
  int64_t day = 86'400'000, now = NowMs();
  int64_t eight = now / day * day + 8 * 3'600'000;
  return eight > now ? eight - day : eight;
}

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

// Waits until `done()` or `seconds`.
template <class F>
bool WaitFor(F done, int seconds = 20) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
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
  auto run = api.Send("POST", "/reports/sla/schedules/" + id + "/run",
                      R"({"from_date":"2026-01-01","to_date":"2026-01-31"})");
  ASSERT_EQ(run.status, 202) << run.body;
  std::string job_path = "/v1/jobs/" + std::string(Json(run).at("job_id").as_string());
  ASSERT_TRUE(
      WaitFor([&] { return Json(api.Get(job_path)).at("status").as_string() == "processing"; }));
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

// Accepts `key`'s run request on some node: sends it to node `first` and, while that node is
// down or busy, to the next one, with the same Idempotency-Key. Returns the job id.
std::string RunOnAnyNode(std::vector<std::unique_ptr<client::HttpClient>>& nodes, size_t first,
                         const std::string& path, const std::string& key) {
  const std::string body = R"({"from_date":"2026-01-01","to_date":"2026-01-02"})";
  for (size_t attempt = 0; attempt < 600; ++attempt) {
    auto r = nodes[(first + attempt) % nodes.size()]->Send(
        "POST", path, body, {"Authorization: Bearer " + Token("t1"), "Idempotency-Key: " + key});
    if (r.ok() && r->status == 202) return std::string(Json(*r).at("job_id").as_string());
    if (r.ok() && r->status != 503) {
      ADD_FAILURE() << r->status << " " << r->body;
      return "";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // down, or restarting
  }
  ADD_FAILURE() << "no node accepted " << key;
  return "";
}

// Issue 8's proof: three rapportd nodes on one PostgreSQL, 2,000 requested runs and 500
// schedules due at the same moment, one node SIGKILLed mid-way and restarted. Every accepted
// request has exactly one job, every job ends completed exactly once with exactly one report
// and PDF, every due period fires exactly once. Always on PostgreSQL, so it runs once (not again
// in the `pg.` variant).
TEST(ClusterTest, ThreeNodesLoseOneToSigkillAndStillRunEveryJobAndPeriodExactlyOnce) {
  if (UsingPostgres()) GTEST_SKIP() << "runs in the default variant; it always uses PostgreSQL";
  std::string db = pgtest::FreshPgDatabase();
  ASSERT_FALSE(db.empty()) << "no PostgreSQL test cluster";
  auto env = kFastScheduler;
  env["RAPPORT_DATABASE_URL"] = db;
  env["RAPPORT_WORKERS"] = "2";
  env["RAPPORT_JOB_LEASE_SECONDS"] = "2";  // the killed node's jobs are reclaimed quickly
  env["RAPPORT_JOB_STEP_DELAY_MS"] = "2";  // so that jobs are in flight when it dies
  env["RAPPORT_JOB_QUEUE_PER_TENANT"] = "100000";
  env["RAPPORT_JOB_QUEUE_TOTAL"] = "100000";
  std::vector<std::unique_ptr<ServerProcess>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(std::make_unique<ServerProcess>(env));
  nodes[0]->Start();
  Api api(*nodes[0], Token("t1"));
  auto site = api.Send("POST", "/sites", R"({"name":"HQ","timezone":"UTC"})");
  std::string site_id(Json(site).at("id").as_string());
  std::vector<std::string> schedules;
  for (int i = 0; i < 500; ++i) {
    auto r = api.Send("POST", "/reports/sla/schedules",
                      R"({"name":"daily )" + std::to_string(i) +
                          R"(","timezone":"UTC","daily":true,"missed_runs":"all","sites":[")" +
                          site_id + R"("]})");
    ASSERT_EQ(r.status, 201) << r.body;
    schedules.emplace_back(Json(r).at("id").as_string());
  }
  // The last 08:00 is due for all 500 at once, on whichever node ticks first.
  Sql(db, "UPDATE sla_schedules SET next_run_at = " + std::to_string(LastEightUtc()));
  nodes[1]->Start();
  nodes[2]->Start();

  std::vector<std::unique_ptr<client::HttpClient>> clients;
  for (auto& n : nodes) clients.push_back(std::make_unique<client::HttpClient>(n->url(), 5000));
  std::set<std::string> accepted;
  std::atomic<int> sent{0};
  std::thread load([&] {
    for (int i = 0; i < 2000; ++i, ++sent) {
      std::string path = "/reports/sla/schedules/" + schedules[i % 500] + "/run";
      std::string job = RunOnAnyNode(clients, i % 3, path, "run-" + std::to_string(i));
      if (!job.empty()) accepted.insert(job);
    }
  });
  auto completed = [&] {
    return std::stoll("0" + Sql(db, "SELECT COUNT(*) FROM jobs WHERE status = 'completed'"));
  };
  ASSERT_TRUE(WaitFor([&] { return completed() >= 800; }, 60));
  int64_t done_at_kill = completed();
  int sent_at_kill = sent.load();
  nodes[1]->Kill();  // SIGKILL: its leases, its in-flight requests and jobs are abandoned
  std::this_thread::sleep_for(std::chrono::seconds(1));
  nodes[1]->Start();
  load.join();
  ASSERT_TRUE(WaitFor(
      [&] {
        return Sql(db, "SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'processing')") ==
                   "0" &&
               completed() == 2500;
      },
      90))
      << Sql(db, "SELECT COUNT(*) FROM jobs") << " jobs, " << completed() << " completed";
  EXPECT_LT(done_at_kill, 2500) << "the node died after the work was done";
  EXPECT_LT(sent_at_kill, 2000) << "the node died after the requests were sent";

  // Every accepted request: one job (a request retried on another node is replayed, not run
  // twice); every job: completed once, with one report and its PDF.
  EXPECT_EQ(accepted.size(), 2000u);
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM schedule_runs WHERE trigger_kind = 'on_demand'"), "2000");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM jobs"), "2500");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM jobs WHERE status <> 'completed'"), "0");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM reports"), "2500");
  EXPECT_EQ(Sql(db, "SELECT COUNT(DISTINCT job_id) FROM reports"), "2500");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM artifacts WHERE name = 'report.pdf'"), "2500");
  // Every due period fired exactly once.
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM schedule_runs WHERE trigger_kind = 'scheduled'"), "500");
  EXPECT_EQ(Sql(db,
                "SELECT COUNT(*) FROM (SELECT DISTINCT schedule_id FROM schedule_runs "
                "WHERE trigger_kind = 'scheduled') AS fired"),
            "500");
  EXPECT_EQ(
      Sql(db, "SELECT COUNT(*) FROM sla_schedules WHERE next_run_at <= " + std::to_string(NowMs())),
      "0");
  // The jobs the dead node held ran again elsewhere (at-least-once), and still completed once.
  RecordProperty("jobs_reclaimed", Sql(db, "SELECT COUNT(*) FROM jobs WHERE attempts > 1"));
  RecordProperty("completed_at_kill", std::to_string(done_at_kill));
  for (auto& n : nodes) EXPECT_EQ(n->Stop(), 0);
}

}  // namespace
}  // namespace rapport::testing
