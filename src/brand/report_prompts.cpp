#include <rapport/brand/report_prompts.hpp>

#include <rapport/core/time.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace rapport {

namespace json = boost::json;

json::object BrandReportToJson(const Report& report) {
  json::value body = json::parse(report.body);
  json::object out{{"id", report.id}, {"object", "report"}};
  for (auto& [k, v] : body.as_object()) out[k] = std::move(v);
  out["job_id"] = report.job_id;
  out["has_pdf"] = report.has_pdf;
  out["created_at"] = FormatRfc3339(report.created_at);
  return out;
}

json::object BrandReportSummaryToJson(const Report& report) {
  json::object full = BrandReportToJson(report);
  full.erase("prompts");
  full["object"] = "report.summary";
  return full;
}

Result<Page<ReportPrompt>> ReportPrompts(const Report& report, const PageRequest& page) {
  json::value body = json::parse(report.body);
  const auto* prompts = body.as_object().if_contains("prompts");
  json::array items = prompts && prompts->is_array() ? prompts->as_array() : json::array{};
  size_t start = 0;
  if (page.after_id) {
    auto it = std::find_if(items.begin(), items.end(), [&](const json::value& p) {
      const auto* id = p.is_object() ? p.as_object().if_contains("prompt_id") : nullptr;
      return id && id->is_string() && id->as_string() == *page.after_id;
    });
    if (it == items.end()) {
      return Error::FromProblems(
          ErrorCode::kValidation,
          {{"query.cursor", "is not a cursor returned by this list", "cursor_invalid"}});
    }
    start = static_cast<size_t>(it - items.begin()) + 1;
  }
  Page<ReportPrompt> out;
  for (size_t i = start; i < items.size(); ++i) {
    if (out.items.size() == static_cast<size_t>(page.limit)) {
      out.has_more = true;
      break;
    }
    if (!items[i].is_object()) continue;
    json::object& item = items[i].as_object();
    const auto* id = item.if_contains("prompt_id");
    out.items.push_back({id && id->is_string() ? std::string(id->as_string()) : "", item});
  }
  return out;
}

void CapInlinePrompts(json::object& report_object) {
  auto* prompts = report_object.if_contains("prompts");
  if (!prompts || !prompts->is_array()) return;
  json::array& items = prompts->as_array();
  report_object["prompts_total"] = static_cast<int64_t>(items.size());
  if (items.size() > kInlineReportPrompts) {
    items.erase(items.begin() + kInlineReportPrompts, items.end());
  }
  if (const auto* id = report_object.if_contains("id"); id && id->is_string()) {
    report_object["prompts_url"] = "/v1/reports/" + std::string(id->as_string()) + "/prompts";
  }
}

}  // namespace rapport
