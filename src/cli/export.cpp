#include "export.hpp"

#include "output.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <cstdio>

namespace rapport::cli {

std::string ExportQuery(const std::string& format, const std::string& table) {
  std::string query = "?format=" + format;
  if (table.empty()) return query;
  query += "&table=";
  for (unsigned char c : table) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      query += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      query += hex;
    }
  }
  return query;
}

void AddReportExportCommand(CLI::App* reports, Session& session) {
  static std::string report_id, format, table, output;
  auto* cmd = reports->add_subcommand(
      "export",
      "Download a report's tables as CSV or XLSX, e.g. rapport reports export rpt_… --format "
      "xlsx -o report.xlsx (SLA tables: sites, groups, faults, daily; brand: results, citations)");
  cmd->add_option("REPORT_ID", report_id, "The report's id (rpt_…)")->required();
  cmd->add_option("--format", format, "csv (one table) or xlsx (a sheet per table)")
      ->required()
      ->check(CLI::IsMember({"csv", "xlsx"}));
  cmd->add_option("--table", table,
                  "The table to export (CSV default: the first, sites or results; XLSX default: "
                  "every table)");
  cmd->add_option("--output,-o", output, "File to write; - for standard output")->required();
  cmd->callback([&] {
    std::string query = ExportQuery(format, table);
    session.exit_code = session.Download({"/reports/sla/reports/" + report_id + "/export" + query,
                                          "/v1/reports/" + report_id + "/export" + query},
                                         output);
  });
}

}  // namespace rapport::cli
