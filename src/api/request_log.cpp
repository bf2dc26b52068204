#include "request_log.hpp"

#include <rapport/core/json.hpp>
#include <rapport/core/random_pool.hpp>
#include <rapport/core/time.hpp>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <vector>

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

constexpr size_t kBlockBytes = 64 * 1024;

// Whole lines, each ended by '\n', to the logger as one message (its pattern adds the last
// '\n'); nothing once the logger is gone (after spdlog::shutdown).
void HandOver(std::string& lines) {
  if (lines.empty()) return;
  if (auto* logger = spdlog::default_logger_raw()) {
    logger->info(std::string_view(lines.data(), lines.size() - 1));
  }
  lines.clear();
}

struct ThreadLines;

// Every thread's gathered lines, for FlushRequestLog.
class AllThreadLines {
 public:
  void Add(ThreadLines* lines) {
    std::lock_guard lock(mu_);
    all_.push_back(lines);
  }
  void Remove(ThreadLines* lines) {
    std::lock_guard lock(mu_);
    all_.erase(std::remove(all_.begin(), all_.end(), lines), all_.end());
  }
  template <typename F>
  void ForEach(F&& f) {
    std::lock_guard lock(mu_);
    for (auto* lines : all_) f(*lines);
  }

 private:
  std::mutex mu_;
  std::vector<ThreadLines*> all_;
};

AllThreadLines& Registry() {
  static auto* registry = new AllThreadLines;  // never destroyed: threads may end after main
  return *registry;
}

// One thread's block. Its mutex is taken by its thread per line and by FlushRequestLog once a
// period, so it is almost never contended.
struct ThreadLines {
  std::mutex mu;
  std::string text;
  ThreadLines() {
    text.reserve(kBlockBytes + 1024);
    Registry().Add(this);
  }
  ~ThreadLines() {
    Registry().Remove(this);
    std::lock_guard lock(mu);
    HandOver(text);
  }
  ThreadLines(const ThreadLines&) = delete;
  ThreadLines& operator=(const ThreadLines&) = delete;
};

}  // namespace

void LogRequest(const RequestLogLine& line) {
  auto* logger = spdlog::default_logger_raw();
  if (logger == nullptr || !logger->should_log(spdlog::level::info)) return;
  thread_local ThreadLines lines;
  std::lock_guard lock(lines.mu);
  std::string& out = lines.text;
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
  out += "}\n";
  if (out.size() >= kBlockBytes) HandOver(out);
}

void FlushRequestLog() {
  std::string block;
  Registry().ForEach([&](ThreadLines& lines) {
    {
      std::lock_guard lock(lines.mu);
      if (lines.text.empty()) return;
      block.swap(lines.text);  // the thread keeps gathering in `block`'s old buffer
      lines.text.reserve(kBlockBytes + 1024);
    }
    HandOver(block);
  });
  if (auto* logger = spdlog::default_logger_raw()) logger->flush();
}

RequestLogFlusher::RequestLogFlusher(std::chrono::milliseconds period)
    : thread_([period](std::stop_token stop) {
        std::mutex mu;
        std::condition_variable_any wake;
        std::unique_lock lock(mu);
        while (!wake.wait_for(lock, stop, period, [] { return false; }) && !stop.stop_requested()) {
          FlushRequestLog();
        }
      }) {}

RequestLogFlusher::~RequestLogFlusher() {
  thread_.request_stop();
  thread_.join();
  FlushRequestLog();
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
