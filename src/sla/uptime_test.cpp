// Hand-computed uptime cases: each expectation below was worked out on paper from the README's
// definition, not produced by the code under test.
#include <rapport/sla/uptime.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

UnixMs At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

constexpr UnixMs kHour = 3'600'000;

FaultSpan Fault(const char* start, const char* end, std::string type = "site",
                std::string cause = "") {
  FaultSpan f;
  f.start = At(start);
  if (end != nullptr) f.end = At(end);
  f.type = std::move(type);
  f.cause = std::move(cause);
  return f;
}

// One UTC day, 2026-06-01.
const Interval kDay{At("2026-06-01T00:00:00Z"), At("2026-06-02T00:00:00Z")};
const UnixMs kLater = At("2027-01-01T00:00:00Z");

SiteUptime Compute(const std::vector<FaultSpan>& faults, UptimeRules rules = {}) {
  return ComputeSiteUptime(faults, {kDay}, kDay.end, kLater, rules);
}

TEST(Intervals, MergeJoinsOverlappingAndTouchingAndDropsEmpty) {
  EXPECT_EQ(MergeIntervals({{10, 20}, {0, 5}, {5, 8}, {15, 30}, {40, 40}, {50, 45}}),
            (std::vector<Interval>{{0, 8}, {10, 30}}));
}

TEST(Intervals, IntersectKeepsOnlyCommonParts) {
  EXPECT_EQ(IntersectIntervals({{0, 10}, {20, 30}}, {{5, 25}}),
            (std::vector<Interval>{{5, 10}, {20, 25}}));
  EXPECT_TRUE(IntersectIntervals({{0, 10}}, {{10, 20}}).empty());
}

TEST(Uptime, NoFaultsIsFullUptime) {
  auto u = Compute({});
  EXPECT_EQ(u.monitored_seconds, 86'400);
  EXPECT_EQ(u.downtime_seconds, 0);
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 100.0);
  EXPECT_EQ(u.fault_count, 0);
  EXPECT_FALSE(u.breached);
}

TEST(Uptime, OverlappingFaultsCountOnce) {
  // 01:00-03:00 and 02:00-04:00 overlap: 3 h down, one outage.
  auto u = Compute({Fault("2026-06-01T01:00:00Z", "2026-06-01T03:00:00Z"),
                    Fault("2026-06-01T02:00:00Z", "2026-06-01T04:00:00Z")});
  EXPECT_EQ(u.downtime_seconds, 3 * 3600);
  EXPECT_EQ(u.fault_count, 2);
  EXPECT_EQ(u.longest_outage_seconds, 3 * 3600);
  EXPECT_EQ(u.mttr_seconds, 3 * 3600);
  // (86400 - 10800) / 86400 = 87.5 %
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 87.5);
  EXPECT_TRUE(u.breached);
}

TEST(Uptime, TouchingFaultsFormOneOutage) {
  auto u = Compute({Fault("2026-06-01T01:00:00Z", "2026-06-01T02:00:00Z"),
                    Fault("2026-06-01T02:00:00Z", "2026-06-01T02:30:00Z")});
  EXPECT_EQ(u.downtime_seconds, 5400);
  EXPECT_EQ(u.longest_outage_seconds, 5400);
  EXPECT_EQ(u.mttr_seconds, 5400);
}

TEST(Uptime, SeparateOutagesGiveMeanTimeToRepair) {
  // 10 min + 30 min: mttr 20 min, longest 30 min.
  auto u = Compute({Fault("2026-06-01T01:00:00Z", "2026-06-01T01:10:00Z"),
                    Fault("2026-06-01T05:00:00Z", "2026-06-01T05:30:00Z")});
  EXPECT_EQ(u.downtime_seconds, 2400);
  EXPECT_EQ(u.mttr_seconds, 1200);
  EXPECT_EQ(u.longest_outage_seconds, 1800);
  // (86400 - 2400) / 86400 = 97.2222… → 97.222
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 97.222);
}

TEST(Uptime, FaultsSpanningTheWindowEdgesAreClipped) {
  // Starts the day before (only 02:00 inside), ends the day after (only 1 h inside).
  auto u = Compute({Fault("2026-05-31T20:00:00Z", "2026-06-01T02:00:00Z"),
                    Fault("2026-06-01T23:00:00Z", "2026-06-02T06:00:00Z"),
                    Fault("2026-05-30T00:00:00Z", "2026-05-31T00:00:00Z")});  // outside entirely
  EXPECT_EQ(u.downtime_seconds, 3 * 3600);
  EXPECT_EQ(u.fault_count, 2);
  EXPECT_EQ(u.longest_outage_seconds, 2 * 3600);
}

