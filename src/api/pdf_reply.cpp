#include <rapport/api/pdf_reply.hpp>

#include <rapport/api/query.hpp>
#include <rapport/core/encoding.hpp>

namespace rapport::api {

bool IfNoneMatchHits(std::string_view header, std::string_view etag) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view tag = header.substr(pos, end - pos);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    pos = end + 1;
  }
  return false;
}

bool AnswerNotModified(const RequestContext& ctx, Reply& reply, const std::string& etag,
                       const std::string& cache_control) {
  reply.headers.emplace_back("ETag", etag);
  reply.headers.emplace_back("Cache-Control", cache_control);
  auto match = ctx.request.Header("if-none-match");
  if (!match || !IfNoneMatchHits(*match, etag)) return false;
  reply.status = 304;
  return true;
}

Result<Reply> PdfReply(const RequestContext& ctx, const ReportService& reports,
                       const std::string& report_id, const std::string& filename) {
  constexpr int64_t kPiece = 256 * 1024;
  RAPPORT_TRY(ArtifactInfo pdf, reports.PdfInfo(ctx.tenant(), report_id));
  std::string etag =
      "\"" +
      HexEncode(Sha256(report_id + "/" + pdf.name + "/" + std::to_string(pdf.size))).substr(0, 32) +
      "\"";
  Reply reply;
  reply.content_type = "application/pdf";
  if (AnswerNotModified(ctx, reply, etag, "private, no-cache")) return reply;
  reply.status = 200;
  reply.raw_length = pdf.size;
  reply.next_piece = [reports, tenant = ctx.tenant(), report_id,
                      offset = int64_t{0}]() mutable -> std::optional<std::string> {
    auto piece = reports.ReadPdf(tenant, report_id, offset, kPiece);
    if (!piece.ok()) return std::nullopt;
    offset += static_cast<int64_t>(piece->size());
    return std::move(*piece);
  };
  const bool inline_view = QueryText(ctx, "disposition") == std::optional<std::string>("inline");
  reply.headers.emplace_back(
      "Content-Disposition",
      std::string(inline_view ? "inline" : "attachment") + "; filename=\"" + filename + "\"");
  return reply;
}

}  // namespace rapport::api
