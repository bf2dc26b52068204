#include <rapport/sla/sla_export.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;
using T = ExportType;

const std::vector<ExportColumn>& SiteColumns() {
  static const std::vector<ExportColumn> columns{{"site_id", T::kText},
                                                 {"site_name", T::kText},
                                                 {"tags", T::kText},
                                                 {"uptime_percentage", T::kNumber},
                                                 {"downtime_seconds", T::kInteger},
                                                 {"monitored_seconds", T::kInteger},
                                                 {"fault_count", T::kInteger},
                                                 {"longest_outage_seconds", T::kInteger},
                                                 {"mttr_seconds", T::kInteger},
                                                 {"breached", T::kBool},
                                                 {"maintenance_seconds", T::kInteger},
                                                 {"error_budget_seconds", T::kInteger},
                                                 {"budget_remaining_seconds", T::kInteger},
                                                 {"budget_remaining_percent", T::kNumber},
                                                 {"burn_rate", T::kNumber},
                                                 {"budget_exhausted", T::kBool}};
  return columns;
}

const std::vector<ExportColumn>& GroupColumns() {
  static const std::vector<ExportColumn> columns{{"key", T::kText},
                                                 {"value", T::kText},
                                                 {"aggregation", T::kText},
                                                 {"uptime_percentage", T::kNumber},
                                                 {"site_count", T::kInteger},
                                                 {"breached_site_count", T::kInteger},
                                                 {"breached", T::kBool},
                                                 {"site_ids", T::kText},
                                                 {"error_budget_seconds", T::kInteger},
                                                 {"budget_remaining_seconds", T::kInteger},
                                                 {"budget_remaining_percent", T::kNumber},
                                                 {"burn_rate", T::kNumber},
                                                 {"budget_exhausted", T::kBool}};
  return columns;
}

const std::vector<ExportColumn>& FaultColumns() {
  static const std::vector<ExportColumn> columns{
      {"fault_id", T::kText},           {"site_id", T::kText},
      {"site_name", T::kText},          {"cause", T::kText},
      {"started_at", T::kInstant},      {"resolved_at", T::kInstant},
      {"downtime_seconds", T::kInteger}};
  return columns;
}

const std::vector<ExportColumn>& DailyColumns() {
  static const std::vector<ExportColumn> columns{{"date", T::kDate},
                                                 {"uptime_percentage", T::kNumber}};
  return columns;
}

// A site's tags as "key=value; key=value" (sorted by key, as the report stores them).
json::array SitesWithTagText(const json::value* sites) {
  json::array out;
  if (!sites || !sites->is_array()) return out;
  for (const auto& v : sites->as_array()) {
    if (!v.is_object()) continue;
    json::object site = v.as_object();
    if (auto* tags = site.if_contains("tags"); tags && tags->is_object()) {
      std::string text;
      for (const auto& [key, value] : tags->as_object()) {
        text += (text.empty() ? "" : "; ") + std::string(key) + "=" +
                (value.is_string() ? std::string(value.as_string()) : json::serialize(value));
      }
      *tags = text;
    }
    out.push_back(std::move(site));
  }
  return out;
}

ExportTable Table(std::string key, std::string title, const std::vector<ExportColumn>& columns,
                  const json::value* rows) {
  return ExportTable{.key = std::move(key),
                     .title = std::move(title),
                     .columns = columns,
                     .rows = ExportRowsOf(rows, columns)};
}

}  // namespace

std::vector<ExportTable> SlaExportTables(const json::object& report) {
  json::value sites = SitesWithTagText(report.if_contains("sites"));
  std::vector<ExportTable> tables;
  tables.push_back(Table("sites", "Sites", SiteColumns(), &sites));
  tables.push_back(Table("groups", "Groups", GroupColumns(), report.if_contains("groups")));
  tables.push_back(Table("faults", "Faults", FaultColumns(), report.if_contains("top_faults")));
  tables.push_back(Table("daily", "Daily", DailyColumns(), report.if_contains("daily")));
  return tables;
}

std::string SlaReportFileStem(const json::object& report) {
  auto text = [&](const char* key) {
    const auto* v = report.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  return "sla-report-" + text("from_date") + "-to-" + text("to_date");
}

}  // namespace rapport
