// A brand report as the /v1 API shows it: the report object, its summary, and its prompts (each
// with its per-platform results) paged: a report object inlines at most kInlineReportPrompts of
// them and points at GET /v1/reports/{id}/prompts for all.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/records.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr size_t kInlineReportPrompts = 50;

// One `prompts[]` item of a report; `id` is its prompt_id (the cursor of the list).
struct ReportPrompt {
  std::string id;
  boost::json::object item;
};

// The report object: the stored body's fields with id, job_id, has_pdf and created_at.
boost::json::object BrandReportToJson(const Report& report);
// The report object without its per-prompt answers (`object: "report.summary"`).
boost::json::object BrandReportSummaryToJson(const Report& report);

// The report's prompts after `page.after_id` (a prompt id of this report), in report order.
// kValidation (query.cursor) when the cursor names no prompt of the report.
Result<Page<ReportPrompt>> ReportPrompts(const Report& report, const PageRequest& page);

// Cuts a report object's `prompts` to the first kInlineReportPrompts and adds `prompts_total`
// (how many the report has) and `prompts_url` (where all of them are).
void CapInlinePrompts(boost::json::object& report_object);

}  // namespace rapport
