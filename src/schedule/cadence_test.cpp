#include <rapport/schedule/cadence.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

UnixMs At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

TEST(Cadence, NewYorkGapResolvesToTheTransitionInstantAndFoldToTheFirstOccurrence) {
  int64_t march8 = FloorDays(At("2026-03-08T12:00:00Z"));
  EXPECT_EQ(ResolveLocalTime("America/New_York", march8, 2, 30).value(),
            At("2026-03-08T07:00:00Z"));
  int64_t november1 = FloorDays(At("2026-11-01T12:00:00Z"));
  EXPECT_EQ(ResolveLocalTime("America/New_York", november1, 1, 30).value(),
            At("2026-11-01T05:30:00Z"));
  EXPECT_FALSE(ResolveLocalTime("Mars/Base", march8, 8, 0).ok());
}

TEST(Cadence, LondonGap) {
  EXPECT_EQ(ResolveLocalTime("Europe/London", 20541, 1, 30).value(),  // 2026-03-29
            At("2026-03-29T01:00:00Z"));
  EXPECT_EQ(ResolveLocalTime("Europe/London", 20540, 1, 30).value(), At("2026-03-28T01:30:00Z"));
}

TEST(Cadence, LocalTimeCarriesTheZonesOffsetAtThatInstant) {
  EXPECT_EQ(LocalRfc3339("Australia/Lord_Howe", At("2026-04-05T15:15:00Z")).value(),
            "2026-04-06T01:45:00+10:30");
  EXPECT_EQ(LocalRfc3339("America/New_York", At("2026-03-08T07:00:00Z")).value(),
            "2026-03-08T03:00:00-04:00");
  EXPECT_EQ(LocalRfc3339("UTC", 0).value(), "1970-01-01T00:00:00+00:00");
  EXPECT_FALSE(LocalRfc3339("Mars/Base", 0).ok());
}

TEST(Cadence, DaysFloorBeforeTheEpoch) {
  EXPECT_EQ(FloorDays(0), 0);
  EXPECT_EQ(FloorDays(-1), -1);
  EXPECT_EQ(FloorDays(At("2026-03-29T23:59:59Z")), 20541);
  EXPECT_EQ(DateOfDays(20541), "2026-03-29");
  EXPECT_EQ(DateOfDays(-1), "1969-12-31");
}

TEST(Cadence, FrequencyMonthsClampToMonthEndWithoutDrift) {
  UnixMs jan31 = At("2026-01-31T09:00:00Z");
  EXPECT_EQ(FrequencyRunAt(Frequency::kMonthly, jan31, 1), At("2026-02-28T09:00:00Z"));
  EXPECT_EQ(FrequencyRunAt(Frequency::kMonthly, jan31, 2), At("2026-03-31T09:00:00Z"));
  EXPECT_EQ(FrequencyRunAt(Frequency::kMonthly, jan31, 3), At("2026-04-30T09:00:00Z"));
  EXPECT_EQ(FrequencyRunAt(Frequency::kMonthly, At("2024-01-31T09:00:00Z"), 1),
            At("2024-02-29T09:00:00Z"));
  EXPECT_EQ(FrequencyRunAt(Frequency::kMonthly, jan31, 12), At("2027-01-31T09:00:00Z"));
  EXPECT_EQ(FrequencyRunAt(Frequency::kWeekly, jan31, 2), At("2026-02-14T09:00:00Z"));
  EXPECT_EQ(FrequencyRunAt(Frequency::kDaily, jan31, 1), At("2026-02-01T09:00:00Z"));
}

TEST(Cadence, FrequencyPreviewCoversTheDaysSinceThePreviousRun) {
  auto runs = PreviewFrequency(Frequency::kWeekly, At("2026-11-24T09:00:00Z"), 2);
  EXPECT_EQ(runs[0].from_date, "2026-11-17");
  EXPECT_EQ(runs[0].to_date, "2026-11-23");
  EXPECT_EQ(runs[1].local, "2026-12-01T09:00:00+00:00");
}

TEST(Cadence, RejectsUnknownFrequencies) {
  EXPECT_FALSE(ParseFrequency("hourly"));
  EXPECT_EQ(ParseFrequency("weekly"), Frequency::kWeekly);
}

}  // namespace
}  // namespace rapport
