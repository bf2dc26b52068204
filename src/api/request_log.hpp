// Structured logs: one JSON line per request on the "rapport" logger. Never logs headers or
// bodies, so tokens and secrets cannot reach a log.
#pragma once

#include <string>

namespace rapport::api {

struct RequestLogLine {
  std::string method;
  std::string route;
  int status;
  double duration_ms;
  std::string tenant;
  std::string correlation_id;
  std::string remote;
};

void LogRequest(const RequestLogLine& line);
void LogInternalError(const std::string& correlation_id, const std::string& message);

}  // namespace rapport::api
