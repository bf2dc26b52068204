#include <rapport/api/dialect.hpp>

#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport::api {
namespace {

namespace json = boost::json;

// "body.name" -> "name"; "query.limit" -> "limit".
std::string ParameterName(std::string_view loc) {
  size_t dot = loc.find('.');
  return std::string(dot == loc.npos ? loc : loc.substr(dot + 1));
}

std::string SlaMessage(const Error& error) {
  const auto* errors = error.details().if_contains("errors");
  if (!errors || !errors->is_array() || errors->as_array().empty()) return error.message();
  const auto& first = errors->as_array().front().as_object();
  std::string loc;
  for (const auto& part : first.at("loc").as_array()) {
    if (!loc.empty()) loc += '.';
    loc += part.is_string() ? std::string(part.as_string()) : json::serialize(part);
  }
  std::string name = ParameterName(loc);
  if (first.at("type").as_string() == "missing") {
    return "The '" + name + "' parameter is required for this request.";
  }
  if (name == "body" || loc == "body") {
    return "The request body is invalid: " + std::string(first.at("msg").as_string()) + ".";
  }
  return "The '" + name + "' parameter is invalid: " + std::string(first.at("msg").as_string()) +
         ".";
}

}  // namespace

Dialect DialectOf(std::string_view path) {
  return path == "/v1" || path.starts_with("/v1/") ? Dialect::kV1 : Dialect::kSla;
}

Error MissingScope(Dialect dialect, const std::string& scope) {
  json::object details{{"required_scope", scope}};
  if (dialect == Dialect::kV1) return Error(ErrorCode::kForbidden, "", std::move(details));
  return Error(ErrorCode::kInsufficientScope, "This request requires the scope '" + scope + "'",
               std::move(details));
}

RenderedError RenderError(Dialect dialect, const Error& error, const std::string& correlation_id,
                          const std::string& public_url) {
  const ErrorSpec& spec = error.spec();
  if (dialect == Dialect::kV1) {
    json::object inner{{"code", spec.code}, {"message", error.message()}};
    if (!error.details().empty()) inner["details"] = error.details();
    json::object body{{"error", std::move(inner)}, {"request_id", correlation_id}};
    return {error.status(), json::serialize(body)};
  }
  bool request_error =
      error.code() == ErrorCode::kValidation || error.code() == ErrorCode::kBodyValidation;
  std::string code = error.SlaCode();
  json::object body{{"type", spec.sla_type},
                    {"code", code},
                    {"message", request_error ? SlaMessage(error) : error.message()},
                    {"doc_url", public_url + "/docs/errors#" + code}};
  return {request_error ? 400 : error.status(), json::serialize(body)};
}

}  // namespace rapport::api
