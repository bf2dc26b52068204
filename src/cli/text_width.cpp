#include "text_width.hpp"

#include <algorithm>
#include <array>

namespace rapport::cli {
namespace {

struct Range {
  char32_t first, last;
};

// Combining marks, zero-width and format characters. Checked before kWide: a few (the ideographic
// tone marks, the kana voicing marks) sit inside wide blocks.
constexpr std::array kZeroWidth = std::to_array<Range>({
    {0x0300, 0x036F},   {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},   {0x05C1, 0x05C2},
    {0x05C4, 0x05C5},   {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F},   {0x0670, 0x0670},
    {0x06D6, 0x06DC},   {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED},   {0x0900, 0x0902},
    {0x093C, 0x093C},   {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0E31, 0x0E31},   {0x0E34, 0x0E3A},
    {0x0E47, 0x0E4E},   {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x200B, 0x200F},
    {0x202A, 0x202E},   {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D},   {0x3099, 0x309A},
    {0xFE00, 0xFE0F},   {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
    {0xE0100, 0xE01EF},
});

// East Asian Wide and Fullwidth: Hangul Jamo, CJK (radicals to Yi), Hangul syllables, CJK
// compatibility, vertical and small forms, fullwidth forms, emoji, the supplementary ideographs.
constexpr std::array kWide = std::to_array<Range>({
    {0x1100, 0x115F},
    {0x2329, 0x232A},
    {0x2E80, 0xA4CF},
    {0xA960, 0xA97F},
    {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},
    {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF},
    {0x1F900, 0x1F9FF},
    {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
});

template <size_t N>
constexpr bool Contains(const std::array<Range, N>& table, char32_t cp) {
  auto after = std::upper_bound(table.begin(), table.end(), cp,
                                [](char32_t c, const Range& r) { return c < r.first; });
  return after != table.begin() && cp <= std::prev(after)->last;
}

constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t cp;    // kReplacement for a byte that starts no valid sequence
  size_t length;  // bytes taken: 1 for such a byte
};

// The code point starting at `utf8[i]` (i < size).
Decoded DecodeAt(std::string_view utf8, size_t i) {
  auto lead = static_cast<unsigned char>(utf8[i]);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  char32_t cp = 0, smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, smallest = 0x10000;
  } else {
    return {kReplacement, 1};
  }
  if (utf8.size() - i < length) return {kReplacement, 1};
  for (size_t k = 1; k < length; ++k) {
    auto next = static_cast<unsigned char>(utf8[i + k]);
    if ((next & 0xC0) != 0x80) return {kReplacement, 1};
    cp = (cp << 6) | (next & 0x3F);
  }
  bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (cp < smallest || cp > 0x10FFFF || surrogate) return {kReplacement, 1};
  return {cp, length};
}

}  // namespace

int CodePointWidth(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return 0;
  if (cp < 0x300) return 1;
  if (Contains(kZeroWidth, cp)) return 0;
  return Contains(kWide, cp) ? 2 : 1;
}

size_t DisplayWidth(std::string_view utf8) {
  size_t width = 0;
  for (size_t i = 0; i < utf8.size();) {
    Decoded d = DecodeAt(utf8, i);
    width += static_cast<size_t>(CodePointWidth(d.cp));
    i += d.length;
  }
  return width;
}

std::string_view PrefixWithin(std::string_view utf8, size_t max_width) {
  size_t width = 0, i = 0;
  while (i < utf8.size()) {
    Decoded d = DecodeAt(utf8, i);
    auto w = static_cast<size_t>(CodePointWidth(d.cp));
    if (width + w > max_width) break;
    width += w;
    i += d.length;
  }
  return utf8.substr(0, i);
}

std::string FitWidth(std::string_view utf8, size_t max_width) {
  if (DisplayWidth(utf8) <= max_width) return std::string(utf8);
  if (max_width == 0) return "";
  return std::string(PrefixWithin(utf8, max_width - 1)) + "~";
}

std::string PadToWidth(std::string_view utf8, size_t width) {
  std::string out(utf8);
  size_t has = DisplayWidth(utf8);
  if (has < width) out.append(width - has, ' ');
  return out;
}

}  // namespace rapport::cli
