// Canvas::Image: a tenant's logo on the page, a PNG through cairo (embedded as an image) or an
// SVG through librsvg (drawn as vectors). librsvg is loaded on the first SVG logo, not linked:
// with the libraries it pulls in (libxml2, ICU, gdk-pixbuf) it made every process that renders
// PDFs ~4 MB bigger from its start, logo or not.
#include "canvas.hpp"

#include <cairo.h>
#include <dlfcn.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <memory>

namespace rapport::render {
namespace {

struct PngReader {
  std::string_view bytes;
  size_t at = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->bytes.size() - reader->at < length) return CAIRO_STATUS_READ_ERROR;
  std::copy_n(reader->bytes.data() + reader->at, length, data);
  reader->at += length;
  return CAIRO_STATUS_SUCCESS;
}

double DrawPng(cairo_t* cr, double x, double top, double height, double max_width,
               std::string_view bytes) {
  PngReader reader{bytes};
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> image(
      cairo_image_surface_create_from_png_stream(ReadPng, &reader), cairo_surface_destroy);
  if (cairo_surface_status(image.get()) != CAIRO_STATUS_SUCCESS) return 0;
  double w = cairo_image_surface_get_width(image.get());
  double h = cairo_image_surface_get_height(image.get());
  if (w <= 0 || h <= 0) return 0;
  double scale = std::min(height / h, max_width / w);
  cairo_save(cr);
  cairo_translate(cr, x, top);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, image.get(), 0, 0);
  cairo_paint(cr);
  cairo_restore(cr);
  return w * scale;
}

// The librsvg functions DrawSvg calls; all null when the library cannot be loaded.
struct Rsvg {
  decltype(&rsvg_handle_new_from_data) new_from_data = nullptr;
  decltype(&rsvg_handle_get_intrinsic_size_in_pixels) size_in_pixels = nullptr;
  decltype(&rsvg_handle_get_intrinsic_dimensions) dimensions = nullptr;
  decltype(&rsvg_handle_render_document) render_document = nullptr;
};

template <typename F>
void Bind(void* library, const char* name, F& function) {
  function = reinterpret_cast<F>(dlsym(library, name));
}

const Rsvg& LoadRsvg() {
  static const Rsvg rsvg = [] {
    Rsvg r;
    void* library = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);  // never closed
    if (!library) return r;
    Bind(library, "rsvg_handle_new_from_data", r.new_from_data);
    Bind(library, "rsvg_handle_get_intrinsic_size_in_pixels", r.size_in_pixels);
    Bind(library, "rsvg_handle_get_intrinsic_dimensions", r.dimensions);
    Bind(library, "rsvg_handle_render_document", r.render_document);
    if (!r.new_from_data || !r.size_in_pixels || !r.dimensions || !r.render_document) return Rsvg{};
    return r;
  }();
  return rsvg;
}

// The SVG's aspect ratio (width / height) from its size or its viewBox; 0 when it has neither.
double SvgAspect(const Rsvg& rsvg, RsvgHandle* handle) {
  gdouble w = 0, h = 0;
  if (rsvg.size_in_pixels(handle, &w, &h) && w > 0 && h > 0) return w / h;
  gboolean has_width = FALSE, has_height = FALSE, has_viewbox = FALSE;
  RsvgLength width, height;
  RsvgRectangle viewbox{};
  rsvg.dimensions(handle, &has_width, &width, &has_height, &height, &has_viewbox, &viewbox);
  if (has_viewbox && viewbox.width > 0 && viewbox.height > 0) return viewbox.width / viewbox.height;
  return 0;
}

double DrawSvg(cairo_t* cr, double x, double top, double height, double max_width,
               std::string_view bytes) {
  const Rsvg& rsvg = LoadRsvg();
  if (!rsvg.new_from_data) return 0;
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, void (*)(gpointer)> handle(
      rsvg.new_from_data(reinterpret_cast<const guint8*>(bytes.data()), bytes.size(), &error),
      g_object_unref);
  if (error != nullptr) g_error_free(error);
  if (!handle) return 0;
  double aspect = SvgAspect(rsvg, handle.get());
  if (aspect <= 0) aspect = 1;
  double width = std::min(height * aspect, max_width);
  RsvgRectangle viewport{x, top, width, width / aspect};
  error = nullptr;
  bool drawn = rsvg.render_document(handle.get(), cr, &viewport, &error);
  if (error != nullptr) g_error_free(error);
  return drawn ? width : 0;
}

}  // namespace

double Canvas::Image(double x, double top, double height, double max_width,
                     std::string_view content_type, std::string_view bytes) {
  if (cr_ == nullptr || bytes.empty()) return 0;
  if (content_type == "image/png") return DrawPng(cr_, x, top, height, max_width, bytes);
  if (content_type == "image/svg+xml") return DrawSvg(cr_, x, top, height, max_width, bytes);
  return 0;
}

}  // namespace rapport::render
