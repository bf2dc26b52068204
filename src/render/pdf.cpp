#include <rapport/render/pdf.hpp>

#include "fonts.hpp"
#include "page_flow.hpp"
#include "render_pass.hpp"

namespace rapport {

Result<std::string> RenderPdfToString(const boost::json::object& report,
                                      Status (*render)(const boost::json::object& report,
                                                       const PdfSink& sink)) {
  std::string out;
  PdfSink sink = [&out](std::string_view bytes) {
    out.append(bytes);
    return true;
  };
  RAPPORT_CHECK(render(report, sink));
  return out;
}

Result<std::string> RenderPdfToString(const boost::json::object& report,
                                      const PdfBranding& branding,
                                      Status (*render)(const boost::json::object& report,
                                                       const PdfSink& sink,
                                                       const PdfBranding& branding)) {
  std::string out;
  PdfSink sink = [&out](std::string_view bytes) {
    out.append(bytes);
    return true;
  };
  RAPPORT_CHECK(render(report, sink, branding));
  return out;
}

namespace render {

Status RenderInTwoPasses(const PdfSink& sink, const DocumentInfo& info,
                         const std::string& footer_left, const std::function<void(Flow&)>& layout,
                         const PdfBranding& branding, const boost::json::object* report) {
  PangoFontMap* fonts =
      FontMapForThread(report ? FontsFor(*report, branding.name) : FontSet::kSystem);
  Canvas counting(fonts);
  Flow count_flow(counting, footer_left, 0, branding);
  layout(count_flow);
  Canvas canvas(fonts, sink, info);
  Flow flow(canvas, footer_left, counting.page(), branding);
  layout(flow);
  return flow.Finish();
}

}  // namespace render
}  // namespace rapport
