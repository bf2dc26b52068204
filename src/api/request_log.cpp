#include "request_log.hpp"

#include <rapport/core/json.hpp>
#include <rapport/core/random_pool.hpp>
#include <rapport/core/time.hpp>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <array>
#include <charconv>

namespace rapport::api {

namespace {

// FormatRfc3339(now) without its snprintf per call: the part up to the seconds is formatted once
// per second per thread, the milliseconds appended.
void AppendNow(std::string& out) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_prefix;  // "2026-12-05T04:17:45"
  UnixMs now = SystemClock().NowMs();
  int64_t second = now >= 0 ? now / 1000 : (now - 999) / 1000;
  if (second != cached_second) {
    cached_prefix = FormatRfc3339(second * 1000).substr(0, 19);
    cached_second = second;
  }
  auto ms = static_cast<int>(now - second * 1000);
  out += cached_prefix;
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
}

// Milliseconds with three decimals, from the rounded microseconds (no floating-point formatting).
void AppendDurationMs(std::string& out, double ms) {
  char buf[32];
  if (!(ms >= 0 && ms < 1e12)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, ms, std::chars_format::fixed, 3);
    out.append(buf, static_cast<size_t>(end - buf));
    return;
  }
  auto us = static_cast<int64_t>(ms * 1000.0 + 0.5);
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, us / 1000);
  out.append(buf, static_cast<size_t>(end - buf));
  int64_t frac = us % 1000;
  out += '.';
  out += static_cast<char>('0' + frac / 100);
  out += static_cast<char>('0' + frac / 10 % 10);
  out += static_cast<char>('0' + frac % 10);
}

}  // namespace

void LogRequest(const RequestLogLine& line) {
  thread_local std::string out;
  out.clear();
  out += R"({"time":")";
  AppendNow(out);
  out += R"(","level":"info","msg":"request","method":)";
  AppendJsonString(out, line.method);
  out += R"(,"route":)";
  AppendJsonString(out, line.route);
  out += R"(,"status":)";
  char status[12];
  auto [end, ec] = std::to_chars(status, status + sizeof status, line.status);
  out.append(status, static_cast<size_t>(end - status));
  out += R"(,"duration_ms":)";
  AppendDurationMs(out, line.duration_ms);
  out += R"(,"tenant":)";
  AppendJsonString(out, line.tenant);
  out += R"(,"correlation_id":)";
  AppendJsonString(out, line.correlation_id);
  out += R"(,"remote":)";
  AppendJsonString(out, line.remote);
  out += '}';
  spdlog::info(std::string_view(out));
}

void LogInternalError(const std::string& correlation_id, const std::string& message) {
  boost::json::object entry{{"time", FormatRfc3339(SystemClock().NowMs())},
                            {"level", "error"},
                            {"msg", "internal error"},
                            {"correlation_id", correlation_id},
                            {"error", message}};
  spdlog::error(boost::json::serialize(entry));
}

std::string NewCorrelationId() {
  std::array<unsigned char, 16> b;
  PooledRandom(b.data(), b.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // keep the '-'
    unsigned char byte = b[i];
    if (i == 6) byte = (byte & 0x0F) | 0x40;  // version 4
    if (i == 8) byte = (byte & 0x3F) | 0x80;  // RFC 4122 variant
    out[at++] = kHex[byte >> 4];
    out[at++] = kHex[byte & 0xF];
  }
  return out;
}

}  // namespace rapport::api
