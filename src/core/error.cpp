#include <rapport/core/error.hpp>

#include <array>
#include <boost/json/array.hpp>
#include <charconv>

namespace rapport {
namespace {

constexpr std::string_view kInvalidRequest = "invalid_request_error";

constexpr std::array kSpecs = {
    ErrorSpec{"validation_error", 400, kInvalidRequest, "Request validation failed"},
    ErrorSpec{"body_validation_error", 422, kInvalidRequest,
              "Request body did not match the expected schema"},
    ErrorSpec{"idempotency_key_required", 400, kInvalidRequest,
              "The Idempotency-Key header is required on this request"},
    ErrorSpec{"unauthorized", 401, "authentication_error", "Missing or invalid credentials"},
    ErrorSpec{"forbidden", 403, "permission_error",
              "You do not have permission to access this resource"},
    ErrorSpec{"insufficient_scope", 403, "permission_error",
              "The token lacks the scope this request requires"},
    ErrorSpec{"not_found", 404, kInvalidRequest, "Resource not found"},
    ErrorSpec{"method_not_allowed", 405, kInvalidRequest,
              "The method is not allowed on this resource"},
    ErrorSpec{"conflict", 409, kInvalidRequest, "Resource conflict"},
    ErrorSpec{"idempotency_key_reused", 409, kInvalidRequest,
              "The Idempotency-Key was already used with a different request"},
    ErrorSpec{"idempotency_key_in_use", 409, kInvalidRequest,
              "A request with this Idempotency-Key is still being processed"},
    ErrorSpec{"payload_too_large", 413, kInvalidRequest, "The request body is too large"},
    ErrorSpec{"header_too_large", 431, kInvalidRequest, "The request headers are too large"},
    ErrorSpec{"rate_limit_exceeded", 429, "rate_limit_error", "Per-minute rate limit exceeded"},
    ErrorSpec{"internal_error", 500, "api_error", "An unexpected error occurred"},
    ErrorSpec{"service_unavailable", 503, "api_error",
              "Service temporarily unavailable, please retry"},
};
static_assert(kSpecs.size() == static_cast<size_t>(ErrorCode::kKind));

}  // namespace

const ErrorSpec& Spec(ErrorCode code) {
  if (code == ErrorCode::kKind) code = ErrorCode::kInternal;
  return kSpecs.at(static_cast<size_t>(code));
}

std::span<const ErrorSpec> AllErrorSpecs() { return kSpecs; }

Error::Error(ErrorCode code, std::string message, boost::json::object details)
    : code_(code), spec_(&Spec(code)), message_(std::move(message)), details_(std::move(details)) {
  if (message_.empty()) message_ = std::string(spec_->default_message);
}

Error::Error(const ErrorSpec& spec, std::string message, boost::json::object details)
    : code_(ErrorCode::kKind),
      spec_(&spec),
      message_(std::move(message)),
      details_(std::move(details)) {
  if (message_.empty()) message_ = std::string(spec_->default_message);
}

Error Error::FromProblems(ErrorCode code, const std::vector<FieldProblem>& problems) {
  boost::json::array errors;
  for (const auto& p : problems) {
    boost::json::array loc;
    size_t start = 0;
    while (start <= p.loc.size()) {
      size_t dot = p.loc.find('.', start);
      if (dot == std::string::npos) dot = p.loc.size();
      std::string_view part(p.loc.data() + start, dot - start);
      // An array index becomes a number; a field name made of digits too long for one (a
      // client's unknown key "5555…") stays a string.
      int64_t index = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (!part.empty() && ec == std::errc() && end == part.data() + part.size() && index >= 0) {
        loc.emplace_back(index);
      } else {
        loc.emplace_back(part);
      }
      start = dot + 1;
    }
    errors.push_back(boost::json::object{{"loc", loc}, {"msg", p.msg}, {"type", p.type}});
  }
  std::string message(Spec(code).default_message);
  if (!problems.empty()) message = problems.front().loc + ": " + problems.front().msg;
  return Error(code, message, boost::json::object{{"errors", std::move(errors)}});
}

Error Error::NotFound(std::string_view what) {
  return Error(ErrorCode::kNotFound, std::string(what) + " not found");
}

Error Error::Internal(std::string internal_message) {
  Error e(ErrorCode::kInternal, "");
  e.internal_message_ = std::move(internal_message);
  return e;
}

std::string Error::SlaCode() const {
  if (code_ != ErrorCode::kValidation && code_ != ErrorCode::kBodyValidation) {
    return std::string(spec().code);
  }
  const auto* errors = details_.if_contains("errors");
  if (errors && errors->is_array() && !errors->as_array().empty()) {
    const auto& first = errors->as_array().front().as_object();
    if (first.at("type").as_string() == "missing") return "parameter_missing";
  }
  return "parameter_invalid";
}

}  // namespace rapport
