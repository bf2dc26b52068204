#include <rapport/api/query.hpp>

#include <rapport/core/ids.hpp>

#include <rapport/api/pagination.hpp>

namespace rapport::api {

std::optional<std::string> QueryText(const RequestContext& ctx, std::string_view name) {
  auto v = ctx.Query(name);
  if (!v || v->empty()) return std::nullopt;
  return std::string(*v);
}

Result<std::optional<UnixMs>> QueryInstant(const RequestContext& ctx, std::string_view name) {
  auto text = QueryText(ctx, name);
  if (!text) return std::optional<UnixMs>{};
  auto ms = ParseRfc3339(*text);
  if (!ms) {
    return ParameterError("query." + std::string(name),
                          "must be an RFC 3339 timestamp such as \"2026-01-31T08:00:00Z\"",
                          "datetime_parsing");
  }
  return std::optional<UnixMs>(*ms);
}

Result<std::optional<bool>> QueryBool(const RequestContext& ctx, std::string_view name) {
  auto v = QueryText(ctx, name);
  if (!v) return std::optional<bool>{};
  if (*v == "true") return std::optional<bool>(true);
  if (*v == "false") return std::optional<bool>(false);
  return ParameterError("query." + std::string(name), "must be true or false", "bool_parsing");
}

Result<std::string> RequiredId(const RequestContext& ctx, std::string_view name,
                               std::string_view prefix) {
  auto v = QueryText(ctx, name);
  if (!v) {
    return Error::FromProblems(ErrorCode::kValidation,
                               {{"query." + std::string(name), "field required", "missing"}});
  }
  if (!IsValidId(*v, prefix)) {
    return ParameterError("query." + std::string(name),
                          "must be an id starting with " + std::string(prefix) + "_", "pattern");
  }
  return *v;
}

}  // namespace rapport::api
