// Error budgets and maintenance windows, hand-computed from the README's definitions (each
// expectation worked out on paper, not produced by the code under test).
#include <rapport/sla/maintenance.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

UnixMs At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

Interval Span(const char* start, const char* end) { return {At(start), At(end)}; }

FaultSpan Fault(const char* start, const char* end) {
  FaultSpan f;
  f.start = At(start);
  f.end = At(end);
  return f;
}

MaintenanceSpec Weekly(std::vector<int> days, int start_minute, int64_t minutes,
                       std::string timezone) {
  MaintenanceSpec spec;
  spec.weekly = true;
  spec.days = std::move(days);
  spec.start_minute = start_minute;
  spec.duration_minutes = minutes;
  spec.timezone = std::move(timezone);
  return spec;
}

TEST(ErrorBudget, ThirtyDaysAt999AllowFortyThreeMinutesTwelveSeconds) {
  // 30 days = 2,592,000 s; 0.1 % of it = 2,592 s.
  ErrorBudget b = ComputeErrorBudget(2'592'000, 648, 99.9);
  EXPECT_EQ(b.error_budget_seconds, 2592);
  EXPECT_EQ(b.budget_remaining_seconds, 1944);
  EXPECT_DOUBLE_EQ(*b.budget_remaining_percent, 75.0);
  EXPECT_DOUBLE_EQ(*b.burn_rate, 0.25);
  EXPECT_FALSE(b.exhausted);
}

TEST(ErrorBudget, SpentExactlyIsExhaustedAndOverspentGoesNegative) {
  ErrorBudget exact = ComputeErrorBudget(2'592'000, 2592, 99.9);
  EXPECT_EQ(exact.budget_remaining_seconds, 0);
  EXPECT_DOUBLE_EQ(*exact.budget_remaining_percent, 0.0);
  EXPECT_DOUBLE_EQ(*exact.burn_rate, 1.0);
  EXPECT_TRUE(exact.exhausted);
  // 3000 s down: 408 s over; 408 / 2592 = 15.7407 %; 3000 / 2592 = 1.15740.
  ErrorBudget over = ComputeErrorBudget(2'592'000, 3000, 99.9);
  EXPECT_EQ(over.budget_remaining_seconds, -408);
  EXPECT_DOUBLE_EQ(*over.budget_remaining_percent, -15.741);
  EXPECT_DOUBLE_EQ(*over.burn_rate, 1.157);
  EXPECT_TRUE(over.exhausted);
}

