// The two passes every report renderer makes: the layout runs on a counting canvas to learn the
// page count, then on the drawing canvas, which prints "page X of Y" with it.
#pragma once

#include "page_flow.hpp"

#include <functional>

namespace rapport::render {

// `layout` must be deterministic: both passes must break pages at the same rows.
// `branding` (which must outlive the call) is drawn by Cover and names the footer. With `report`
// (the JSON the layout draws from), text is laid out with the restricted fonts when they cover it
// (fonts.hpp); without it, with the system's.
Status RenderInTwoPasses(const PdfSink& sink, const DocumentInfo& info,
                         const std::string& footer_left, const std::function<void(Flow&)>& layout,
                         const PdfBranding& branding = {},
                         const boost::json::object* report = nullptr);

}  // namespace rapport::render
