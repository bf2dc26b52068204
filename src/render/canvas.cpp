#include "canvas.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <malloc.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <cstring>

namespace rapport::render {
namespace {

constexpr const char* kFontFamily = "Noto Sans";

// Never reports a write error to cairo: cairo 1.16 crashes finishing a PDF surface whose stream
// failed (a test pins this). A refusing sink is remembered, later bytes are dropped, and
// Canvas::Finish reports the failure.
cairo_status_t WriteToSink(void* closure, const unsigned char* data, unsigned int length) {
  auto* canvas_sink = static_cast<std::pair<const PdfSink*, bool*>*>(closure);
  if (*canvas_sink->second) return CAIRO_STATUS_SUCCESS;
  if (!(*canvas_sink->first)(std::string_view(reinterpret_cast<const char*>(data), length))) {
    *canvas_sink->second = true;
  }
  return CAIRO_STATUS_SUCCESS;
}

// "2026-11-30T08:00:00.123Z" -> "2026-11-30T08:00:00Z", the form cairo's metadata takes.
std::string PdfDate(const std::string& rfc3339) {
  if (rfc3339.size() < 19) return "1970-01-01T00:00:00Z";
  return rfc3339.substr(0, 19) + "Z";
}

PangoContext* NewContext(PangoFontMap* map) {
  PangoContext* context = pango_font_map_create_context(map);
  pango_cairo_context_set_resolution(context, 72.0);
  // Glyphs at the font's advances: rounded to whole points (pango's default, a device unit at 72
  // dpi) figures spread out, and cairo wrote a positioning number beside nearly every glyph.
  pango_context_set_round_glyph_positions(context, FALSE);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  return context;
}

}  // namespace

Canvas::Canvas(PangoFontMap* fonts) : context_(NewContext(fonts)) {}

Canvas::Canvas(PangoFontMap* fonts, const PdfSink& sink, const DocumentInfo& info)
    : context_(NewContext(fonts)), closure_(&sink, &sink_failed_) {
  surface_ = cairo_pdf_surface_create_for_stream(WriteToSink, &closure_, kPageWidth, kPageHeight);
  std::string date = PdfDate(info.created_at);
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, info.title.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_SUBJECT, info.subject.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_AUTHOR, "Rapport");
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Rapport");
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  cr_ = cairo_create(surface_);
  PageBackground();
}

Canvas::~Canvas() {
  ReleaseLayouts();
  if (context_) g_object_unref(context_);
  if (cr_) cairo_destroy(cr_);
  if (surface_) {
    cairo_surface_finish(surface_);
    cairo_surface_destroy(surface_);
  }
}

PangoLayout* Canvas::LayoutFor(const TextStyle& style) {
  int key = static_cast<int>(std::lround(style.size * 10)) * 2 + (style.bold ? 1 : 0);
  auto [it, inserted] = layouts_.try_emplace(key, nullptr);
  if (inserted) {
    it->second = pango_layout_new(context_);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFontFamily);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(font, static_cast<int>(std::lround(style.size * PANGO_SCALE)));
    pango_layout_set_font_description(it->second, font);
    pango_font_description_free(font);
    pango_layout_set_auto_dir(it->second, FALSE);  // RTL names keep the column's alignment
  }
  PangoLayout* layout = it->second;
  pango_layout_set_alignment(layout, style.align == Align::kLeft     ? PANGO_ALIGN_LEFT
                                     : style.align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                     : PANGO_ALIGN_RIGHT);
  return layout;
}

void Canvas::Show(PangoLayout* layout, double x, double y, Rgb color) {
  cairo_set_source_rgb(cr_, color.r, color.g, color.b);
  cairo_move_to(cr_, x, y);
  pango_cairo_show_layout(cr_, layout);
}

PangoLayout* Canvas::LineLayout(double width, std::string_view text, const TextStyle& style) {
  constexpr size_t kShortText = 16, kMaxShaped = 4096;
  auto configure = [&](PangoLayout* layout) {
    pango_layout_set_single_paragraph_mode(layout, TRUE);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  };
  if (text.size() > kShortText) {
    PangoLayout* layout = LayoutFor(style);
    configure(layout);
    return layout;
  }
  // Style and width (to a hundredth of a point) as raw bytes, then the text: a few stores, where
  // formatting the key showed in profiles.
  const double size = style.size;
  const long hundredths = std::lround(width * 100);
  const char flags = static_cast<char>(static_cast<int>(style.align) * 2 + (style.bold ? 1 : 0));
  std::string key(sizeof size + sizeof hundredths + 1 + text.size(), '\0');
  std::memcpy(key.data(), &size, sizeof size);
  std::memcpy(key.data() + sizeof size, &hundredths, sizeof hundredths);
  key[sizeof size + sizeof hundredths] = flags;
  std::memcpy(key.data() + sizeof size + sizeof hundredths + 1, text.data(), text.size());
  auto [it, inserted] = shaped_.try_emplace(std::move(key), nullptr);
  if (inserted) {
    if (shaped_.size() > kMaxShaped) {
      for (auto& [k, layout] : shaped_) {
        if (layout) g_object_unref(layout);
      }
      std::string kept = it->first;
      shaped_.clear();
      it = shaped_.try_emplace(std::move(kept), nullptr).first;
    }
    it->second = pango_layout_copy(LayoutFor(style));
    configure(it->second);
  }
  return it->second;
}

