#include <rapport/api/pagination.hpp>

#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>

#include <charconv>

namespace rapport::api {

std::optional<std::string_view> RequestContext::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

Error ParameterError(std::string_view loc, std::string msg, std::string type) {
  return Error::FromProblems(ErrorCode::kValidation,
                             {{std::string(loc), std::move(msg), std::move(type)}});
}

Result<PageRequest> ReadPageRequest(const RequestContext& ctx, std::string_view id_prefix,
                                    int default_limit) {
  PageRequest page{default_limit, std::nullopt};
  if (auto limit = ctx.Query("limit")) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > 100) {
      return ParameterError("query.limit", "must be an integer between 1 and 100", "int_parsing");
    }
    page.limit = n;
  }
  if (auto cursor = ctx.Query("cursor"); cursor && !cursor->empty()) {
    auto decoded = cursor->size() <= 128 ? Base64UrlDecode(*cursor) : std::nullopt;
    if (!decoded || !decoded->starts_with("c1:") || !IsValidId(decoded->substr(3), id_prefix)) {
      return ParameterError("query.cursor", "is not a cursor returned by this list",
                            "cursor_invalid");
    }
    page.after_id = decoded->substr(3);
  }
  return page;
}

std::string EncodeCursor(const std::string& last_id) { return Base64UrlEncode("c1:" + last_id); }

}  // namespace rapport::api