TEST(ErrorBudget, RoundsToTheNearestSecondAndHasNoRatiosWithoutBudget) {
  EXPECT_EQ(ComputeErrorBudget(21'600, 0, 99.9).error_budget_seconds, 22);  // 21.6 s
  EXPECT_EQ(ComputeErrorBudget(86'400, 0, 99.0).error_budget_seconds, 864);
  ErrorBudget none = ComputeErrorBudget(86'400, 0, 100.0);
  EXPECT_EQ(none.error_budget_seconds, 0);
  EXPECT_FALSE(none.budget_remaining_percent.has_value());
  EXPECT_FALSE(none.burn_rate.has_value());
  EXPECT_FALSE(none.exhausted);  // nothing allowed, nothing spent
  EXPECT_TRUE(ComputeErrorBudget(86'400, 1, 100.0).exhausted);
  EXPECT_FALSE(ComputeErrorBudget(0, 0, 99.9).exhausted);
}

TEST(ErrorBudget, GroupsPoolTheirSitesSeconds) {
  // Two sites: budgets 864 and 432, downtimes 0 and 864: pooled 1296 allowed, 864 spent.
  ErrorBudget g = BudgetOf(864 + 432, 0 + 864);
  EXPECT_EQ(g.budget_remaining_seconds, 432);
  EXPECT_DOUBLE_EQ(*g.budget_remaining_percent, 33.333);
  EXPECT_DOUBLE_EQ(*g.burn_rate, 0.667);
  EXPECT_FALSE(g.exhausted);
}

TEST(Maintenance, SubtractLeavesTheGaps) {
  EXPECT_EQ(SubtractIntervals({{0, 10}, {20, 30}}, {{5, 22}, {25, 26}}),
            (std::vector<Interval>{{0, 5}, {22, 25}, {26, 30}}));
  EXPECT_EQ(SubtractIntervals({{0, 10}}, {}), (std::vector<Interval>{{0, 10}}));
  EXPECT_TRUE(SubtractIntervals({{0, 10}}, {{-5, 15}}).empty());
}

TEST(Maintenance, OneOffIsClippedToTheReportWindow) {
  MaintenanceSpec spec;
  spec.starts_at = At("2026-05-31T22:00:00Z");
  spec.ends_at = At("2026-06-01T02:00:00Z");
  Interval june1 = Span("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z");
  EXPECT_EQ(MaintenanceWithin(june1, spec).value(),
            (std::vector<Interval>{Span("2026-06-01T00:00:00Z", "2026-06-01T02:00:00Z")}));
}

TEST(Maintenance, WeeklyStartFollowsLocalTimeAcrossSpringForward) {
  // Sundays 01:00 Europe/Berlin for 3 h; DST starts 2026-03-29 at 02:00 CET. On the 29th the
  // window starts before the change (00:00Z) and lasts 3 real hours; a week later 01:00 is CEST.
  MaintenanceSpec spec = Weekly({0}, 60, 180, "Europe/Berlin");
  Interval window = Span("2026-03-22T00:00:00Z", "2026-04-06T00:00:00Z");
  EXPECT_EQ(MaintenanceWithin(window, spec).value(),
            (std::vector<Interval>{Span("2026-03-22T00:00:00Z", "2026-03-22T03:00:00Z"),
                                   Span("2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z"),
                                   Span("2026-04-04T23:00:00Z", "2026-04-05T02:00:00Z")}));
}

TEST(Maintenance, WeeklyStartInTheGapBeginsAtTheTransitionAndInTheFoldAtItsFirstOccurrence) {
  // 02:30 does not exist on 2026-03-29 in Berlin: the window begins at 03:00 CEST = 01:00Z.
  MaintenanceSpec spring = Weekly({0}, 150, 60, "Europe/Berlin");
  EXPECT_EQ(MaintenanceWithin(Span("2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"), spring).value(),
            (std::vector<Interval>{Span("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")}));
  // 02:30 happens twice on 2026-10-25: the first, CEST, 00:30Z; a week later CET, 01:30Z.
  MaintenanceSpec autumn = Weekly({0}, 150, 60, "Europe/Berlin");
  EXPECT_EQ(MaintenanceWithin(Span("2026-10-25T00:00:00Z", "2026-11-02T00:00:00Z"), autumn).value(),
            (std::vector<Interval>{Span("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"),
                                   Span("2026-11-01T01:30:00Z", "2026-11-01T02:30:00Z")}));
}

TEST(Maintenance, WeeklyWindowStartedBeforeTheReportCountsFromItsStart) {
  // Saturdays 22:00 UTC for 6 h: the one of 2026-05-30 runs into 2026-05-31 04:00.
  MaintenanceSpec spec = Weekly({6}, 22 * 60, 360, "UTC");
  EXPECT_EQ(MaintenanceWithin(Span("2026-05-31T00:00:00Z", "2026-06-01T00:00:00Z"), spec).value(),
            (std::vector<Interval>{Span("2026-05-31T00:00:00Z", "2026-05-31T04:00:00Z")}));
}

TEST(Maintenance, CoversListedSitesOrSitesWithAllTags) {
  MaintenanceSpec by_id;
  by_id.site_ids = {"site_a"};
  EXPECT_TRUE(MaintenanceCovers(by_id, "site_a", {}));
  EXPECT_FALSE(MaintenanceCovers(by_id, "site_b", {{"region", "eu"}}));
  MaintenanceSpec by_tags;
  by_tags.tags = {{"region", "eu"}, {"tier", "gold"}};
  EXPECT_TRUE(MaintenanceCovers(by_tags, "x", {{"region", "eu"}, {"tier", "gold"}, {"k", "v"}}));
  EXPECT_FALSE(MaintenanceCovers(by_tags, "x", {{"region", "eu"}}));
  EXPECT_FALSE(MaintenanceCovers(MaintenanceSpec{}, "x", {{"region", "eu"}}));
}

TEST(Maintenance, FaultsInsideTheWindowCostNothingWithinBusinessHours) {
  // Monday 2026-06-01, open 09:00-17:00 UTC, maintenance 12:00-14:00: monitored 09-12 and 14-17
  // (6 h = 21,600 s). Faults 11:00-13:00 and 16:30-18:00 cost 1 h + 30 min = 5,400 s; a fault
  // 12:15-13:45 lies wholly in the window and is not counted at all.
  Interval day = Span("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z");
  auto open = BusinessHoursWithin(day, {{1, 9 * 60, 17 * 60}}, "UTC").value();
  MaintenanceSpec spec;
  spec.starts_at = At("2026-06-01T12:00:00Z");
  spec.ends_at = At("2026-06-01T14:00:00Z");
  auto monitored = SubtractIntervals(open, MaintenanceWithin(day, spec).value());
  std::vector<FaultSpan> faults{Fault("2026-06-01T11:00:00Z", "2026-06-01T13:00:00Z"),
                                Fault("2026-06-01T16:30:00Z", "2026-06-01T18:00:00Z"),
                                Fault("2026-06-01T12:15:00Z", "2026-06-01T13:45:00Z")};
  SiteUptime u = ComputeSiteUptime(faults, monitored, day.end, day.end, {});
  EXPECT_EQ(u.monitored_seconds, 21'600);
  EXPECT_EQ(u.downtime_seconds, 5'400);
  EXPECT_EQ(u.fault_count, 2);
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 75.0);
  ErrorBudget b = ComputeErrorBudget(u.monitored_seconds, u.downtime_seconds, 99.9);
  EXPECT_EQ(b.error_budget_seconds, 22);
  EXPECT_EQ(b.budget_remaining_seconds, -5'378);
  EXPECT_TRUE(b.exhausted);
}

}  // namespace
}  // namespace rapport
