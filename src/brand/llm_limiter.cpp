#include "llm_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace rapport {

LlmLimiter::State& LlmLimiter::StateOf(const LlmEndpoint& endpoint) {
  auto [it, inserted] = states_.try_emplace(endpoint.LimitKey());
  int configured = std::max(1, endpoint.concurrency.value_or(8));
  if (inserted) {
    it->second.configured = configured;
    it->second.window = configured;
  } else if (configured < it->second.configured) {
    // Two platforms on one endpoint with different limits: the smaller holds for both.
    it->second.configured = configured;
    it->second.window = std::min(it->second.window, static_cast<double>(configured));
  }
  return it->second;
}

// A bucket holds at most a minute's budget and refills continuously.
void LlmLimiter::Refill(Bucket& b, int64_t per_minute, Clock::time_point now) {
  auto capacity = static_cast<double>(per_minute);
  if (!b.started) {
    b.level = capacity;
    b.refilled = now;
    b.started = true;
    return;
  }
  double seconds = std::chrono::duration<double>(now - b.refilled).count();
  if (seconds > 0) {
    b.level = std::min(capacity, b.level + seconds * capacity / 60.0);
    b.refilled = now;
  }
}

std::optional<LlmLimiter::Clock::time_point> LlmLimiter::TryStart(const LlmEndpoint& endpoint,
                                                                  int64_t tokens,
                                                                  Clock::time_point now) {
  std::lock_guard lock(mu_);
  State& s = StateOf(endpoint);
  if (now < s.paused_until) return s.paused_until;
  if (in_flight_ >= max_in_flight_) return now;
  if (s.in_flight >= std::max(1, static_cast<int>(std::floor(s.window)))) return now;
  auto wait_for = [&](const Bucket& b, double need, int64_t per_minute) {
    double seconds = (need - b.level) * 60.0 / static_cast<double>(per_minute);
    return now + std::chrono::duration_cast<Clock::duration>(
                     std::chrono::duration<double>(std::max(seconds, 0.001)));
  };
  int64_t rpm = endpoint.requests_per_minute.value_or(0);
  if (rpm > 0) {
    Refill(s.requests, rpm, now);
    if (s.requests.level < 1) return wait_for(s.requests, 1, rpm);
  }
  int64_t tpm = endpoint.tokens_per_minute.value_or(0);
  if (tpm > 0) {
    Refill(s.tokens, tpm, now);
    // A call larger than the whole budget waits for a full bucket, then goes.
    double need = std::min(static_cast<double>(tokens), static_cast<double>(tpm));
    if (s.tokens.level < need) return wait_for(s.tokens, need, tpm);
    s.tokens.level -= static_cast<double>(tokens);
  }
  if (rpm > 0) s.requests.level -= 1;
  ++s.in_flight;
  ++in_flight_;
  return std::nullopt;
}

void LlmLimiter::End(const LlmEndpoint& endpoint, Ended how, Clock::time_point started,
                     Clock::duration retry_after, int64_t estimated_tokens, int64_t prompt_tokens,
                     int64_t completion_tokens, Clock::time_point now) {
  std::lock_guard lock(mu_);
  State& s = StateOf(endpoint);
  s.in_flight = std::max(0, s.in_flight - 1);
  in_flight_ = std::max(0, in_flight_ - 1);
  for (const auto& [handle, wake] : watchers_) wake(handle);  // cheap: a write to a pipe
  switch (how) {
    case Ended::kSuccess:
      s.window = std::min(static_cast<double>(s.configured), s.window + 1.0 / s.window);
      break;
    case Ended::kRateLimited:
      // Calls in flight when the provider started refusing all come back 429: one decrease per
      // round, i.e. only for calls started after the last decrease.
      if (started >= s.last_decrease) {
        s.window = std::max(1.0, s.window / 2);
        s.last_decrease = now;
      }
      s.paused_until = std::max(s.paused_until, now + retry_after);
      break;
    case Ended::kOther:
      break;
  }
  int64_t tokens = prompt_tokens + completion_tokens;
  if (completion_tokens > 0) {
    s.completion_mean = 0.9 * s.completion_mean + 0.1 * static_cast<double>(completion_tokens);
  }
  if (tokens > 0) {
    if (endpoint.tokens_per_minute.value_or(0) > 0) {
      s.tokens.level -= static_cast<double>(tokens - estimated_tokens);
    }
  } else if (how != Ended::kSuccess && endpoint.tokens_per_minute.value_or(0) > 0) {
    s.tokens.level += static_cast<double>(estimated_tokens);  // nothing was spent
  }
}

void LlmLimiter::Watch(void* handle, Waker wake) {
  std::lock_guard lock(mu_);
  watchers_[handle] = wake;
}

void LlmLimiter::Unwatch(void* handle) {
  std::lock_guard lock(mu_);
  watchers_.erase(handle);
}

LlmLimiter::Snapshot LlmLimiter::Observe(const LlmEndpoint& endpoint) {
  std::lock_guard lock(mu_);
  State& s = StateOf(endpoint);
  return {s.window, s.in_flight};
}

int64_t LlmLimiter::ExpectedCompletionTokens(const LlmEndpoint& endpoint) {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(StateOf(endpoint).completion_mean);
}

}  // namespace rapport
