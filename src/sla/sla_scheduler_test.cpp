#include <rapport/sla/sla_scheduler.hpp>

#include <rapport/core/json.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>
#include <set>

namespace rapport {
namespace {

UnixMs At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

SlaSchedule Schedule(SlaScheduleSpec spec, const char* next_run_at) {
  SlaSchedule s;
  s.id = "sla_000000000000000000000000001";
  s.tenant_id = "t1";
  s.name = spec.name;
  s.timezone = spec.timezone;
  s.settings = ToJson(SpecToJson(spec));
  s.next_run_at = At(next_run_at);
  return s;
}

SlaScheduleSpec Daily(const std::string& missed_runs) {
  SlaScheduleSpec spec;
  spec.name = "daily";
  spec.daily = true;
  spec.timezone = "UTC";
  spec.sites = {"site_a"};
  spec.missed_runs = missed_runs;
  return spec;
}

struct Summary {
  std::vector<std::string> ran;     // to_date of periods with a job
  std::vector<std::string> missed;  // to_date of periods recorded missed
  size_t events = 0;
};

Summary Summarize(const ScheduleFiring& f) {
  Summary s;
  for (const auto& [run, job] : f.runs) {
    EXPECT_EQ(run.trigger, "scheduled");
    if (job) {
      EXPECT_EQ(run.job_id, job->id);
      EXPECT_EQ(run.status, "pending");
      s.ran.push_back(run.to_date);
    } else if (run.status == "missed") {
      EXPECT_FALSE(run.error.empty());
      s.missed.push_back(run.to_date);
    }
  }
  s.events = f.events.size();
  return s;
}

// Down from before 2026-06-01 08:00 until 2026-06-05 09:00: five daily periods are due
// (to_dates May 31 .. June 4), the newest an hour late.
constexpr const char* kNext = "2026-06-01T08:00:00Z";
constexpr const char* kNow = "2026-06-05T09:00:00Z";

TEST(SlaScheduler, OnTimeRunFiresAndAdvances) {
  auto f = PlanSlaFiring(Schedule(Daily("skip"), kNext), At("2026-06-01T08:00:02Z"), {}, "");
  auto s = Summarize(f);
  EXPECT_EQ(s.ran, (std::vector<std::string>{"2026-05-31"}));
  EXPECT_TRUE(s.missed.empty());
  EXPECT_EQ(f.expected_next_run_at, At(kNext));
  EXPECT_EQ(f.new_next_run_at, At("2026-06-02T08:00:00Z"));
}

TEST(SlaScheduler, OnceCatchesUpWithTheLatestPeriodAndRecordsTheRest) {
  auto f = PlanSlaFiring(Schedule(Daily("once"), kNext), At(kNow), {}, "");
  auto s = Summarize(f);
  EXPECT_EQ(s.ran, (std::vector<std::string>{"2026-06-04"}));
  EXPECT_EQ(s.missed,
            (std::vector<std::string>{"2026-05-31", "2026-06-01", "2026-06-02", "2026-06-03"}));
  EXPECT_EQ(s.events, 4u);
  EXPECT_EQ(f.events[0].type, "schedule.run.missed");
  EXPECT_EQ(f.new_next_run_at, At("2026-06-06T08:00:00Z"));
}

TEST(SlaScheduler, SkipRecordsLatePeriodsAsMissed) {
  auto s = Summarize(PlanSlaFiring(Schedule(Daily("skip"), kNext), At(kNow), {}, ""));
  EXPECT_TRUE(s.ran.empty());
  EXPECT_EQ(s.missed.size(), 5u);
  EXPECT_EQ(s.events, 5u);
}

TEST(SlaScheduler, AllRunsEveryMissedPeriodUpToTheCap) {
  auto s = Summarize(PlanSlaFiring(Schedule(Daily("all"), kNext), At(kNow), {}, ""));
  EXPECT_EQ(s.ran.size(), 5u);
  EXPECT_TRUE(s.missed.empty());
  // 200 days down: the newest 100 run, 100 are recorded missed.
  auto capped = Summarize(PlanSlaFiring(Schedule(Daily("all"), "2026-01-01T08:00:00Z"),
                                        At("2026-07-19T09:00:00Z"), {}, ""));
  EXPECT_EQ(capped.ran.size(), 100u);
  EXPECT_EQ(capped.missed.size(), 100u);
  EXPECT_EQ(capped.ran.back(), "2026-07-18");
}

TEST(SlaScheduler, OnceIsPerCadence) {
  SlaScheduleSpec spec = Daily("once");
  spec.weekly = true;
  spec.day_of_week = 1;  // Mondays; 2026-06-01 is a Monday
  auto s = Summarize(PlanSlaFiring(Schedule(spec, kNext), At(kNow), {}, ""));
  // The newest daily period and the one weekly period (May 25 .. May 31) run.
  EXPECT_EQ(s.ran, (std::vector<std::string>{"2026-05-31", "2026-06-04"}));
  EXPECT_EQ(s.missed.size(), 4u);
}

// Daily, weekly and monthly periods that fall on one instant are all planned, however the due
// runs are read in chunks: 61 days down (2026-05-01 .. 2026-06-30) with missed_runs=all run 61
// daily, 9 weekly (Mondays) and 2 monthly (1st) periods, in time order, and then move on.
TEST(SlaScheduler, AllCadencesOfALongCatchUpArePlannedOnce) {
  SlaScheduleSpec spec = Daily("all");
  spec.weekly = true;
  spec.day_of_week = 1;
  spec.monthly = true;
  spec.day_of_month = 1;
  auto f = PlanSlaFiring(Schedule(spec, "2026-05-01T08:00:00Z"), At("2026-06-30T09:00:00Z"),
                         {.catch_up_cap = 1000}, "");
  std::map<int64_t, int> by_length;  // days in the period (a month: 30) -> periods
  std::set<std::pair<std::string, std::string>> periods;
  for (const auto& [run, job] : f.runs) {
    ASSERT_TRUE(job.has_value());
    periods.emplace(run.from_date, run.to_date);
    auto days =
        (At((run.to_date + "T00:00:00Z").c_str()) - At((run.from_date + "T00:00:00Z").c_str())) /
            86'400'000 +
        1;
    ++by_length[days >= 28 ? 30 : days];
  }
  EXPECT_EQ(periods.size(), f.runs.size());
  EXPECT_EQ(by_length, (std::map<int64_t, int>{{1, 61}, {7, 9}, {30, 2}}));
  EXPECT_EQ(f.new_next_run_at, At("2026-07-01T08:00:00Z"));
}

TEST(SlaScheduler, TheJobPayloadNamesTheRunAndItsPeriodAsJson) {
  DueSchedule schedule{.tenant_id = "t1", .id = "sla_\"odd\\id\n"};
  DuePeriod period{.run_at = 0, .from_date = "2026-05-31", .to_date = "2026-05-31"};
  auto job = SlaScheduleHook().Job(schedule, period, "run_1", 0);
  EXPECT_EQ(job.kind, "sla_report");
  auto payload = boost::json::parse(job.payload).as_object();
  EXPECT_EQ(payload.at("schedule_id").as_string(), schedule.id);
  EXPECT_EQ(payload.at("run_id").as_string(), "run_1");
  EXPECT_EQ(payload.at("trigger").as_string(), "scheduled");
  EXPECT_EQ(payload.at("from_date").as_string(), "2026-05-31");
  EXPECT_EQ(payload.at("to_date").as_string(), "2026-05-31");
  EXPECT_EQ(payload.size(), 5u);
}

TEST(SlaScheduler, AScheduleThatCannotStartRecordsFailedRunsWithoutJobs) {
  auto f = PlanSlaFiring(Schedule(Daily("once"), kNext), At("2026-06-01T08:00:02Z"), {},
                         "No site matches the schedule's site selection");
  ASSERT_EQ(f.runs.size(), 1u);
  EXPECT_FALSE(f.runs[0].second.has_value());
  EXPECT_EQ(f.runs[0].first.status, "failed");
  EXPECT_EQ(f.runs[0].first.error, "No site matches the schedule's site selection");
  EXPECT_EQ(f.new_next_run_at, At("2026-06-02T08:00:00Z"));  // no retry storm: it moves on
}

TEST(SlaScheduler, PreconditionsNameTheProblem) {
  SlaScheduleSpec spec = Daily("once");
  std::vector<Site> sites{Site{.id = "site_a"}};
  EXPECT_EQ(SlaRunPrecondition(spec, sites, false), "");
  EXPECT_NE(SlaRunPrecondition(spec, {}, false), "");
  spec.calculate_sla_within_schedule_hours = true;
  EXPECT_EQ(SlaRunPrecondition(spec, sites, false),
            "The schedule's business hours no longer exist");
}

}  // namespace
}  // namespace rapport
