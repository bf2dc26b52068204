// Layout shared by the report renderers: a vertical flow over A4 pages with a running footer
// ("page X of Y"), and tables with fixed row heights whose header row repeats on every page.
// Heights are fixed, so running the same layout on a counting canvas gives the page count the
// drawing pass prints.
#pragma once

#include "canvas.hpp"

#include <string>
#include <vector>

namespace rapport::render {

namespace palette {
inline constexpr Rgb kInk = Hex(0x1f2937);
inline constexpr Rgb kMuted = Hex(0x6b7280);
inline constexpr Rgb kRule = Hex(0xd1d5db);
inline constexpr Rgb kPanel = Hex(0xf3f4f6);
inline constexpr Rgb kZebra = Hex(0xf9fafb);
inline constexpr Rgb kAccent = Hex(0x1d4ed8);
inline constexpr Rgb kGood = Hex(0x15803d);
inline constexpr Rgb kGoodLight = Hex(0x86efac);
inline constexpr Rgb kBad = Hex(0xb91c1c);
inline constexpr Rgb kBadLight = Hex(0xf87171);
inline constexpr Rgb kBadRow = Hex(0xfdecec);
inline constexpr Rgb kWhite = Hex(0xffffff);
}  // namespace palette

inline constexpr double kMargin = 40;
inline constexpr double kContentWidth = Canvas::kPageWidth - 2 * kMargin;
inline constexpr double kContentBottom = Canvas::kPageHeight - 48;

class Flow {
 public:
  // `footer_left` is printed at the bottom left of every page; `total_pages` at the right
  // ("page X of Y"; 0 while counting).
  // An empty `branding` changes nothing.
  Flow(Canvas& canvas, std::string footer_left, int total_pages, const PdfBranding& branding = {});

  Canvas& canvas() { return canvas_; }
  const PdfBranding& branding() const { return branding_; }
  double y() const { return y_; }
  double Remaining() const { return kContentBottom - y_; }
  // Starts a new page unless `height` fits below y.
  void Need(double height);
  void Advance(double height) { y_ += height; }
  void BreakPage();
  // A section heading (and optional one-line caption) kept with `keep_with` points after it.
  void Heading(const std::string& title, const std::string& caption, double keep_with);
  // Draws the last page's footer and ends the document.
  Status Finish();

 private:
  void Footer();

  Canvas& canvas_;
  std::string footer_left_;
  int total_pages_;
  PdfBranding branding_;  // a copy: the default argument is a temporary
  double y_ = kMargin;
};

struct Tile {
  std::string label, value, note;
  Rgb color = palette::kInk;
};

// The top of a report's first page: the kind ("SLA REPORT"), the title (up to two lines), one
// muted line per entry of `lines`, and a rule. With the flow's branding: first a band with the
// logo (kLogoHeight points high) and the name, and the kind and the rule in the accent colour.
void Cover(Flow& flow, const std::string& kind, const std::string& title,
           const std::vector<std::string>& lines);
// KPI tiles, three to a row: a label, a large value in its colour and a one-line note.
void Tiles(Flow& flow, const std::vector<Tile>& tiles);

struct Column {
  std::string title;
  double width;
  Align align = Align::kLeft;
};

struct Cell {
  std::string text;
  Rgb color = palette::kInk;
  bool bold = false;
};

class Table {
 public:
  static constexpr double kRowHeight = 15;
  static constexpr double kHeaderHeight = 18;

  // The header row is drawn before the first row and again at the top of every later page,
  // under "`title` (continued)".
  Table(Flow& flow, std::string title, std::vector<Column> columns);
  // `background` overrides the zebra striping (e.g. a breached row).
  void Row(const std::vector<Cell>& cells, const Rgb* background = nullptr);

 private:
  void Header();

  Flow& flow_;
  std::string title_;
  std::vector<Column> columns_;
  int rows_ = 0;
  bool started_ = false;
};

}  // namespace rapport::render
