#include <rapport/core/time.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'795'518'405'123), "2026-11-24T11:06:45.123Z");
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

}  // namespace
}  // namespace rapport
