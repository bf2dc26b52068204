// POST /faults/import: faults from CSV (a header row naming the fields of POST /faults, plus
// `external_id`), every row valid or none stored. Rows are numbered as a spreadsheet shows them:
// the header is row 1.
#include <rapport/sla/fault_service.hpp>

#include <rapport/core/ids.hpp>

#include "csv.hpp"
#include "fault_fields.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace rapport {
namespace {

namespace json = boost::json;
using namespace fault_fields;  // NOLINT(google-build-using-namespace)

const std::vector<std::string_view> kColumns = {"resource_id", "type",        "severity",
                                                "status",      "cause",       "message",
                                                "created_at",  "resolved_at", "external_id"};

struct Problems {
  std::vector<std::string> items;
  void Add(size_t row, std::string_view column, std::string_view msg) {
    std::string text = "row " + std::to_string(row);
    if (!column.empty()) text += ", column " + std::string(column);
    items.push_back(text + ": " + std::string(msg));
  }
  Error ToError() const {
    std::string message = items.size() == 1
                              ? "1 problem in the CSV: "
                              : std::to_string(items.size()) + " problems in the CSV: ";
    for (size_t i = 0; i < items.size(); ++i) {
      message += (i ? "; " : "") + items[i];
    }
    json::array rows;
    for (const auto& p : items) rows.push_back(json::string(p));
    return Error(ErrorCode::kBodyValidation, message, json::object{{"problems", std::move(rows)}});
  }
};

// The header's columns, or problems naming the unknown, repeated and missing ones.
std::vector<std::string> ReadHeader(const csv::Record& header, Problems& problems) {
  if (!header.problem.empty()) problems.Add(1, "", header.problem);
  std::vector<std::string> columns;
  for (const auto& raw : header.fields) {
    std::string name = raw;
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      problems.Add(1, name,
                   "unknown column (known: resource_id, type, severity, status, cause, "
                   "message, created_at, resolved_at, external_id)");
    } else if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
      problems.Add(1, name, "the column appears twice");
    }
    columns.push_back(name);
  }
  for (std::string_view required : {"resource_id", "type", "severity"}) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      problems.Add(1, required, "required column missing from the header row");
    }
  }
  return columns;
}

bool IsBlank(const csv::Record& r) {
  return r.problem.empty() && r.fields.size() == 1 && r.fields[0].empty();
}

struct ImportRow {
  size_t row = 0;
  Fault fault;
};

// One data row as a fault (problems recorded under its row number). `keys`: external_id -> row.
void ReadRow(const csv::Record& record, size_t row, const std::vector<std::string>& columns,
             const std::set<std::string>& sites, UnixMs now, std::map<std::string, size_t>& keys,
             Problems& problems, std::vector<ImportRow>& out) {
  if (!record.problem.empty()) return problems.Add(row, "", record.problem);
  if (record.fields.size() != columns.size()) {
    return problems.Add(row, "",
                        "has " + std::to_string(record.fields.size()) + " fields, the header row " +
                            std::to_string(columns.size()));
  }
  json::object fields;
  std::optional<std::string> external_id;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (record.fields[i].empty()) continue;
    if (columns[i] == "external_id") {
      external_id = record.fields[i];
    } else {
      fields[columns[i]] = record.fields[i];
    }
  }
  BodyReader reader(fields, "");
  ImportRow item{.row = row};
  ReadNewFault(reader, item.fault, sites, now);
  for (const auto& p : reader.problems()) problems.Add(row, p.loc, p.msg);
  if (external_id) {
    if (external_id->size() > 200) {
      problems.Add(row, "external_id", "must be at most 200 characters");
    } else if (auto [it, fresh] = keys.emplace(*external_id, row); !fresh) {
      problems.Add(row, "external_id", "repeats row " + std::to_string(it->second));
    }
    item.fault.source_key = "csv:" + *external_id;
  }
  out.push_back(std::move(item));
}

}  // namespace

Result<json::object> FaultService::ImportCsv(const std::string& tenant_id, std::string_view text) {
  std::vector<csv::Record> records = csv::Parse(text, kMaxBulkFaults + 1);
  Problems problems;
  if (records.empty() || IsBlank(records.front())) {
    problems.Add(1, "", "the header row is missing (the body is empty)");
    return problems.ToError();
  }
  if (records.size() > kMaxBulkFaults + 1) {
    problems.Add(records.size(), "",
                 "too many rows: at most " + std::to_string(kMaxBulkFaults) + " faults per import");
    return problems.ToError();
  }
  std::vector<std::string> columns = ReadHeader(records.front(), problems);
  if (!problems.items.empty()) return problems.ToError();
  RAPPORT_TRY(std::set<std::string> sites, SiteIds(sites_, tenant_id));
  UnixMs now = clock_.NowMs();
  std::map<std::string, size_t> keys;
  std::vector<ImportRow> rows;
  for (size_t i = 1; i < records.size(); ++i) {
    if (IsBlank(records[i])) continue;
    ReadRow(records[i], i + 1, columns, sites, now, keys, problems, rows);
  }
  if (rows.empty() && problems.items.empty()) problems.Add(2, "", "no fault rows after the header");
  if (!problems.items.empty()) return problems.ToError();
  std::vector<Fault> faults;
  for (auto& r : rows) faults.push_back(std::move(r.fault));
  const auto count = static_cast<int64_t>(faults.size());
  RAPPORT_TRY(json::object summary,
              StoreSourceFaults(faults_, tenant_id, std::move(faults), count, now));
  int64_t imported = summary.at("changed").as_int64();
  return json::object{{"rows", count}, {"imported", imported}, {"unchanged", count - imported}};
}

}  // namespace rapport
