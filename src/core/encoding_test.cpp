#include <rapport/core/encoding.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37);
  }
}

TEST(Base64Url, UsesUrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(*Base64UrlDecode("-_8="), "\xfb\xff");
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_FALSE(Base64UrlDecode("-_9"));  // the same two bytes, with a spare bit set
  EXPECT_EQ(*Base64UrlDecode("QQ"), "A");
  EXPECT_FALSE(Base64UrlDecode("QR"));
  EXPECT_FALSE(Base64UrlDecode("QR=="));
}

TEST(Base64Url, RejectsForeignCharactersAndImpossibleLengths) {
  EXPECT_FALSE(Base64UrlDecode("ab+/"));
  EXPECT_FALSE(Base64UrlDecode("a"));
  EXPECT_FALSE(Base64UrlDecode("ab c"));
}

TEST(Hmac, MatchesRfc4231TestCase2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace rapport
