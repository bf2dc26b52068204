#include <rapport/brand/brand_export.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;
using T = ExportType;

const std::vector<ExportColumn>& ResultColumns() {
  static const std::vector<ExportColumn> columns{{"prompt_id", T::kText},
                                                 {"prompt_text", T::kText},
                                                 {"category", T::kText},
                                                 {"platform", T::kText},
                                                 {"sample", T::kInteger},
                                                 {"status", T::kText},
                                                 {"model", T::kText},
                                                 {"brand_appears", T::kBool},
                                                 {"position", T::kInteger},
                                                 {"sentiment", T::kText},
                                                 {"competitors_mentioned", T::kText},
                                                 {"citations", T::kText},
                                                 {"latency_ms", T::kInteger},
                                                 {"error", T::kText}};
  return columns;
}

const std::vector<ExportColumn>& CitationColumns() {
  static const std::vector<ExportColumn> columns{
      {"prompt_id", T::kText}, {"platform", T::kText}, {"sample", T::kInteger}, {"url", T::kText},
      {"title", T::kText},     {"domain", T::kText},   {"origin", T::kText}};
  return columns;
}

const char* const kPromptFields[] = {"prompt_id", "prompt_text", "category"};

// Every answer of every prompt, flattened: the result's fields plus its prompt's; then every
// source of those answers with the answer it came from.
std::pair<json::array, json::array> Flatten(const json::value* prompts) {
  json::array results, citations;
  if (!prompts || !prompts->is_array()) return {};
  for (const auto& p : prompts->as_array()) {
    const auto* rows = p.is_object() ? p.as_object().if_contains("results") : nullptr;
    if (!rows || !rows->is_array()) continue;
    for (const auto& r : rows->as_array()) {
      if (!r.is_object()) continue;
      json::object row = r.as_object();
      for (const char* key : kPromptFields) {
        if (const auto* v = p.as_object().if_contains(key)) row[key] = *v;
      }
      if (const auto* sources = row.if_contains("sources"); sources && sources->is_array()) {
        for (const auto& s : sources->as_array()) {
          if (!s.is_object()) continue;
          json::object cited = s.as_object();
          for (const char* key : {"prompt_id", "platform", "sample"}) cited[key] = row[key];
          citations.push_back(std::move(cited));
        }
      }
      results.push_back(std::move(row));
    }
  }
  return {std::move(results), std::move(citations)};
}

}  // namespace

std::vector<ExportTable> BrandExportTables(const json::object& report) {
  auto [results, citations] = Flatten(report.if_contains("prompts"));
  json::value result_rows = std::move(results), citation_rows = std::move(citations);
  std::vector<ExportTable> tables;
  tables.push_back({.key = "results",
                    .title = "Results",
                    .columns = ResultColumns(),
                    .rows = ExportRowsOf(&result_rows, ResultColumns())});
  tables.push_back({.key = "citations",
                    .title = "Citations",
                    .columns = CitationColumns(),
                    .rows = ExportRowsOf(&citation_rows, CitationColumns())});
  return tables;
}

}  // namespace rapport
