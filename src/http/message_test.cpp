#include <rapport/http/message.hpp>

#include <gtest/gtest.h>

namespace rapport::http {
namespace {

TEST(PercentDecode, DecodesAndRejectsBrokenEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%2", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
}

TEST(ParseQuery, SplitsPairsAndKeepsOrder) {
  auto q = ParseQuery("limit=5&cursor=a%3D&&flag");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, (std::vector<std::pair<std::string, std::string>>{
                    {"limit", "5"}, {"cursor", "a="}, {"flag", ""}}));
  EXPECT_FALSE(ParseQuery("a=%"));
}

}  // namespace
}  // namespace rapport::http
