// The one error catalog shared by every layer. A domain error is a value of ErrorCode plus a
// client-visible message and optional details; the HTTP edge renders it in each API dialect. A
// report kind defines the errors that are its own as static ErrorSpecs of its module; such an
// error's code is ErrorCode::kKind and its spec() the kind's.
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
  kKind,                    // a report kind's own error: Error::spec() says which
};

// Static facts about one catalog entry.
struct ErrorSpec {
  std::string_view code;      // stable machine-readable code, e.g. "not_found"
  int status;                 // HTTP status
  std::string_view sla_type;  // seed-002 `type`, e.g. "invalid_request_error"
  std::string_view default_message;
};

// Returns the catalog entry of `code`. Never fails. ErrorCode::kKind, which has no entry of its
// own, answers the internal error's (an Error of that code is built from the kind's spec).
const ErrorSpec& Spec(ErrorCode code);
// Every core catalog entry, in ErrorCode order (for the error reference page); the kinds' own
// entries are not among them.
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
  // A report kind's own error (code() is ErrorCode::kKind). `spec` must have static storage
  // duration: every copy of the error refers to it.
  Error(const ErrorSpec& spec, std::string message, boost::json::object details = {});

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
  const ErrorSpec& spec() const { return *spec_; }
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
  const ErrorSpec* spec_;  // the catalog's entry of code_, or the kind's
  std::string message_;
  boost::json::object details_;
  std::string internal_message_;
  int status_ = 0;
};

}  // namespace rapport
