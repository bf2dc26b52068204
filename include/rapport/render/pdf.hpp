// PDF rendering of stored reports, in process, with cairo (PDF surface, vector charts) and pango
// (text layout, bidirectional text, font fallback). Fonts come from the Debian packages the set-up
// script installs and are embedded as subsets.
//
// Both renderers read the JSON object stored as the report's body, so every number in a PDF is the
// JSON report's number, written by the functions in format.hpp. They are deterministic: the same
// report gives the same bytes (the document's dates are the report's `created_at`), so a PDF's
// ETag is stable. Pages are streamed: beyond the report JSON itself, memory does not grow with the
// number of rows. Thread-safe (pango keeps one font map per thread; keep threads long-lived, the
// first page on a thread pays ~40 ms of font set-up). Errors: kInternal when cairo fails or the
// sink refuses bytes.
#pragma once

#include <rapport/core/result.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace rapport {

// Receives the PDF's bytes in order; returns false to abort the rendering.
using PdfSink = std::function<bool(std::string_view bytes)>;

// A tenant's branding (its white-label) as a PDF shows it: the logo at a fixed height and the
// name above the cover, the accent colour on the cover's kind line and title rule, the name in
// the footer instead of "Rapport". Empty: the report looks exactly as without branding.
struct PdfBranding {
  std::string name;
  std::string accent_color;       // "#RRGGBB"; "" for Rapport's blue
  std::string logo_content_type;  // "image/png" or "image/svg+xml"
  std::string logo;               // bytes; "" for none
  bool empty() const { return name.empty() && accent_color.empty() && logo.empty(); }
};

// An SLA report (as SlaReportJob stores it): cover, KPIs, daily uptime chart, per-site heat strip,
// group table, the per-site table worst first (only breached sites when the schedule's
// `show_only_breached_sites_in_pdf` is set; totals still cover all), and an appendix of the
// faults that cost the most downtime.
Status RenderSlaPdf(const boost::json::object& report, const PdfSink& sink);
Status RenderSlaPdf(const boost::json::object& report, const PdfSink& sink,
                    const PdfBranding& branding);

// A brand visibility report (as BrandReportJob stores it): visibility score with its interval and
// the trend against the previous report when the report carries it, per-platform and per-category
// breakdown, share of voice against competitors, accuracy against the brand's facts, the prompts
// table and answer excerpts with their citations.
Status RenderBrandPdf(const boost::json::object& report, const PdfSink& sink);
Status RenderBrandPdf(const boost::json::object& report, const PdfSink& sink,
                      const PdfBranding& branding);

// Either renderer into one string.
Result<std::string> RenderPdfToString(const boost::json::object& report,
                                      Status (*render)(const boost::json::object& report,
                                                       const PdfSink& sink));
// The same with the tenant's branding.
Result<std::string> RenderPdfToString(const boost::json::object& report,
                                      const PdfBranding& branding,
                                      Status (*render)(const boost::json::object& report,
                                                       const PdfSink& sink,
                                                       const PdfBranding& branding));

}  // namespace rapport
