// Tables of a stored report as CSV or XLSX. A report kind turns its report JSON into tables
// (columns with a type, rows of JSON values taken from the report); these writers know no kind.
//
// Both writers are deterministic: the same tables give the same bytes (the workbook's creation
// date is the caller's, never the clock), so an export's ETag is stable and an e-mail re-sent
// carries the same attachment. Thread-safe (no shared state).
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace rapport {

// How a column's JSON values become cells. A value that does not fit its type (a string in a
// number column, a malformed instant) is written as text; null is an empty cell.
enum class ExportType {
  kText,     // strings (arrays of strings are joined with "; ")
  kNumber,   // JSON numbers: XLSX number cells shown with 1 to 3 decimals ("0.0##"), CSV shortest
             // form
  kInteger,  // JSON integers: XLSX number cells without decimals
  kBool,     // true/false: XLSX boolean cells, CSV "true"/"false"
  kInstant,  // RFC 3339 text: XLSX date-time cells (UTC, "yyyy-mm-dd hh:mm:ss"), CSV as stored
  kDate,     // "YYYY-MM-DD": XLSX date cells ("yyyy-mm-dd"), CSV as stored
};

struct ExportColumn {
  std::string name;  // the header cell, e.g. "uptime_percentage"
  ExportType type = ExportType::kText;
};

struct ExportTable {
  std::string key;    // what `?table=` names, e.g. "sites"
  std::string title;  // the XLSX sheet name (at most 31 characters, none of []:*?/\), e.g. "Sites"
  std::vector<ExportColumn> columns;
  std::vector<std::vector<boost::json::value>> rows;  // each as long as `columns`
};

// RFC 4180: UTF-8 without a byte-order mark, a header row of the column names, CRLF line ends,
// a field quoted when it holds a comma, a quote, CR or LF (quotes doubled). A text cell that a
// spreadsheet would take for a formula (starting with =, +, -, @, tab or CR) is prefixed with
// an apostrophe (OWASP's CSV injection advice); number and date columns are written as they are.
std::string WriteCsv(const ExportTable& table);

// An XLSX workbook with one sheet per table, in order: the header row bold on a grey fill and
// frozen, an autofilter over the table, each column as wide as its longest cell (8 to 60
// characters). `created` is the workbook's creation date (the report's), which also dates the
// files inside the zip. kInternal when libxlsxwriter fails (it writes through a temporary file).
Result<std::string> WriteXlsx(const std::vector<ExportTable>& tables, UnixMs created);

}  // namespace rapport

namespace rapport {

// The rows of a table taken from a JSON array of objects: per object, the member named by each
// column (null when absent); members no column names are left out, so a report that gains
// fields exports as before. A missing or non-array `array` gives no rows.
std::vector<std::vector<boost::json::value>> ExportRowsOf(const boost::json::value* array,
                                                          const std::vector<ExportColumn>& columns);

}  // namespace rapport
