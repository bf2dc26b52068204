// The SLA report's tables for CSV and XLSX exports (render/export.hpp writes them): its site
// rows, group rows, the faults appendix and the daily uptime, read from the report's JSON, so an
// export of a report never changes.
#pragma once

#include <rapport/render/export.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace rapport {

// "sites", "groups", "faults", "daily", in that order (CSV's default is "sites"). Each has a
// fixed column list; fields the report gains later are not exported until a column names them.
std::vector<ExportTable> SlaExportTables(const boost::json::object& report);

// "sla-report-<from>-to-<to>": the stem of the export's and the PDF's file names.
std::string SlaReportFileStem(const boost::json::object& report);

}  // namespace rapport
