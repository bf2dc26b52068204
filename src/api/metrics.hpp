// Request counters and latency histograms, rendered in the Prometheus text format. Thread-safe.
#pragma once

#include <rapport/core/time.hpp>
#include <rapport/store/interfaces.hpp>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::api {

class Metrics {
 public:
  // One lock (of this thread's shard) and, once a (route, method, status) has been seen, no
  // allocation.
  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);
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
  struct Counter {
    std::string method;
    int status = 0;
    uint64_t n = 0;
  };
  struct RouteStats {
    std::vector<Counter> counters;  // few per route: a linear search beats a map
    Histogram latency;
  };
  // The shards' stats added up, by route.
  std::map<std::string, RouteStats, std::less<>> Merged() const;

  // A thread records into one shard (threads numbered in the order they first record), so that
  // the I/O loops share no lock and no cache line; Render adds the shards up.
  struct alignas(64) Shard {
    mutable std::mutex mu;
    std::map<std::string, RouteStats, std::less<>> routes;
  };
  static constexpr size_t kShards = 4;
  std::array<Shard, kShards> shards_;
};

// The stored reports and artifact bytes of each tenant (rapport_stored_reports and
// rapport_stored_artifact_bytes, labelled `tenant`), read from `store` at most once per `ttl_ms`
// (two GROUP BY scans: a scrape every few seconds must not read them each time). Thread-safe.
class StorageGauges {
 public:
  StorageGauges(RetentionStore& store, int64_t ttl_ms) : store_(store), ttl_ms_(ttl_ms) {}
  Result<std::string> Render(UnixMs now);

 private:
  RetentionStore& store_;
  int64_t ttl_ms_;
  std::mutex mu_;
  std::string text_;
  std::optional<UnixMs> read_at_;
};

}  // namespace rapport::api
