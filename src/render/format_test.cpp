#include <rapport/render/format.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(Format, NumberRoundsHalfAwayFromZeroAndKeepsItsDecimals) {
  EXPECT_EQ(FormatNumber(99.5, 3), "99.500");
  EXPECT_EQ(FormatNumber(100.0, 3), "100.000");
  EXPECT_EQ(FormatNumber(99.12349, 3), "99.123");
  EXPECT_EQ(FormatNumber(12.25, 1), "12.3");
  EXPECT_EQ(FormatNumber(-0.0001, 3), "0.000");
  EXPECT_EQ(FormatPercent(97.0625), "97.063");
}

TEST(Format, HoursMinutesRoundToTheNearestMinuteAndDoNotWrapDays) {
  EXPECT_EQ(FormatHoursMinutes(0), "0:00");
  EXPECT_EQ(FormatHoursMinutes(29), "0:00");
  EXPECT_EQ(FormatHoursMinutes(30), "0:01");
  EXPECT_EQ(FormatHoursMinutes(3599), "1:00");
  EXPECT_EQ(FormatHoursMinutes(90061), "25:01");
  EXPECT_EQ(FormatHoursMinutes(-120), "-0:02");
}

TEST(Format, CountGroupsThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(-45000), "-45,000");
}

TEST(Format, LocalMinuteFollowsTheZoneAcrossDst) {
  // 2026-03-29 00:30Z is 01:30 CET; 01:30Z is 03:30 CEST (clocks went forward at 01:00Z).
  EXPECT_EQ(FormatLocalMinute(1774744200000, "Europe/Berlin"), "2026-03-29 01:30");
  EXPECT_EQ(FormatLocalMinute(1774747800000, "Europe/Berlin"), "2026-03-29 03:30");
  EXPECT_EQ(FormatLocalMinute(1774747800000, "Not/AZone"), "2026-03-29 01:30");
}

}  // namespace
}  // namespace rapport
