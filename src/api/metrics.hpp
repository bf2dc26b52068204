// Request counters and latency histograms, rendered in the Prometheus text format. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace rapport::api {

class Metrics {
 public:
  void RecordRequest(const std::string& route, const std::string& method, int status,
                     double seconds);
  // Appends the request metrics; `jobs_by_status` becomes the rapport_jobs gauge.
  std::string Render(const std::map<std::string, int64_t>& jobs_by_status) const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace rapport::api
