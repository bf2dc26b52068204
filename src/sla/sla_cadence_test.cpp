#include <rapport/sla/sla_cadence.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

UnixMs At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

std::vector<std::string> Instants(const std::vector<PlannedRun>& runs) {
  std::vector<std::string> out;
  for (const auto& r : runs) out.push_back(FormatRfc3339(r.run_at) + " " + r.local);
  return out;
}

SlaCadence Daily(const char* tz, int hour, int minute) {
  return SlaCadence{.daily = true, .timezone = tz, .hour = hour, .minute = minute};
}

TEST(SlaCadence, NewYorkSpringGapRunsAtTheTransitionInstant) {
  auto runs = PreviewSla(Daily("America/New_York", 2, 30), At("2026-03-07T00:00:00Z"), 3).value();
  EXPECT_EQ(Instants(runs),
            (std::vector<std::string>{"2026-03-07T07:30:00.000Z 2026-03-07T02:30:00-05:00",
                                      "2026-03-08T07:00:00.000Z 2026-03-08T03:00:00-04:00",
                                      "2026-03-09T06:30:00.000Z 2026-03-09T02:30:00-04:00"}));
}

TEST(SlaCadence, NewYorkAutumnFoldRunsOnceAtTheFirstOccurrence) {
  auto runs = PreviewSla(Daily("America/New_York", 1, 30), At("2026-10-31T12:00:00Z"), 3).value();
  EXPECT_EQ(Instants(runs),
            (std::vector<std::string>{"2026-11-01T05:30:00.000Z 2026-11-01T01:30:00-04:00",
                                      "2026-11-02T06:30:00.000Z 2026-11-02T01:30:00-05:00",
                                      "2026-11-03T06:30:00.000Z 2026-11-03T01:30:00-05:00"}));
}

TEST(SlaCadence, SydneyEightAmFollowsTheOffsetChange) {
  auto runs = PreviewSla(Daily("Australia/Sydney", 8, 0), At("2026-10-02T12:00:00Z"), 2).value();
  EXPECT_EQ(Instants(runs),
            (std::vector<std::string>{"2026-10-02T22:00:00.000Z 2026-10-03T08:00:00+10:00",
                                      "2026-10-03T21:00:00.000Z 2026-10-04T08:00:00+11:00"}));
}

TEST(SlaCadence, LordHoweHalfHourGapAndFold) {
  auto gap = PreviewSla(Daily("Australia/Lord_Howe", 2, 15), At("2026-10-03T12:00:00Z"), 1).value();
  EXPECT_EQ(Instants(gap),
            (std::vector<std::string>{"2026-10-03T15:30:00.000Z 2026-10-04T02:30:00+11:00"}));
  auto fold =
      PreviewSla(Daily("Australia/Lord_Howe", 1, 45), At("2026-04-04T12:00:00Z"), 2).value();
  EXPECT_EQ(Instants(fold),
            (std::vector<std::string>{"2026-04-04T14:45:00.000Z 2026-04-05T01:45:00+11:00",
                                      "2026-04-05T15:15:00.000Z 2026-04-06T01:45:00+10:30"}));
}

TEST(SlaCadence, DailyCoversThePreviousLocalDay) {
  auto runs = PreviewSla(Daily("Asia/Tokyo", 8, 0), At("2026-11-24T00:00:00Z"), 1).value();
  EXPECT_EQ(runs[0].local, "2026-11-25T08:00:00+09:00");
  EXPECT_EQ(runs[0].from_date, "2026-11-24");
  EXPECT_EQ(runs[0].to_date, "2026-11-24");
}

TEST(SlaCadence, WeeklyCoversTheSevenDaysBeforeAndFlagsAreIndependent) {
  SlaCadence c{.daily = true, .weekly = true, .day_of_week = 1, .timezone = "UTC"};
  auto runs = PreviewSla(c, At("2026-11-29T12:00:00Z"), 3).value();  // Sunday noon
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].cadence, "daily");  // Monday 2026-11-30 08:00
  EXPECT_EQ(runs[1].cadence, "weekly");
  EXPECT_EQ(runs[1].run_at, runs[0].run_at);
  EXPECT_EQ(runs[1].from_date, "2026-11-23");
  EXPECT_EQ(runs[1].to_date, "2026-11-29");
  EXPECT_EQ(runs[2].cadence, "daily");
}

TEST(SlaCadence, MonthlyCoversThePreviousCalendarMonthIncludingLeapFebruary) {
  SlaCadence c{.monthly = true, .day_of_month = 1, .timezone = "Europe/Berlin"};
  auto runs = PreviewSla(c, At("2028-02-15T00:00:00Z"), 2).value();
  EXPECT_EQ(runs[0].local, "2028-03-01T08:00:00+01:00");
  EXPECT_EQ(runs[0].from_date, "2028-02-01");
  EXPECT_EQ(runs[0].to_date, "2028-02-29");
  EXPECT_EQ(runs[1].local, "2028-04-01T08:00:00+02:00");
  EXPECT_EQ(runs[1].to_date, "2028-03-31");
}

TEST(SlaCadence, RejectsBadInput) {
  EXPECT_FALSE(PreviewSla(Daily("Mars/Base", 8, 0), 0, 1).ok());
  EXPECT_FALSE(PreviewSla(SlaCadence{.timezone = "UTC"}, 0, 1).ok());
  EXPECT_FALSE(PreviewSla(SlaCadence{.monthly = true, .day_of_month = 31}, 0, 1).ok());
}

}  // namespace
}  // namespace rapport
