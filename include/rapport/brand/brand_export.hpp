// The brand report's tables for CSV and XLSX exports (render/export.hpp writes them): one row per
// answer (prompt × platform × sample) and one per cited source, read from the report's JSON, so
// an export of a report never changes.
#pragma once

#include <rapport/render/export.hpp>

#include <boost/json/object.hpp>

#include <vector>

namespace rapport {

// "results" then "citations" (CSV's default is "results"). Fixed column lists: fields the report
// gains later are not exported until a column names them.
std::vector<ExportTable> BrandExportTables(const boost::json::object& report);

}  // namespace rapport
