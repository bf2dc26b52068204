#include "rate_limiter.hpp"

#include <gtest/gtest.h>

namespace rapport::api {
namespace {

TEST(RateLimiter, AllowsTheLimitPerMinuteThenRefusesUntilTheNextWindow) {
  RateLimiter limiter(3);
  UnixMs t = 60'000 * 1000 + 15'000;  // 15 s into a minute
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.Take("k", t);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 2 - i);
  }
  auto refused = limiter.Take("k", t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.reset_seconds, 45);
  EXPECT_TRUE(limiter.Take("other", t).allowed);
  EXPECT_TRUE(limiter.Take("k", t + 45'000).allowed);
}

TEST(RateLimiter, PeekTellsWhatIsLeftWithoutCounting) {
  RateLimiter limiter(3);
  UnixMs t = 60'000 * 1000 + 15'000;
  EXPECT_EQ(limiter.Peek("k", t).remaining, 3);
  limiter.Take("k", t);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Peek("k", t).remaining, 2);
  limiter.Take("k", t);
  limiter.Take("k", t);
  auto spent = limiter.Peek("k", t);
  EXPECT_FALSE(spent.allowed);
  EXPECT_EQ(spent.remaining, 0);
  EXPECT_EQ(spent.reset_seconds, 45);
  EXPECT_EQ(limiter.Peek("k", t + 45'000).remaining, 3);  // a new window
}

TEST(RateLimiter, ZeroMeansOff) {
  RateLimiter limiter(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Take("k", 0).allowed);
}

}  // namespace
}  // namespace rapport::api
