#include <rapport/api/export_reply.hpp>

#include <rapport/api/pagination.hpp>
#include <rapport/api/pdf_reply.hpp>
#include <rapport/api/query.hpp>
#include <rapport/core/encoding.hpp>

#include <algorithm>

namespace rapport::api {
namespace {

constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::string TableKeys(const std::vector<ExportTable>& tables) {
  std::string keys;
  for (const auto& t : tables) keys += (keys.empty() ? "" : ", ") + t.key;
  return keys;
}

}  // namespace

Result<ExportChoice> ReadExportChoice(const RequestContext& ctx,
                                      const std::vector<ExportTable>& tables) {
  ExportChoice choice;
  auto format = QueryText(ctx, "format");
  if (!format) return ParameterError("query.format", "must be one of csv, xlsx", "missing");
  if (*format != "csv" && *format != "xlsx") {
    return ParameterError("query.format", "must be one of csv, xlsx", "enum");
  }
  choice.format = *format;
  choice.table = QueryText(ctx, "table");
  if (choice.table && std::none_of(tables.begin(), tables.end(),
                                   [&](const ExportTable& t) { return t.key == *choice.table; })) {
    return ParameterError("query.table", "must be one of " + TableKeys(tables), "enum");
  }
  return choice;
}

Result<Reply> ExportReply(const RequestContext& ctx, std::vector<ExportTable> tables,
                          const std::string& base_name, UnixMs created) {
  RAPPORT_TRY(ExportChoice choice, ReadExportChoice(ctx, tables));
  if (tables.empty()) return Error(ErrorCode::kInternal, "the report kind exports no tables");
  if (choice.table) {
    std::erase_if(tables, [&](const ExportTable& t) { return t.key != *choice.table; });
  }
  Reply reply;
  std::string filename = base_name;
  if (choice.format == "csv") {
    reply.raw_body = WriteCsv(tables.front());
    reply.content_type = "text/csv; charset=utf-8; header=present";
    filename += "-" + tables.front().key + ".csv";
  } else {
    RAPPORT_TRY(reply.raw_body, WriteXlsx(tables, created));
    reply.content_type = std::string(kXlsxType);
    filename += (choice.table ? "-" + *choice.table : "") + ".xlsx";
  }
  std::string etag = "\"" + HexEncode(Sha256(reply.raw_body)).substr(0, 32) + "\"";
  if (AnswerNotModified(ctx, reply, etag, "private, no-cache")) {
    reply.raw_body.clear();
    return reply;
  }
  reply.status = 200;
  reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return reply;
}

}  // namespace rapport::api
