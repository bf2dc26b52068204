// Per-key fixed one-minute windows, counted in this process or, given a store, in the database
// (every node then enforces one shared count; see docs/ARCHITECTURE.md). Thread-safe.
#pragma once

#include <rapport/core/time.hpp>
#include <rapport/store/interfaces.hpp>

#include <mutex>
#include <string>
#include <unordered_map>

namespace rapport::api {

struct RateDecision {
  bool allowed = true;
  int limit = 0;  // 0: limit off
  int remaining = 0;
  int reset_seconds = 0;  // until the window ends
};

class RateLimiter {
 public:
  // `shared`: count in this store's database instead of in memory.
  explicit RateLimiter(int per_minute, RateWindowStore* shared = nullptr)
      : per_minute_(per_minute), shared_(shared) {}
  // Counts one call for `key` at `now` and says whether it is within the limit.
  RateDecision Take(const std::string& key, UnixMs now);
  // What Take would leave, without counting a call (`allowed`: one more call would pass).
  RateDecision Peek(const std::string& key, UnixMs now);
  int per_minute() const { return per_minute_; }

 private:
  struct Window {
    int64_t minute = 0;
    int count = 0;
  };
  int per_minute_;
  RateWindowStore* shared_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
  int64_t last_sweep_minute_ = 0;
};

}  // namespace rapport::api
