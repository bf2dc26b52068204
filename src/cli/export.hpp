// `rapport reports export ID --format csv|xlsx [--table T] -o FILE`: a report's tables as CSV or
// XLSX (GET /reports/sla/reports/{id}/export, or /v1/reports/{id}/export for a brand report).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

// The query of an export request: "?format=<format>" and "&table=<table>" when given, the table
// percent-encoded.
std::string ExportQuery(const std::string& format, const std::string& table);

// Adds `export` under the `reports` command.
void AddReportExportCommand(CLI::App* reports, Session& session);

}  // namespace rapport::cli
