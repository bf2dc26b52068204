#include "metrics.hpp"

#include <fmt/format.h>

#include <array>

namespace rapport::api {
namespace {
constexpr std::array kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::RecordRequest(const std::string& route, const std::string& method, int status,
                            double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  if (h.buckets.empty()) h.buckets.assign(kBounds.size(), 0);
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::map<std::string, int64_t>& jobs_by_status,
                            double oldest_due_seconds) const {
  std::string out;
  out += "# HELP rapport_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE rapport_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out +=
        fmt::format("rapport_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                    Escape(route), method, status, n);
  }
  out += "# HELP rapport_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE rapport_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string label = Escape(route);
    for (size_t i = 0; i < kBounds.size(); ++i) {
      out +=
          fmt::format("rapport_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      label, kBounds[i], h.buckets[i]);
    }
    out +=
        fmt::format("rapport_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    label, h.count);
    out +=
        fmt::format("rapport_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label, h.sum);
    out += fmt::format("rapport_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                       h.count);
  }
  out += "# HELP rapport_jobs Jobs by status.\n# TYPE rapport_jobs gauge\n";
  for (const auto& [status, n] : jobs_by_status) {
    out += fmt::format("rapport_jobs{{status=\"{}\"}} {}\n", status, n);
  }
  out +=
      "# HELP rapport_job_queue_oldest_seconds How long the longest-waiting due pending job has "
      "waited (0: none is waiting).\n# TYPE rapport_job_queue_oldest_seconds gauge\n";
  out += fmt::format("rapport_job_queue_oldest_seconds {}\n", oldest_due_seconds);
  return out;
}

}  // namespace rapport::api
