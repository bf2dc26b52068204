// A tenant's white-label as the PDF renderers draw it: read by each kind's report job when it
// renders, so a report keeps the branding of its time (its PDF is immutable).
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/render/pdf.hpp>
#include <rapport/store/interfaces.hpp>

#include <string>

namespace rapport {

// The branding of `tenant_id`; empty (no branding) for a tenant without a white-label row.
Result<PdfBranding> PdfBrandingOf(WhiteLabelStore& labels, const std::string& tenant_id);

}  // namespace rapport
