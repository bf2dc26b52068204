// Structured logs: one JSON line per request on the "rapport" logger. Never logs headers or
// bodies, so tokens and secrets cannot reach a log.
#pragma once

#include <string>
#include <string_view>

namespace rapport::api {

// The fields of one request's log line; the views only need to live during LogRequest.
struct RequestLogLine {
  std::string_view method;
  std::string_view route;
  int status;
  double duration_ms;
  std::string_view tenant;
  std::string_view correlation_id;
  std::string_view remote;
};

// Writes the line. Formats into a per-thread buffer: no allocation once the buffer has grown.
void LogRequest(const RequestLogLine& line);
void LogInternalError(const std::string& correlation_id, const std::string& message);

// A random UUID v4 for a request without a valid X-Correlation-ID. The bytes come from
// PooledRandom (SecureRandom, drawn 4 KiB at a time per thread rather than one call per request).
std::string NewCorrelationId();

}  // namespace rapport::api
