#include "canvas.hpp"

#include <gtest/gtest.h>

#include "fonts.hpp"

namespace rapport::render {
namespace {

// Glyphs sit at the font's own advances, not at whole points: pango rounds glyph positions to
// device units by default, and at 72 dpi a unit is a point, so an 8 pt digit (4.58 pt wide in
// Noto Sans) took 5 pt and a column of figures spread out; every such shift was also a
// positioning number in the PDF's text. Unrounded, a line's width is exactly proportional to its
// size.
TEST(Canvas, TextKeepsTheFontsAdvancesAtEverySize) {
  Canvas canvas(FontMapForThread(FontSet::kRestricted));
  const std::string figures = "1,234.567 0:00 99.500 %";
  double at_7 = canvas.TextWidth(figures, {.size = 7});
  ASSERT_GT(at_7, 0);
  for (double size : {8.0, 9.0, 11.0}) {
    SCOPED_TRACE(size);
    EXPECT_NEAR(canvas.TextWidth(figures, {.size = size}) / at_7, size / 7, 1e-3);
  }
}

}  // namespace
}  // namespace rapport::render
