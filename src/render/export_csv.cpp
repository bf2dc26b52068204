// RFC 4180 CSV of one export table.
#include <rapport/core/json.hpp>
#include <rapport/render/export.hpp>

#include "export_cells.hpp"

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

// The field as RFC 4180 writes it: quoted when it must be.
std::string Quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A text cell a spreadsheet would evaluate, made inert.
std::string Defused(std::string text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  return text;
}

std::string CsvCell(const json::value& v, ExportType type) {
  if (v.is_null()) return "";
  switch (type) {
    case ExportType::kNumber:
    case ExportType::kInteger:
      if (v.is_number()) return ToJson(v);
      break;
    case ExportType::kBool:
      if (v.is_bool()) return v.as_bool() ? "true" : "false";
      break;
    case ExportType::kInstant:
    case ExportType::kDate:
      if (v.is_string()) return std::string(v.as_string());
      break;
    case ExportType::kText:
      break;
  }
  return Defused(CellText(v));
}

}  // namespace

std::string WriteCsv(const ExportTable& table) {
  std::string out;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) out += ',';
    out += Quoted(table.columns[c].name);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) out += ',';
      if (c < row.size()) out += Quoted(CsvCell(row[c], table.columns[c].type));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace rapport

namespace rapport {

std::vector<std::vector<boost::json::value>> ExportRowsOf(
    const boost::json::value* array, const std::vector<ExportColumn>& columns) {
  std::vector<std::vector<boost::json::value>> rows;
  if (!array || !array->is_array()) return rows;
  for (const auto& item : array->as_array()) {
    if (!item.is_object()) continue;
    std::vector<boost::json::value> row;
    row.reserve(columns.size());
    for (const auto& c : columns) {
      const auto* v = item.as_object().if_contains(c.name);
      row.push_back(v ? *v : boost::json::value(nullptr));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace rapport
