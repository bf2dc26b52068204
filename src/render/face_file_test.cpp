#include "face_file.hpp"

#include <ft2build.h>
#include <gtest/gtest.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include <filesystem>
#include <random>
#include <vector>

namespace rapport::render {
namespace {

// As Debian's fonts-noto-core and fonts-noto-cjk install them (scripts/setup.sh).
constexpr const char* kNotoSans = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
constexpr const char* kNotoSansCjk = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

// The same face opened by FreeType itself (memory-mapped): what the reads must match.
FT_Face Mapped(const char* path, int index) {
  static FT_Library library = [] {
    FT_Library created = nullptr;
    FT_Init_FreeType(&created);
    return created;
  }();
  FT_Face face = nullptr;
  return FT_New_Face(library, path, index, &face) == 0 ? face : nullptr;
}

// `length` bytes of table `tag` from `offset`; empty when FreeType refuses.
std::vector<unsigned char> Table(FT_Face face, FT_ULong tag, long offset, FT_ULong length) {
  std::vector<unsigned char> bytes(length);
  if (FT_Load_Sfnt_Table(face, tag, offset, bytes.data(), &length) != 0) return {};
  return bytes;
}

FT_ULong TableLength(FT_Face face, FT_ULong tag) {
  FT_ULong length = 0;
  return FT_Load_Sfnt_Table(face, tag, 0, nullptr, &length) == 0 ? length : 0;
}

TEST(FaceFile, ReadsAreTheFilesBytesWholeTablesAndSmallPiecesAlike) {
  if (!std::filesystem::exists(kNotoSans)) GTEST_SKIP() << kNotoSans << " not installed";
  FT_Face ours = OpenFaceUnmapped(kNotoSans, 0), mapped = Mapped(kNotoSans, 0);
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(mapped, nullptr);
  FT_ULong count = 0, tag = 0, length = 0;
  FT_Sfnt_Table_Info(mapped, 0, nullptr, &count);
  ASSERT_GT(count, 5u);
  for (FT_UInt i = 0; i < count; ++i) {
    ASSERT_EQ(FT_Sfnt_Table_Info(mapped, i, &tag, &length), 0);
    EXPECT_EQ(Table(ours, tag, 0, length), Table(mapped, tag, 0, length)) << "table " << i;
  }
  // Small reads, as FreeType makes them for glyph metrics, in and across the cache's blocks.
  FT_ULong glyf = TableLength(mapped, TTAG_glyf);
  ASSERT_GT(glyf, 100'000u);
  std::mt19937 rng(7);
  for (int i = 0; i < 5'000; ++i) {
    FT_ULong size = 1 + rng() % 600, offset = rng() % (glyf - size);
    ASSERT_EQ(Table(ours, TTAG_glyf, static_cast<long>(offset), size),
              Table(mapped, TTAG_glyf, static_cast<long>(offset), size))
        << offset << " + " << size;
  }
}

TEST(FaceFile, ALargeCffTableIsNotHandedOutWholeButItsGlyphsLoad) {
  if (!std::filesystem::exists(kNotoSansCjk)) GTEST_SKIP() << kNotoSansCjk << " not installed";
  FT_Face ours = OpenFaceUnmapped(kNotoSansCjk, 0), mapped = Mapped(kNotoSansCjk, 0);
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(mapped, nullptr);
  FT_ULong cff = TableLength(ours, TTAG_CFF);
  ASSERT_GT(cff, 1u << 20);
  EXPECT_EQ(cff, TableLength(mapped, TTAG_CFF));
  EXPECT_TRUE(Table(ours, TTAG_CFF, 0, cff).empty());
  EXPECT_EQ(Table(ours, TTAG_CFF, 0, 65'536), Table(mapped, TTAG_CFF, 0, 65'536));
  EXPECT_EQ(Table(ours, TTAG_CFF, 1, cff - 1), Table(mapped, TTAG_CFF, 1, cff - 1));
  for (char32_t c : {U'東', U'京', U'서', U'と'}) {
    FT_UInt glyph = FT_Get_Char_Index(ours, c);
    ASSERT_NE(glyph, 0u);
    ASSERT_EQ(glyph, FT_Get_Char_Index(mapped, c));
    ASSERT_EQ(FT_Load_Glyph(ours, glyph, FT_LOAD_NO_SCALE), 0);
    ASSERT_EQ(FT_Load_Glyph(mapped, glyph, FT_LOAD_NO_SCALE), 0);
    const FT_Outline& a = ours->glyph->outline;
    const FT_Outline& b = mapped->glyph->outline;
    ASSERT_EQ(a.n_points, b.n_points);
    for (int p = 0; p < a.n_points; ++p) {
      EXPECT_EQ(a.points[p].x, b.points[p].x);
      EXPECT_EQ(a.points[p].y, b.points[p].y);
    }
  }
}

TEST(FaceFile, AMissingFileOrFaceIsNull) {
  EXPECT_EQ(OpenFaceUnmapped("/nonexistent/font.ttf", 0), nullptr);
  if (std::filesystem::exists(kNotoSans)) {
    EXPECT_EQ(OpenFaceUnmapped(kNotoSans, 7), nullptr);
  }
}

}  // namespace
}  // namespace rapport::render
