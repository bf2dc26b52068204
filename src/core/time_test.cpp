#include <rapport/core/time.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'795'518'405'123), "2026-11-24T11:06:45.123Z");
}

TEST(Rfc3339, FormatsEveryFieldZeroPaddedAcrossCenturies) {
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'799'999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(-62'135'596'800'000), "0001-01-01T00:00:00.000Z");
  for (UnixMs ms = -86'400'000LL * 400; ms < 86'400'000LL * 40000; ms += 7'777'777'777) {
    auto text = FormatRfc3339(ms);
    ASSERT_EQ(text.size(), 24u) << ms;
    EXPECT_EQ(ParseRfc3339(text), ms) << text;
  }
}

TEST(Rfc3339, ParsesZuluOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseRfc3339("1969-12-31T19:00:00-05:00"), 0);
  EXPECT_EQ(ParseRfc3339("2026-11-24T11:06:45.123Z"), 1'795'518'405'123);
  EXPECT_EQ(ParseRfc3339("2026-11-24T11:06:45.123456789Z"), 1'795'518'405'123);
  EXPECT_EQ(ParseRfc3339(FormatRfc3339(1'234'567'890'123)), 1'234'567'890'123);
}

TEST(Rfc3339, RejectsMalformedAndImpossibleDates) {
  for (const char* bad : {"", "2026-11-24", "2026-11-24T11:06:45", "2026-02-30T00:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T11:06:45.Z",
                          "2026-11-24T11:06:45Zjunk", "2026-11-24T11:06:45+0100"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
  }
}

TEST(TimeZones, KnownIanaNamesOnly) {
  EXPECT_TRUE(IsKnownTimeZone("Europe/London"));
  EXPECT_TRUE(IsKnownTimeZone("Australia/Lord_Howe"));
  EXPECT_TRUE(IsKnownTimeZone("UTC"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(IsKnownTimeZone(""));
  EXPECT_FALSE(IsKnownTimeZone("../../etc/passwd"));
}

constexpr int64_t kSecond = 1'000'000;  // microseconds
constexpr int64_t kHour = 3600 * kSecond;

TEST(SlewedTime, FollowsTheMonotonicClockWhileTheWallClockAgrees) {
  SlewedTime t(5 * kSecond, 1'000 * kSecond);
  EXPECT_EQ(t.Advance(6 * kSecond, 1'001 * kSecond), 1'001 * kSecond);
  EXPECT_EQ(t.Advance(36 * kSecond, 1'031 * kSecond), 1'031 * kSecond);
}

TEST(SlewedTime, AWallClockStepForwardDoesNotJumpItButIsCaughtUpAtTheSlewRate) {
  SlewedTime t(0, 0);
  int64_t before = t.Advance(kSecond, kSecond);
  // The wall clock steps an hour ahead; one second later the lease clock moved 1.1 s.
  int64_t after = t.Advance(2 * kSecond, kHour + 2 * kSecond);
  EXPECT_EQ(after - before, kSecond + kSecond / 10);
  // A 30 s lease taken just before the step is still running 20 s later.
  EXPECT_LT(t.Advance(22 * kSecond, kHour + 22 * kSecond), before + 30 * kSecond);
  // Ten hours of wall clock later it has caught up and follows the wall clock again.
  int64_t mono = 22 * kSecond;
  for (int i = 0; i < 12; ++i) {
    mono += kHour;
    t.Advance(mono, kHour + mono);
  }
  EXPECT_EQ(t.Advance(mono + kSecond, kHour + mono + kSecond), kHour + mono + kSecond);
}

TEST(SlewedTime, AWallClockStepBackNeverMakesItGoBack) {
  SlewedTime t(0, 10 * kHour);
  int64_t last = t.Advance(kSecond, 10 * kHour + kSecond);
  for (int64_t mono = 2 * kSecond; mono < 100 * kSecond; mono += kSecond) {
    int64_t now = t.Advance(mono, 9 * kHour + mono);  // the wall clock is an hour behind
    EXPECT_EQ(now - last, kSecond - kSecond / 10);    // slowed by the slew rate, still forward
    last = now;
  }
  // A monotonic reading older than the last one counts as no time passed.
  EXPECT_EQ(t.Advance(50 * kSecond, 0), last);
}

}  // namespace
}  // namespace rapport