TEST(Uptime, OpenFaultLastsUntilWindowEndOrNow) {
  std::vector<FaultSpan> open{Fault("2026-06-01T18:00:00Z", nullptr)};
  // Report run long after the window: down 18:00 → 24:00.
  EXPECT_EQ(Compute(open).downtime_seconds, 6 * 3600);
  // Report run at 20:00 the same day: down until now only.
  auto u = ComputeSiteUptime(open, {kDay}, kDay.end, At("2026-06-01T20:00:00Z"), {});
  EXPECT_EQ(u.downtime_seconds, 2 * 3600);
}

TEST(Uptime, PowerOutagesDroppedOnlyWhenAsked) {
  std::vector<FaultSpan> faults{
      Fault("2026-06-01T01:00:00Z", "2026-06-01T02:00:00Z", "site", "Power Outage"),
      Fault("2026-06-01T03:00:00Z", "2026-06-01T04:00:00Z", "site", "Fiber cut")};
  EXPECT_EQ(Compute(faults).downtime_seconds, 2 * 3600);
  auto u = Compute(faults, UptimeRules{.ignore_power_outages = true});
  EXPECT_EQ(u.downtime_seconds, 3600);
  EXPECT_EQ(u.fault_count, 1);
}

TEST(Uptime, WanTunnelFaultsNeverCount) {
  auto u = Compute({Fault("2026-06-01T01:00:00Z", "2026-06-01T09:00:00Z", "wantunnel")});
  EXPECT_EQ(u.downtime_seconds, 0);
  EXPECT_EQ(u.fault_count, 0);
}

TEST(Uptime, EmptyMonitoredTimeIsFullUptime) {
  auto u = ComputeSiteUptime({Fault("2026-06-01T01:00:00Z", "2026-06-01T09:00:00Z")}, {}, kDay.end,
                             kLater, {});
  EXPECT_EQ(u.monitored_seconds, 0);
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 100.0);
  EXPECT_FALSE(u.breached);
}

TEST(Uptime, BreachIsStrictlyBelowTarget) {
  // 86.4 s down of 86400 s = 99.9 % exactly: not breached at target 99.9.
  FaultSpan f = Fault("2026-06-01T01:00:00Z", nullptr);
  f.end = f.start + 86'400;
  auto u = Compute({f}, UptimeRules{.sla_target = 99.9});
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 99.9);
  EXPECT_FALSE(u.breached);
  f.end = f.start + 87'000;
  EXPECT_TRUE(Compute({f}, UptimeRules{.sla_target = 99.9}).breached);
}

TEST(Uptime, RoundsToThreeDecimals) {
  EXPECT_DOUBLE_EQ(RoundPercent(99.99949), 99.999);
  EXPECT_DOUBLE_EQ(RoundPercent(99.9995), 100.0);
  EXPECT_DOUBLE_EQ(RoundPercent(12.3456), 12.346);
}

TEST(ReportWindow, DstDaysAreTwentyThreeAndTwentyFiveHours) {
  // New York springs forward on 2026-03-08 and falls back on 2026-11-01.
  auto spring = ReportWindow("2026-03-08", "2026-03-08", "America/New_York").value();
  EXPECT_EQ(spring.start, At("2026-03-08T05:00:00Z"));
  EXPECT_EQ(spring.end - spring.start, 23 * kHour);
  auto autumn = ReportWindow("2026-11-01", "2026-11-01", "America/New_York").value();
  EXPECT_EQ(autumn.end - autumn.start, 25 * kHour);
  // Lord Howe moves by 30 minutes.
  auto lh = ReportWindow("2026-04-05", "2026-04-05", "Australia/Lord_Howe").value();
  EXPECT_EQ(lh.end - lh.start, 24 * kHour + kHour / 2);
}

TEST(ReportWindow, UptimeOnTheShortDayUsesTwentyThreeHours) {
  auto window = ReportWindow("2026-03-08", "2026-03-08", "America/New_York").value();
  // 2.3 h down of 23 h = 90 %.
  FaultSpan f;
  f.start = window.start + kHour;
  f.end = f.start + 23 * kHour / 10;
  auto u = ComputeSiteUptime({f}, {window}, window.end, kLater, {});
  EXPECT_EQ(u.monitored_seconds, 23 * 3600);
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 90.0);
}

