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
  // The request metrics, then the queue gauges: `jobs_by_status` becomes rapport_jobs and
  // `oldest_due_seconds` rapport_job_queue_oldest_seconds.
  std::string Render(const std::map<std::string, int64_t>& jobs_by_status,
                     double oldest_due_seconds) const;

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
