// A page-oriented drawing surface over cairo's PDF surface and pango, in PDF points (A4 portrait).
// A canvas either draws (writing the PDF to a sink as pages finish) or only counts: a counting
// canvas lays text out the same way but draws nothing, so a renderer can run its layout once to
// learn the page count ("page X of Y") and once more to draw.
#pragma once

#include <rapport/render/pdf.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

using cairo_t = struct _cairo;
using cairo_surface_t = struct _cairo_surface;
using PangoContext = struct _PangoContext;
using PangoLayout = struct _PangoLayout;
using PangoFontMap = struct _PangoFontMap;

namespace rapport::render {

struct Rgb {
  double r = 0, g = 0, b = 0;
};
// 0xRRGGBB.
constexpr Rgb Hex(unsigned rgb) {
  return {((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0};
}

enum class Align { kLeft, kCenter, kRight };

struct TextStyle {
  double size = 9;
  bool bold = false;
  Rgb color{};
  Align align = Align::kLeft;
};

struct DocumentInfo {
  std::string title;
  std::string subject;
  std::string created_at;  // RFC 3339; becomes the creation and modification dates
};

class Canvas {
 public:
  static constexpr double kPageWidth = 595.28;
  static constexpr double kPageHeight = 841.89;

  // A counting canvas laying text out with `fonts` (this thread's; see fonts.hpp).
  explicit Canvas(PangoFontMap* fonts);
  // A drawing canvas; `sink` must outlive it.
  Canvas(PangoFontMap* fonts, const PdfSink& sink, const DocumentInfo& info);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  bool drawing() const { return cr_ != nullptr; }
  int page() const { return page_; }

  // One line of text in the box [x, x+width] x [top, top+height], vertically centred on the
  // style's font; ellipsized at the end when too long. Newlines do not break it.
  void Text(double x, double top, double width, double height, std::string_view text,
            const TextStyle& style);
  // Text wrapped at word (or character) boundaries into at most `max_lines` lines, the last one
  // ellipsized; returns the height it takes.
  double Paragraph(double x, double top, double width, std::string_view text,
                   const TextStyle& style, int max_lines);
  // The height Paragraph would take, without drawing.
  double MeasureParagraph(double width, std::string_view text, const TextStyle& style,
                          int max_lines);
  // Width the text takes on one line.
  double TextWidth(std::string_view text, const TextStyle& style);

  void FillRect(double x, double y, double width, double height, Rgb fill);
  void Line(double x1, double y1, double x2, double y2, Rgb color, double width,
            bool dashed = false);
  // An image (`content_type` image/png or image/svg+xml) `height` points high (less when it would
  // be wider than `max_width`) with its top left at (x, top); returns the width it took, 0 when
  // it cannot be decoded or the canvas only counts.
  double Image(double x, double top, double height, double max_width, std::string_view content_type,
               std::string_view bytes);
  // A bookmark in the viewer's outline pointing at `y` on the current page.
  void Bookmark(std::string_view title, double y);
  void NewPage();
  // Ends the document; the last page is shown. Fails when cairo or the sink failed.
  Status Finish();

 private:
  PangoLayout* LayoutFor(const TextStyle& style);
  PangoLayout* LineLayout(double width, std::string_view text, const TextStyle& style);
  PangoLayout* WrappedLayout(double width, std::string_view text, const TextStyle& style,
                             int max_lines);
  void Show(PangoLayout* layout, double x, double y, Rgb color);
  void ReleaseLayouts();
  void PageBackground();

  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* context_ = nullptr;
  std::map<int, PangoLayout*> layouts_;  // by size in tenths of a point and weight
  // Short one-line texts recur (numbers, durations, verdicts): their shaped layouts are kept.
  std::unordered_map<std::string, PangoLayout*> shaped_;
  bool sink_failed_ = false;
  std::pair<const PdfSink*, bool*> closure_{};  // what cairo's write callback sees
  int page_ = 1;
};

}  // namespace rapport::render