void Canvas::Text(double x, double top, double width, double height, std::string_view text,
                  const TextStyle& style) {
  if (!drawing()) return;
  PangoLayout* layout = LineLayout(width, text, style);
  // Centre the style's nominal line (ascent + descent ~ 1.07 em for Noto Sans) in the box and put
  // every layout on that baseline, whatever fallback font a script needed.
  double baseline = top + height / 2 + style.size * 0.36;
  Show(layout, x, baseline - pango_layout_get_baseline(layout) / double(PANGO_SCALE), style.color);
}

PangoLayout* Canvas::WrappedLayout(double width, std::string_view text, const TextStyle& style,
                                   int max_lines) {
  PangoLayout* layout = LayoutFor(style);
  pango_layout_set_single_paragraph_mode(layout, FALSE);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(layout, -max_lines);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  return layout;
}

double Canvas::MeasureParagraph(double width, std::string_view text, const TextStyle& style,
                                int max_lines) {
  PangoLayout* layout = WrappedLayout(width, text, style, max_lines);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  pango_layout_set_height(layout, -1);
  return h / double(PANGO_SCALE);
}

double Canvas::Paragraph(double x, double top, double width, std::string_view text,
                         const TextStyle& style, int max_lines) {
  PangoLayout* layout = WrappedLayout(width, text, style, max_lines);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  if (drawing()) Show(layout, x, top, style.color);
  pango_layout_set_height(layout, -1);
  return h / double(PANGO_SCALE);
}

double Canvas::TextWidth(std::string_view text, const TextStyle& style) {
  PangoLayout* layout = LayoutFor(style);
  pango_layout_set_single_paragraph_mode(layout, TRUE);
  pango_layout_set_width(layout, -1);
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return w / double(PANGO_SCALE);
}

void Canvas::FillRect(double x, double y, double width, double height, Rgb fill) {
  if (!drawing()) return;
  cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
  cairo_rectangle(cr_, x, y, width, height);
  cairo_fill(cr_);
}

void Canvas::Line(double x1, double y1, double x2, double y2, Rgb color, double width,
                  bool dashed) {
  if (!drawing()) return;
  cairo_set_source_rgb(cr_, color.r, color.g, color.b);
  cairo_set_line_width(cr_, width);
  const double dash[] = {3.0, 2.0};
  cairo_set_dash(cr_, dash, dashed ? 2 : 0, 0);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
  cairo_set_dash(cr_, nullptr, 0, 0);
}

void Canvas::Bookmark(std::string_view title, double y) {
  if (!drawing()) return;
  std::string link = fmt::format("page={} pos=[0 {:.0f}]", page_, y);
  cairo_pdf_surface_add_outline(surface_, CAIRO_PDF_OUTLINE_ROOT, std::string(title).c_str(),
                                link.c_str(), static_cast<cairo_pdf_outline_flags_t>(0));
}

// cairo analyses every page before writing it, adding each drawing operation's extent to a
// region; while that region is a single rectangle, adding an extent inside it costs nothing,
// otherwise it costs a pass over the region's rectangles, for every operation of a page with
// hundreds. A white page-sized rectangle first keeps it one rectangle: same look, and ~10 % fewer
// instructions for a table-heavy report.
void Canvas::PageBackground() {
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_rectangle(cr_, 0, 0, kPageWidth, kPageHeight);
  cairo_fill(cr_);
}

void Canvas::NewPage() {
  ++page_;
  if (!drawing()) return;
  cairo_show_page(cr_);
  PageBackground();
}

void Canvas::ReleaseLayouts() {
  for (auto& [key, layout] : shaped_) {
    if (layout) g_object_unref(layout);
  }
  shaped_.clear();
  for (auto& [key, layout] : layouts_) g_object_unref(layout);
  layouts_.clear();
}

Status Canvas::Finish() {
  if (!drawing()) return Ok{};
  cairo_show_page(cr_);
  // Embedding the font subsets is the document's memory peak (cairo copies a CFF font's whole
  // table): free the laid-out text first and hand freed heap pages back to the system.
  ReleaseLayouts();
  malloc_trim(0);
  cairo_surface_finish(surface_);
  cairo_status_t status = cairo_surface_status(surface_);
  if (sink_failed_) return Error(ErrorCode::kInternal, "the PDF sink refused bytes");
  if (status != CAIRO_STATUS_SUCCESS) {
    return Error(ErrorCode::kInternal,
                 std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
  }
  return Ok{};
}

}  // namespace rapport::render
