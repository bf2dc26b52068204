// Wall-clock steps under libfaketime: rapportd runs with LD_PRELOAD=libfaketimeMT, its wall clock
// offset by what the test writes to a timestamp file ("+2d", "-1h", ...) and read again on every
// call; CLOCK_MONOTONIC is left alone, as an NTP step or an operator's `date -s` would.
// Schedules must fire each due period once (never twice after the clock goes back), and a
// running job's lease must survive the steps (leases are on the lease clock, core/time.hpp).
#include "faketime.hpp"
#include "server_process.hpp"

#include <rapport/auth/jwt.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

class ClockStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // libfaketime's clock_gettime recurses into the sanitizer runtime's start-up and hangs it:
    // these run in `make test` only.
    if (kSanitized) GTEST_SKIP() << "libfaketime cannot be preloaded into a sanitized rapportd";
    library_ = FaketimeLibrary();
    ASSERT_FALSE(library_.empty()) << "libfaketime is missing: run scripts/setup.sh";
    offset_file_ = fs::temp_directory_path() /
                   ("rapport-faketime-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    StepTo("+0");
  }
  void TearDown() override { fs::remove(offset_file_); }

  std::map<std::string, std::string> FaketimeEnv(std::map<std::string, std::string> env) const {
    env["LD_PRELOAD"] = library_;
    env["FAKETIME_TIMESTAMP_FILE"] = offset_file_.string();
    env["FAKETIME_NO_CACHE"] = "1";
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
    env["NO_FAKE_STAT"] = "1";
    return env;
  }

  // Steps rapportd's wall clock to real time + `offset` (libfaketime syntax: "+2d", "-1h").
  void StepTo(const std::string& offset) const {
    fs::path tmp = offset_file_.string() + ".tmp";
    std::ofstream(tmp) << offset << "\n";
    fs::rename(tmp, offset_file_);
  }

  std::string library_;
  fs::path offset_file_;
};

// A token valid across every step the tests make (the default one expires in an hour).
std::string LongToken() {
  json::object claims{{"sub", "clock-test"},
                      {"tenant", "t1"},
                      {"scope", "*"},
                      {"exp", NowMs() / 1000 + 10 * 86'400}};
  return MintHs256Token(claims, kSecret);
}

std::string CreateSite(Api& api, int i) {
  auto site = api.Send("POST", "/sites",
                       R"({"name":"site )" + std::to_string(i) + R"(","timezone":"UTC"})");
  EXPECT_EQ(site.status, 201) << site.body;
  return std::string(Json(site).at("id").as_string());
}

// A daily schedule (08:00 UTC) that runs every missed period; `disabled`: runs only on demand.
std::string CreateSchedule(Api& api, const std::vector<std::string>& sites, bool disabled = false) {
  json::array ids(sites.begin(), sites.end());
  auto r = api.Send("POST", "/reports/sla/schedules",
                    R"({"name":"daily","timezone":"UTC","daily":true,"missed_runs":"all",)"
                    R"("disabled":)" +
                        std::string(disabled ? "true" : "false") + R"(,"sites":)" +
                        json::serialize(ids) + "}");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).at("id").as_string());
}

// The schedule's runs' periods (to_date), once each, and how many runs there are.
std::pair<std::set<std::string>, size_t> Periods(Api& api, const std::string& schedule) {
  auto runs = Json(api.Get("/reports/sla/schedules/" + schedule + "/runs")).at("data").as_array();
  std::set<std::string> periods;
  for (const auto& r : runs) periods.insert(std::string(r.at("to_date").as_string()));
  return {periods, runs.size()};
}

TEST_F(ClockStepTest, StepsForwardFireEachDuePeriodOnceAndStepsBackFireNothingAgain) {
  ServerProcess server(FaketimeEnv(
      {{"RAPPORT_SCHEDULER_INTERVAL_MS", "50"}, {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}));
  server.Start();
  Api api(server, LongToken());
  std::string id = CreateSchedule(api, {CreateSite(api, 0)});
  int64_t first = LastEightUtc() + 86'400'000;  // the next 08:00 UTC
  EXPECT_EQ(
      ParseRfc3339(Json(api.Get("/reports/sla/schedules/" + id)).at("next_run_at").as_string())
          .value(),
      first);
  auto day = [](int64_t ms) { return FormatRfc3339(ms).substr(0, 10); };
  auto settled = [&](size_t n) {
    return WaitFor([&] {
      return Periods(api, id).second >= n &&
             Sql(server.database_url(), "SELECT COUNT(*) FROM jobs WHERE status <> 'completed'") ==
                 "0";
    });
  };

  // Two days ahead: the periods ending the days before `first` and `first` + 1 day are due.
  StepTo("+2d");
  ASSERT_TRUE(settled(2));
  auto [periods, runs] = Periods(api, id);
  EXPECT_EQ(runs, 2u);
  EXPECT_EQ(periods, (std::set<std::string>{day(first - 86'400'000), day(first)}));

  // Back to the present (two days before the schedule's next run) and forward again to where it
  // was: nothing is due that has not run, so nothing runs.
  StepTo("+0");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(Periods(api, id).second, 2u);
  StepTo("+2d");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(Periods(api, id).second, 2u);

  // One more day: exactly the one new period.
  StepTo("+3d");
  ASSERT_TRUE(settled(3));
  std::tie(periods, runs) = Periods(api, id);
  EXPECT_EQ(runs, 3u);
  EXPECT_EQ(periods.size(), 3u);
  EXPECT_TRUE(periods.contains(day(first + 86'400'000)));
  const std::string& db = server.database_url();
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM jobs"), "3");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM reports"), "3");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM jobs WHERE attempts <> 1"), "0");
}

TEST_F(ClockStepTest, ARunningJobKeepsItsLeaseThroughStepsForwardAndBack) {
  // Two workers, a 3 s lease renewed every second, and a job that takes ~7 s: with leases on
  // the wall clock, the idle worker (polling every 250 ms) would find the lease expired after a
  // step forward and run the job a second time.
  ServerProcess server(FaketimeEnv({{"RAPPORT_WORKERS", "2"},
                                    {"RAPPORT_JOB_LEASE_SECONDS", "3"},
                                    {"RAPPORT_JOB_STEP_DELAY_MS", "1200"},
                                    {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}));
  server.Start();
  Api api(server, LongToken());
  std::vector<std::string> sites;
  for (int i = 0; i < 4; ++i) sites.push_back(CreateSite(api, i));
  std::string schedule = CreateSchedule(api, sites, /*disabled=*/true);
  std::string job_id = StartSlaRun(api, schedule);
  ASSERT_FALSE(job_id.empty());

  for (const char* offset : {"+1h", "+1d", "-1h", "+0"}) {
    StepTo(offset);
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  }
  auto job = WaitJob(api, job_id);
  ASSERT_TRUE(job.is_object());
  EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  EXPECT_EQ(job.at("attempts").as_int64(), 1) << "the lease was taken over by the other worker";
  auto reports =
      Json(api.Get("/reports/sla/reports?schedule_id=" + schedule)).at("data").as_array();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].at("job_id"), job.at("id"));
}

}  // namespace
}  // namespace rapport::testing
