// Structured logs: one JSON line per request on the "rapport" logger. Never logs headers or
// bodies, so tokens and secrets cannot reach a log.
//
// Request lines are gathered per thread, up to 64 KiB as nginx's `access_log ... buffer=64k`
// gathers them per worker, and reach the logger a block at a time (one lock of its sink and one
// write for some 250 lines, where a lock per line made the I/O threads queue on each other): when
// a thread's block is full, at FlushRequestLog and when the thread ends. A block holds whole
// lines, so lines never interleave; blocks of different threads may be out of time order.
#pragma once

#include <chrono>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

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

// Gathers the line in this thread's block (when the logger logs info lines).
void LogRequest(const RequestLogLine& line);

// Hands every thread's gathered request lines to the logger, then flushes it.
void FlushRequestLog();

// Calls FlushRequestLog every `period` (rapportd: every second, as its logger is flushed), and
// once more when destroyed.
class RequestLogFlusher {
 public:
  explicit RequestLogFlusher(std::chrono::milliseconds period);
  ~RequestLogFlusher();
  RequestLogFlusher(const RequestLogFlusher&) = delete;
  RequestLogFlusher& operator=(const RequestLogFlusher&) = delete;

 private:
  std::jthread thread_;
};
void LogInternalError(const std::string& correlation_id, const std::string& message);

// A random UUID v4 for a request without a valid X-Correlation-ID. The bytes come from
// PooledRandom (SecureRandom, drawn 4 KiB at a time per thread rather than one call per request).
std::string NewCorrelationId();

}  // namespace rapport::api
