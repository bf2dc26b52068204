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

// An SLA report (as SlaReportJob stores it): cover, KPIs, daily uptime chart, per-site heat strip,
// group table, the per-site table worst first (only breached sites when the schedule's
// `show_only_breached_sites_in_pdf` is set; totals still cover all), and an appendix of the
// faults that cost the most downtime.
Status RenderSlaPdf(const boost::json::object& report, const PdfSink& sink);

// A brand visibility report (as BrandReportJob stores it): visibility score with its interval and
// the trend against the previous report when the report carries it, per-platform and per-category
// breakdown, share of voice against competitors, accuracy against the brand's facts, the prompts
// table and answer excerpts with their citations.
Status RenderBrandPdf(const boost::json::object& report, const PdfSink& sink);

// Either renderer into one string.
Result<std::string> RenderPdfToString(const boost::json::object& report,
                                      Status (*render)(const boost::json::object& report,
                                                       const PdfSink& sink));

}  // namespace rapport
