#include "rate_limiter.hpp"

#include <algorithm>

namespace rapport::api {

RateDecision RateLimiter::Take(const std::string& key, UnixMs now) {
  if (per_minute_ <= 0) return {};
  int64_t minute = now / 60000;
  int reset = static_cast<int>(std::max<int64_t>(1, ((minute + 1) * 60000 - now + 999) / 1000));
  if (shared_ != nullptr) {
    auto calls = shared_->CountRateWindow(key, minute);
    // When the count cannot be taken the call goes on: the store it needs answers for itself.
    if (!calls.ok()) return {true, per_minute_, 0, reset};
    if (*calls > per_minute_) return {false, per_minute_, 0, reset};
    return {true, per_minute_, static_cast<int>(per_minute_ - *calls), reset};
  }
  std::lock_guard lock(mu_);
  if (minute != last_sweep_minute_) {
    std::erase_if(windows_, [&](const auto& entry) { return entry.second.minute < minute; });
    last_sweep_minute_ = minute;
  }
  Window& w = windows_[key];
  if (w.minute != minute) w = {minute, 0};
  if (w.count >= per_minute_) return {false, per_minute_, 0, reset};
  ++w.count;
  return {true, per_minute_, per_minute_ - w.count, reset};
}

RateDecision RateLimiter::Peek(const std::string& key, UnixMs now) {
  if (per_minute_ <= 0) return {};
  int64_t minute = now / 60000;
  int reset = static_cast<int>(std::max<int64_t>(1, ((minute + 1) * 60000 - now + 999) / 1000));
  int64_t calls = 0;
  if (shared_ != nullptr) {
    auto counted = shared_->PeekRateWindow(key, minute);
    if (counted.ok()) calls = *counted;
  } else {
    std::lock_guard lock(mu_);
    auto it = windows_.find(key);
    if (it != windows_.end() && it->second.minute == minute) calls = it->second.count;
  }
  int remaining = static_cast<int>(std::max<int64_t>(0, per_minute_ - calls));
  return {remaining > 0, per_minute_, remaining, reset};
}

}  // namespace rapport::api
