// The limits of the answer-engine endpoints, shared by every batch of the process (private to
// the brand module): per endpoint, a concurrency window (AIMD: halved on a 429, at most once per
// round of calls; grown by 1/window on each success, up to the configured concurrency), a pause
// until a 429's Retry-After, and token buckets of requests and tokens per minute; per process, a
// bound on calls in flight. Thread-safe; time is passed in, so tests drive it.
#pragma once

#include <rapport/brand/llm_client.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace rapport {

class LlmLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LlmLimiter(int max_in_flight) : max_in_flight_(max_in_flight) {}

  // Starts a call to `endpoint` estimated at `tokens` (prompt + expected completion) when its
  // limits allow: nullopt. Otherwise the earliest time worth asking again (now when only a slot
  // is missing: one frees when a call ends).
  std::optional<Clock::time_point> TryStart(const LlmEndpoint& endpoint, int64_t tokens,
                                            Clock::time_point now);

  enum class Ended { kSuccess, kRateLimited, kOther };
  // A call started at `started` ended. `retry_after` (a 429's) pauses the endpoint; the tokens
  // are what it used when the provider said (the estimate is corrected), else 0.
  void End(const LlmEndpoint& endpoint, Ended how, Clock::time_point started,
           Clock::duration retry_after, int64_t estimated_tokens, int64_t prompt_tokens,
           int64_t completion_tokens, Clock::time_point now);

  // Batches waiting for a slot are woken when a call of another batch ends (a slot it freed may
  // be theirs). `wake` must be safe to call from any thread until Unwatch returns.
  using Waker = void (*)(void* handle);
  void Watch(void* handle, Waker wake);
  void Unwatch(void* handle);

  // Observations of an endpoint, for tests and metrics.
  struct Snapshot {
    double window = 0;
    int in_flight = 0;
  };
  Snapshot Observe(const LlmEndpoint& endpoint);
  // The completion tokens an answer of this endpoint is expected to take (running mean).
  int64_t ExpectedCompletionTokens(const LlmEndpoint& endpoint);

 private:
  struct Bucket {
    double level = 0;
    Clock::time_point refilled{};
    bool started = false;
  };
  struct State {
    int configured = 1;
    double window = 1;
    int in_flight = 0;
    Clock::time_point paused_until{};
    Clock::time_point last_decrease{};
    Bucket requests, tokens;
    double completion_mean = 400;  // tokens, until calls say
  };
  State& StateOf(const LlmEndpoint& endpoint);
  static void Refill(Bucket& b, int64_t per_minute, Clock::time_point now);

  std::mutex mu_;
  int max_in_flight_;
  int in_flight_ = 0;
  std::map<std::string, State> states_;
  std::map<void*, Waker> watchers_;
};

}  // namespace rapport
