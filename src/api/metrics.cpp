#include "metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <tuple>

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

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            double seconds) {
  static std::atomic<size_t> next_thread{0};
  thread_local const size_t thread = next_thread++;
  Shard& shard = shards_[thread % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.routes.find(route);
  if (it == shard.routes.end()) it = shard.routes.emplace(std::string(route), RouteStats{}).first;
  RouteStats& stats = it->second;
  auto counter = std::find_if(stats.counters.begin(), stats.counters.end(), [&](const Counter& c) {
    return c.status == status && c.method == method;
  });
  if (counter == stats.counters.end()) {
    stats.counters.push_back({std::string(method), status, 0});
    counter = std::prev(stats.counters.end());
  }
  ++counter->n;
  Histogram& h = stats.latency;
  if (h.buckets.empty()) h.buckets.assign(kBounds.size(), 0);
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::map<std::string, Metrics::RouteStats, std::less<>> Metrics::Merged() const {
  std::map<std::string, RouteStats, std::less<>> routes;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [route, stats] : shard.routes) {
      RouteStats& into = routes[route];
      for (const Counter& c : stats.counters) {
        auto same = std::find_if(into.counters.begin(), into.counters.end(), [&](const Counter& x) {
          return x.status == c.status && x.method == c.method;
        });
        if (same == into.counters.end()) {
          into.counters.push_back(c);
        } else {
          same->n += c.n;
        }
      }
      Histogram& h = into.latency;
      if (h.buckets.empty()) h.buckets.assign(kBounds.size(), 0);
      for (size_t i = 0; i < kBounds.size() && i < stats.latency.buckets.size(); ++i) {
        h.buckets[i] += stats.latency.buckets[i];
      }
      h.count += stats.latency.count;
      h.sum += stats.latency.sum;
    }
  }
  return routes;
}

std::string Metrics::Render(const std::map<std::string, int64_t>& jobs_by_status,
                            double oldest_due_seconds) const {
  std::string out;
  out += "# HELP rapport_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE rapport_http_requests_total counter\n";
  std::map<std::string, RouteStats, std::less<>> routes = Merged();
  for (const auto& [route, stats] : routes) {
    std::vector<const Counter*> sorted;
    for (const auto& c : stats.counters) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](const Counter* a, const Counter* b) {
      return std::tie(a->method, a->status) < std::tie(b->method, b->status);
    });
    for (const Counter* c : sorted) {
      out += fmt::format(
          "rapport_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
          Escape(route), c->method, c->status, c->n);
    }
  }
  out += "# HELP rapport_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE rapport_http_request_duration_seconds histogram\n";
  for (const auto& [route, stats] : routes) {
    const Histogram& h = stats.latency;
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

Result<std::string> StorageGauges::Render(UnixMs now) {
  std::lock_guard lock(mu_);
  if (read_at_ && now >= *read_at_ && now - *read_at_ < ttl_ms_) return text_;
  RAPPORT_TRY(std::vector<TenantStorage> storage, store_.StorageByTenant());
  std::string out =
      "# HELP rapport_stored_reports Reports stored, per tenant.\n"
      "# TYPE rapport_stored_reports gauge\n";
  for (const auto& t : storage) {
    out +=
        fmt::format("rapport_stored_reports{{tenant=\"{}\"}} {}\n", Escape(t.tenant_id), t.reports);
  }
  out +=
      "# HELP rapport_stored_artifact_bytes Bytes of stored artifacts (report PDFs), per "
      "tenant.\n# TYPE rapport_stored_artifact_bytes gauge\n";
  for (const auto& t : storage) {
    out += fmt::format("rapport_stored_artifact_bytes{{tenant=\"{}\"}} {}\n", Escape(t.tenant_id),
                       t.artifact_bytes);
  }
  text_ = std::move(out);
  read_at_ = now;
  return text_;
}

}  // namespace rapport::api
