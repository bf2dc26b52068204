#include <rapport/api/pdf_reply.hpp>

#include <gtest/gtest.h>

namespace rapport::api {
namespace {

TEST(PdfReply, IfNoneMatchComparesWeaklyAcrossAList) {
  EXPECT_TRUE(IfNoneMatchHits("\"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits("*", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("abc", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("", "\"abc\""));
}

}  // namespace
}  // namespace rapport::api
