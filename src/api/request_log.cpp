#include "request_log.hpp"

#include <rapport/core/time.hpp>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace rapport::api {

namespace {
std::string Quote(std::string_view s) { return boost::json::serialize(boost::json::string(s)); }
}  // namespace

void LogRequest(const RequestLogLine& line) {
  spdlog::info(fmt::format(
      R"({{"time":"{}","level":"info","msg":"request","method":{},"route":{},"status":{},)"
      R"("duration_ms":{:.3f},"tenant":{},"correlation_id":"{}","remote":{}}})",
      FormatRfc3339(SystemClock().NowMs()), Quote(line.method), Quote(line.route), line.status,
      line.duration_ms, Quote(line.tenant), line.correlation_id, Quote(line.remote)));
}

void LogInternalError(const std::string& correlation_id, const std::string& message) {
  boost::json::object entry{{"time", FormatRfc3339(SystemClock().NowMs())},
                            {"level", "error"},
                            {"msg", "internal error"},
                            {"correlation_id", correlation_id},
                            {"error", message}};
  spdlog::error(boost::json::serialize(entry));
}

}  // namespace rapport::api
