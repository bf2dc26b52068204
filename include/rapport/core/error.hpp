// The one error catalog shared by every layer. A domain error is a value of ErrorCode plus a
// client-visible message and optional details; the HTTP edge renders it in each API dialect.
#pragma once

#include <boost/json/object.hpp>
#include <span>
#include <string>
#include <string_view>

namespace rapport {

enum class ErrorCode {
  kValidation,              // 400: query, path or header parameter invalid
  kBodyValidation,          // 422: JSON body does not match its schema
  kIdempotencyKeyRequired,  // 400
  kUnauthorized,            // 401
  kForbidden,               // 403
  kInsufficientScope,       // 403
  kNotFound,                // 404
  kMethodNotAllowed,        // 405
  kConflict,                // 409
  kIdempotencyKeyReused,    // 409
  kIdempotencyKeyInUse,     // 409
  kPayloadTooLarge,         // 413
  kHeaderTooLarge,          // 431
  kRateLimitExceeded,       // 429
  kInternal,                // 500
  kServiceUnavailable,      // 503
  kBrandFactsRequired,      // 422: a brand run needs the brand's facts (description)
  kFactsNotGenerated,       // 404: the brand has no facts yet
};

// Static facts about one catalog entry.
struct ErrorSpec {
  std::string_view code;      // stable machine-readable code, e.g. "not_found"
  int status;                 // HTTP status
  std::string_view sla_type;  // seed-002 `type`, e.g. "invalid_request_error"
  std::string_view default_message;
};

// Returns the catalog entry of `code`. Never fails.
const ErrorSpec& Spec(ErrorCode code);
// Every catalog entry, in ErrorCode order (for the error reference page).
std::span<const ErrorSpec> AllErrorSpecs();

// One field-level problem of a request, as listed in `details.errors[]`.
struct FieldProblem {
  std::string loc;   // dotted location, e.g. "body.competitors.3.name"
  std::string msg;   // human-readable
  std::string type;  // "missing", "string_too_long", "enum", ...
};

class Error {
 public:
  Error(ErrorCode code, std::string message, boost::json::object details = {});

  // A 422 (v1) / 400 (seed 002) carrying every field problem found.
  static Error FromProblems(ErrorCode code, const std::vector<FieldProblem>& problems);
  static Error NotFound(std::string_view what);
  static Error Internal(std::string internal_message);

  // The same error with another HTTP status (e.g. seed 000's 422 `validation_error`).
  Error&& WithStatus(int status) && {
    status_ = status;
    return std::move(*this);
  }
  // The HTTP status: the catalog's unless overridden.
  int status() const { return status_ != 0 ? status_ : spec().status; }

  ErrorCode code() const { return code_; }
  const ErrorSpec& spec() const { return Spec(code_); }
  // Client-visible message.
  const std::string& message() const { return message_; }
  const boost::json::object& details() const { return details_; }
  boost::json::object& details() { return details_; }
  // The seed-002 `code`: "parameter_missing"/"parameter_invalid" for request errors, else the
  // catalog code.
  std::string SlaCode() const;
  // Kept out of responses: what went wrong inside (e.g. an SQLite message). Empty when none.
  const std::string& internal_message() const { return internal_message_; }

 private:
  ErrorCode code_;
  std::string message_;
  boost::json::object details_;
  std::string internal_message_;
  int status_ = 0;
};

}  // namespace rapport
