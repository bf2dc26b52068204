#include "text_width.hpp"

#include <gtest/gtest.h>

#include <random>

namespace rapport::cli {
namespace {

// "Café" twice: precomposed é (U+00E9) and e + combining acute (U+0301).
constexpr std::string_view kCafePrecomposed = "Caf\u00e9";
constexpr std::string_view kCafeCombining = "Cafe\u0301";

TEST(CodePointWidth, WideCombiningControlAndOrdinary) {
  EXPECT_EQ(CodePointWidth(U'a'), 1);
  EXPECT_EQ(CodePointWidth(U'\u00e9'), 1);
  EXPECT_EQ(CodePointWidth(U'\u041c'), 1);      // Cyrillic М
  EXPECT_EQ(CodePointWidth(U'\u6771'), 2);      // 東
  EXPECT_EQ(CodePointWidth(U'\u30aa'), 2);      // オ
  EXPECT_EQ(CodePointWidth(U'\uac00'), 2);      // 가
  EXPECT_EQ(CodePointWidth(U'\uff21'), 2);      // fullwidth Ａ
  EXPECT_EQ(CodePointWidth(U'\U0001F600'), 2);  // 😀
  EXPECT_EQ(CodePointWidth(U'\U00020000'), 2);  // CJK extension B
  EXPECT_EQ(CodePointWidth(U'\u0301'), 0);
  EXPECT_EQ(CodePointWidth(U'\u200b'), 0);  // zero width space
  EXPECT_EQ(CodePointWidth(U'\ufe0f'), 0);  // variation selector 16
  EXPECT_EQ(CodePointWidth(U'\u3099'), 0);  // combining kana voicing mark, inside a wide block
  EXPECT_EQ(CodePointWidth(U'\u0e31'), 0);  // Thai vowel sign
  EXPECT_EQ(CodePointWidth(U'\n'), 0);
  EXPECT_EQ(CodePointWidth(U'\u0085'), 0);
  // The edges of a range.
  EXPECT_EQ(CodePointWidth(U'\u10ff'), 1);
  EXPECT_EQ(CodePointWidth(U'\u1100'), 2);
  EXPECT_EQ(CodePointWidth(U'\u115f'), 2);
  EXPECT_EQ(CodePointWidth(U'\u1160'), 0);
  EXPECT_EQ(CodePointWidth(U'\uffe6'), 2);
  EXPECT_EQ(CodePointWidth(U'\uffe7'), 1);
}

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("HQ"), 2u);
  EXPECT_EQ(DisplayWidth("Москва"), 6u);         // 12 bytes
  EXPECT_EQ(DisplayWidth("東京オフィス"), 12u);  // 18 bytes
  EXPECT_EQ(DisplayWidth(kCafePrecomposed), 4u);
  EXPECT_EQ(DisplayWidth(kCafeCombining), 4u);
  EXPECT_EQ(DisplayWidth("서울 지사"), 9u);
  EXPECT_EQ(DisplayWidth("\U0001F680 launch"), 9u);
}

TEST(DisplayWidth, InvalidUtf8CountsOneColumnPerBadByte) {
  EXPECT_EQ(DisplayWidth("\x80"), 1u);              // stray continuation byte
  EXPECT_EQ(DisplayWidth("a\xe6\x9d"), 3u);         // 東 cut short: two bad bytes
  EXPECT_EQ(DisplayWidth("\xc0\xaf"), 2u);          // overlong '/'
  EXPECT_EQ(DisplayWidth("\xed\xa0\x80"), 3u);      // a UTF-16 surrogate
  EXPECT_EQ(DisplayWidth("\xf4\x90\x80\x80"), 4u);  // beyond U+10FFFF
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2u);
  EXPECT_EQ(DisplayWidth("\xe6\x9d\x41"), 3u);  // a lead byte followed by ASCII keeps the ASCII
}

TEST(PrefixWithin, CutsBetweenCharactersAndKeepsAccentsWithTheirLetter) {
  EXPECT_EQ(PrefixWithin("東京オフィス", 5), "東京");  // never half a wide character
  EXPECT_EQ(PrefixWithin("東京オフィス", 6), "東京オ");
  EXPECT_EQ(PrefixWithin("Москва", 3), "Мос");
  EXPECT_EQ(PrefixWithin(kCafeCombining, 4), kCafeCombining);
  EXPECT_EQ(PrefixWithin(kCafeCombining, 3), "Caf");  // the accent goes with the dropped e
  EXPECT_EQ(PrefixWithin("e\u0301\u0301x", 1), "e\u0301\u0301");
  EXPECT_EQ(PrefixWithin("abc", 0), "");
  EXPECT_EQ(PrefixWithin("", 5), "");
}

TEST(FitWidth, TruncatesByColumnsWithATilde) {
  EXPECT_EQ(FitWidth("東京オフィス", 12), "東京オフィス");
  EXPECT_EQ(FitWidth("東京オフィス", 11), "東京オフィ~");
  EXPECT_EQ(FitWidth("東京オフィス", 10), "東京オフ~");  // 8 columns + "~": no room for half of フ
  EXPECT_EQ(FitWidth("Москва", 4), "Мос~");
  EXPECT_EQ(FitWidth("abc", 0), "");
  EXPECT_EQ(FitWidth("abc", 1), "~");
}

TEST(PadToWidth, PadsToColumns) {
  EXPECT_EQ(PadToWidth("東京", 6), "東京  ");
  EXPECT_EQ(PadToWidth(kCafeCombining, 6), std::string(kCafeCombining) + "  ");
  EXPECT_EQ(PadToWidth("Москва", 6), "Москва");
  EXPECT_EQ(PadToWidth("toolong", 3), "toolong");
}

// Any bytes at all: no crash, a prefix of the input, and the width bound holds.
TEST(FitWidth, ArbitraryBytesStayWithinTheWidth) {
  std::mt19937 random(17);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40), width(0, 20);
  const std::string pieces[] = {"東", "М", "e\u0301", "\U0001F600", "\xe6\x9d", "\x80", "a"};
  std::uniform_int_distribution<size_t> piece(0, std::size(pieces) - 1);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int i = length(random); i > 0; --i) {
      text += round % 2 ? std::string(1, static_cast<char>(byte(random))) : pieces[piece(random)];
    }
    size_t max = static_cast<size_t>(width(random));
    std::string_view prefix = PrefixWithin(text, max);
    ASSERT_LE(DisplayWidth(prefix), max) << text;
    ASSERT_EQ(text.compare(0, prefix.size(), prefix), 0);
    ASSERT_LE(DisplayWidth(FitWidth(text, max)), max) << text;
    ASSERT_GE(DisplayWidth(PadToWidth(text, max)), max);
  }
}

}  // namespace
}  // namespace rapport::cli
