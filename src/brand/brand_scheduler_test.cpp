#include <rapport/brand/brand_scheduler.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

UnixMs At(const char* t) { return ParseRfc3339(t).value(); }

ScheduledReport Monthly(const char* next) {
  ScheduledReport s;
  s.id = "srep_000000000000000000000000001";
  s.tenant_id = "t1";
  s.frequency = "monthly";
  s.next_run_at = At(next);
  return s;
}

TEST(BrandScheduler, CatchesUpOnceAndStaysOnTheMonthEndAnchor) {
  // Anchored on Jan 31: Jan 31, Feb 28 and Mar 31 are due on Apr 1; only Mar 31 runs.
  auto f = PlanBrandFiring(Monthly("2026-01-31T09:00:00Z"), At("2026-04-01T00:00:00Z"), 600'000, "",
                           {"rcfg_a"});
  ASSERT_EQ(f.runs.size(), 3u);
  EXPECT_EQ(f.runs[0].first.status, "missed");
  EXPECT_EQ(f.runs[0].first.from_date, "2026-01-31");
  EXPECT_EQ(f.runs[1].first.from_date, "2026-02-28");
  EXPECT_EQ(f.runs[2].first.from_date, "2026-03-31");
  EXPECT_TRUE(f.runs[2].second.has_value());
  EXPECT_NE(f.runs[2].second->payload.find("rcfg_a"), std::string::npos);
  EXPECT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.kind, "brand");
  EXPECT_EQ(f.expected_next_run_at, At("2026-01-31T09:00:00Z"));
  EXPECT_EQ(f.new_next_run_at, At("2026-04-30T09:00:00Z"));  // no drift to the 28th
}

TEST(BrandScheduler, OnTimeDailyRunAndFailureWithoutRetry) {
  ScheduledReport daily = Monthly("2026-06-01T09:00:00Z");
  daily.frequency = "daily";
  auto ok = PlanBrandFiring(daily, At("2026-06-01T09:00:01Z"), 600'000, "", {"rcfg_a"});
  ASSERT_EQ(ok.runs.size(), 1u);
  EXPECT_TRUE(ok.runs[0].second.has_value());
  EXPECT_EQ(ok.new_next_run_at, At("2026-06-02T09:00:00Z"));
  auto failed = PlanBrandFiring(daily, At("2026-06-01T09:00:01Z"), 600'000, "No facts", {});
  ASSERT_EQ(failed.runs.size(), 1u);
  EXPECT_FALSE(failed.runs[0].second.has_value());
  EXPECT_EQ(failed.runs[0].first.status, "failed");
  EXPECT_EQ(failed.runs[0].first.error, "No facts");
  EXPECT_EQ(failed.new_next_run_at, At("2026-06-02T09:00:00Z"));
}

TEST(BrandScheduler, MissedRunPolicies) {
  ScheduledReport all = Monthly("2026-01-31T09:00:00Z");
  all.missed_runs = "all";
  auto a = PlanBrandFiring(all, At("2026-04-01T00:00:00Z"), 600'000, "", {"rcfg_a"});
  ASSERT_EQ(a.runs.size(), 3u);
  for (const auto& [run, job] : a.runs) EXPECT_TRUE(job.has_value());
  ScheduledReport skip = all;
  skip.missed_runs = "skip";
  auto s = PlanBrandFiring(skip, At("2026-04-01T00:00:00Z"), 600'000, "", {"rcfg_a"});
  for (const auto& [run, job] : s.runs) EXPECT_EQ(run.status, "missed");
  EXPECT_EQ(s.events.size(), 3u);
  // Within the grace a skip schedule still runs.
  auto on_time = PlanBrandFiring(skip, At("2026-01-31T09:05:00Z"), 600'000, "", {"rcfg_a"});
  ASSERT_EQ(on_time.runs.size(), 1u);
  EXPECT_TRUE(on_time.runs[0].second.has_value());
}

}  // namespace
}  // namespace rapport
