#include <rapport/reports/pdf_branding.hpp>

namespace rapport {

Result<PdfBranding> PdfBrandingOf(WhiteLabelStore& labels, const std::string& tenant_id) {
  auto label = labels.GetWhiteLabel(tenant_id);
  if (!label.ok()) {
    if (label.error().code() == ErrorCode::kNotFound) return PdfBranding{};
    return std::move(label).error();
  }
  return PdfBranding{label->name.value_or(""), label->accent_color.value_or(""),
                     label->logo_content_type, label->logo};
}

}  // namespace rapport