TEST(ReportWindow, InclusiveDatesAndBadInput) {
  auto w = ReportWindow("2026-02-01", "2026-02-28", "UTC").value();
  EXPECT_EQ(w.end - w.start, 28 * 24 * kHour);
  EXPECT_FALSE(ReportWindow("2026-02-30", "2026-03-01", "UTC").ok());
  EXPECT_FALSE(ReportWindow("2026-2-01", "2026-03-01", "UTC").ok());
  EXPECT_FALSE(ReportWindow("2026-02-01", "2026-03-01", "Mars/Olympus").ok());
  EXPECT_FALSE(ParseDate("2026-13-01").has_value());
  EXPECT_EQ(ParseDate("1970-01-02").value(), 1);
}

TEST(BusinessHours, WeekdayHoursInLocalTime) {
  // Mon 2026-06-01 .. Sun 2026-06-07 in Berlin (UTC+2): Mon-Fri 09:00-17:00 → 5 × 8 h.
  std::vector<OpeningHours> hours;
  for (int d = 1; d <= 5; ++d) hours.push_back({d, 9 * 60, 17 * 60});
  auto window = ReportWindow("2026-06-01", "2026-06-07", "Europe/Berlin").value();
  auto open = BusinessHoursWithin(window, hours, "Europe/Berlin").value();
  ASSERT_EQ(open.size(), 5u);
  EXPECT_EQ(open[0].start, At("2026-06-01T07:00:00Z"));
  EXPECT_EQ(open[0].end, At("2026-06-01T15:00:00Z"));
  // A fault from Friday 16:00 to Monday 10:00 local: Monday is outside the window, so only
  // Friday's last hour counts.
  FaultSpan f;
  f.start = At("2026-06-05T14:00:00Z");
  f.end = At("2026-06-08T08:00:00Z");
  auto u = ComputeSiteUptime({f}, open, window.end, kLater, {});
  EXPECT_EQ(u.monitored_seconds, 40 * 3600);
  EXPECT_EQ(u.downtime_seconds, 3600);
  // 39/40 = 97.5 %
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 97.5);
}

TEST(BusinessHours, NightShiftAcrossMidnight) {
  // Saturday 22:00 → Sunday 06:00 UTC. Window is Sunday 2026-06-07 only: the part after
  // midnight (00:00-06:00) is inside, plus Sunday's own shift if listed (it is not).
  std::vector<OpeningHours> hours{{6, 22 * 60, 6 * 60}};
  auto window = ReportWindow("2026-06-07", "2026-06-07", "UTC").value();
  auto open = BusinessHoursWithin(window, hours, "UTC").value();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].start, At("2026-06-07T00:00:00Z"));
  EXPECT_EQ(open[0].end, At("2026-06-07T06:00:00Z"));
  // Window Saturday + Sunday: 22:00 Sat → 06:00 Sun is one 8 h stretch.
  auto two = ReportWindow("2026-06-06", "2026-06-07", "UTC").value();
  auto open2 = BusinessHoursWithin(two, hours, "UTC").value();
  ASSERT_EQ(open2.size(), 1u);
  EXPECT_EQ(open2[0].end - open2[0].start, 8 * kHour);
  // A fault 05:00-07:00 Sunday counts 1 h of 8.
  FaultSpan f;
  f.start = At("2026-06-07T05:00:00Z");
  f.end = At("2026-06-07T07:00:00Z");
  auto u = ComputeSiteUptime({f}, open2, two.end, kLater, {});
  EXPECT_EQ(u.downtime_seconds, 3600);
  EXPECT_DOUBLE_EQ(u.uptime_percentage, 87.5);
}

TEST(BusinessHours, OutageSplitByClosedHoursIsStillOneOutage) {
  std::vector<OpeningHours> hours;
  for (int d = 0; d <= 6; ++d) hours.push_back({d, 8 * 60, 18 * 60});
  auto window = ReportWindow("2026-06-01", "2026-06-02", "UTC").value();
  auto open = BusinessHoursWithin(window, hours, "UTC").value();
  FaultSpan f;  // 17:00 day 1 → 09:00 day 2: 1 h + 1 h monitored.
  f.start = At("2026-06-01T17:00:00Z");
  f.end = At("2026-06-02T09:00:00Z");
  auto u = ComputeSiteUptime({f}, open, window.end, kLater, {});
  EXPECT_EQ(u.downtime_seconds, 7200);
  EXPECT_EQ(u.fault_count, 1);
  EXPECT_EQ(u.longest_outage_seconds, 7200);
  EXPECT_EQ(u.mttr_seconds, 7200);
}

}  // namespace
}  // namespace rapport
