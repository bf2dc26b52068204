// How both API families answer a report's export (`GET …/reports/{id}/export`): the query
// parameters, the file's name and type, and conditional GETs of the immutable bytes.
#pragma once

#include <rapport/api/context.hpp>
#include <rapport/render/export.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rapport::api {

// What the query asks for: `format` (required: "csv" or "xlsx") and `table` (optional: the key
// of one of `tables`; CSV holds one table, the first unless named; XLSX holds every table, or
// only the named one). kValidation naming the allowed values otherwise.
struct ExportChoice {
  std::string format;
  std::optional<std::string> table;
};
Result<ExportChoice> ReadExportChoice(const RequestContext& ctx,
                                      const std::vector<ExportTable>& tables);

// The export of a report's `tables` as `ReadExportChoice` reads it: "text/csv; charset=utf-8;
// header=present" or the XLSX media type, as an attachment named "<base_name>-<table>.csv" or
// "<base_name>.xlsx" (or "<base_name>-<table>.xlsx" with a table), with a strong ETag of its
// bytes and `Cache-Control: private, no-cache` (304 on a matching If-None-Match). `created`: the
// report's creation, which dates the workbook.
Result<Reply> ExportReply(const RequestContext& ctx, std::vector<ExportTable> tables,
                          const std::string& base_name, UnixMs created);

}  // namespace rapport::api
