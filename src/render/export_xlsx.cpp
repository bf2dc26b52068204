// XLSX workbooks of export tables, written by libxlsxwriter (Debian libxlsxwriter-dev).
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/render/export.hpp>

#include "export_cells.hpp"

#include <xlsxwriter.h>
#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr double kExcelEpochDays = 25569.0;  // 1970-01-01 as an Excel serial day
constexpr double kMsPerDay = 86'400'000.0;
constexpr size_t kMinWidth = 8, kMaxWidth = 60;

struct Formats {
  lxw_format* header;
  lxw_format* number;
  lxw_format* integer;
  lxw_format* instant;
  lxw_format* date;
};

Formats MakeFormats(lxw_workbook* book) {
  Formats f{};
  f.header = workbook_add_format(book);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9D9D9);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.number = workbook_add_format(book);
  format_set_num_format(f.number, "0.0##");
  f.integer = workbook_add_format(book);
  format_set_num_format(f.integer, "0");
  f.instant = workbook_add_format(book);
  format_set_num_format(f.instant, "yyyy-mm-dd hh:mm:ss");
  f.date = workbook_add_format(book);
  format_set_num_format(f.date, "yyyy-mm-dd");
  return f;
}

// The Excel serial date of an RFC 3339 instant or a "YYYY-MM-DD" date.
std::optional<double> SerialOf(const json::value& v, ExportType type) {
  if (!v.is_string()) return std::nullopt;
  std::string text(v.as_string());
  if (type == ExportType::kDate) {
    if (text.size() != 10) return std::nullopt;
    text += "T00:00:00Z";
  }
  auto ms = ParseRfc3339(text);
  if (!ms) return std::nullopt;
  return kExcelEpochDays + static_cast<double>(*ms) / kMsPerDay;
}

// Writes one cell; returns the width its text needs.
size_t WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const json::value& v,
                 ExportType type, const Formats& f) {
  if (v.is_null()) return 0;
  if ((type == ExportType::kNumber || type == ExportType::kInteger) && v.is_number()) {
    worksheet_write_number(sheet, row, col, v.to_number<double>(),
                           type == ExportType::kInteger ? f.integer : f.number);
    return ToJson(v).size();
  }
  if (type == ExportType::kBool && v.is_bool()) {
    worksheet_write_boolean(sheet, row, col, v.as_bool(), nullptr);
    return 5;
  }
  if (type == ExportType::kInstant || type == ExportType::kDate) {
    if (auto serial = SerialOf(v, type)) {
      bool instant = type == ExportType::kInstant;
      worksheet_write_number(sheet, row, col, *serial, instant ? f.instant : f.date);
      return instant ? 19 : 10;
    }
  }
  std::string text = CellText(v);
  worksheet_write_string(sheet, row, col, text.c_str(), nullptr);
  return Utf8Length(text);
}

// False when libxlsxwriter refuses the sheet's name.
bool WriteSheet(lxw_workbook* book, const ExportTable& table, const Formats& f) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, table.title.c_str());
  if (!sheet) return false;
  std::vector<size_t> widths(table.columns.size(), kMinWidth);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    auto col = static_cast<lxw_col_t>(c);
    worksheet_write_string(sheet, 0, col, table.columns[c].name.c_str(), f.header);
    widths[c] = std::max(widths[c], Utf8Length(table.columns[c].name) + 2);
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
      size_t need = WriteCell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                              row[c], table.columns[c].type, f);
      widths[c] = std::max(widths[c], need + 1);
    }
  }
  for (size_t c = 0; c < widths.size(); ++c) {
    auto col = static_cast<lxw_col_t>(c);
    worksheet_set_column(sheet, col, col, static_cast<double>(std::min(widths[c], kMaxWidth)),
                         nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
  if (!table.columns.empty()) {
    worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                         static_cast<lxw_col_t>(table.columns.size() - 1));
  }
  return true;
}

Result<std::string> ReadAndRemove(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!in) return Error(ErrorCode::kInternal, "the XLSX file could not be read back");
  return bytes.str();
}

}  // namespace

Result<std::string> WriteXlsx(const std::vector<ExportTable>& tables, UnixMs created) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("rapport-export-" + NewUuidV4() + ".xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  if (!book) return Error(ErrorCode::kInternal, "libxlsxwriter could not create a workbook");
  lxw_doc_properties properties{};
  properties.created = static_cast<time_t>(created / 1000);
  workbook_set_properties(book, &properties);
  Formats formats = MakeFormats(book);
  bool written = std::all_of(tables.begin(), tables.end(),
                             [&](const ExportTable& t) { return WriteSheet(book, t, formats); });
  lxw_error closed = workbook_close(book);
  if (!written || closed != LXW_NO_ERROR) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return Error(ErrorCode::kInternal,
                 std::string("libxlsxwriter failed: ") +
                     (written ? lxw_strerror(closed) : "a sheet name was refused"));
  }
  return ReadAndRemove(path);
}

std::string CellText(const json::value& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v.as_array()) {
      if (!out.empty()) out += "; ";
      out += CellText(item);
    }
    return out;
  }
  return ToJson(v);
}

}  // namespace rapport
