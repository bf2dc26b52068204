// Process-wide counters and histograms that modules below the API record (job outcomes,
// scheduler lag, LLM calls, deliveries) and /metrics renders in the Prometheus text format.
// Thread-safe. Names are rapport_<thing>_total (counters) and rapport_<thing>_seconds
// (histograms); label values are escaped when rendered.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rapport {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  // Bucket bounds of every histogram, in seconds: 5 ms to 15 min.
  static const std::vector<double>& Bounds();

  void Count(const std::string& name, const std::string& help, const MetricLabels& labels,
             double by = 1);
  void Observe(const std::string& name, const std::string& help, const MetricLabels& labels,
               double seconds);
  // Every metric recorded so far, HELP and TYPE lines first, in name and label order.
  std::string Render() const;

 private:
  struct Series {
    std::string help;
    bool histogram = false;
    std::map<std::string, std::vector<double>>
        values;  // labels -> {value} or {buckets.., count, sum}
  };
  Series& SeriesFor(const std::string& name, const std::string& help, bool histogram);

  mutable std::mutex mu_;
  std::map<std::string, Series> series_;
};

// The registry of this process.
MetricsRegistry& ProcessMetrics();

}  // namespace rapport
