// The one client for answer engines: OpenAI-compatible chat completions (OpenAI, Perplexity,
// Gemini, xAI and Anthropic all offer the API) over libcurl with TLS.
//
// Calls run concurrently on one thread per batch (a libcurl multi handle, no thread per call),
// within each provider endpoint's limits, shared by every batch of the process: at most
// `concurrency` calls in flight (a window that halves on each 429 and grows back by one per
// window of successes), requests and tokens per minute (token buckets), and `max_in_flight` calls
// for the whole process. A 429 honours Retry-After for the endpoint; 429s, 5xx, timeouts and
// unreachable providers are retried with exponential backoff. Each `ai_platform` maps to an
// endpoint; unmapped platforms use the default provider with the platform's name as the model.
#pragma once

#include <rapport/core/result.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rapport {

struct LlmEndpoint {
  std::string base_url;  // e.g. "https://api.openai.com/v1"; /chat/completions is appended
  std::string model;
  std::string api_key;  // never logged
  // Per-platform limits (llm.platforms "|concurrency=N|rpm=N|tpm=N"); nullopt: the defaults.
  std::optional<int> concurrency;
  std::optional<int64_t> requests_per_minute;
  std::optional<int64_t> tokens_per_minute;

  // Calls to one endpoint share its limits: the provider's budgets are per key and model.
  std::string LimitKey() const { return base_url + "|" + model; }
};

// Price per million tokens (in the operator's currency).
struct LlmPrice {
  double input = 0;
  double output = 0;
};

struct LlmSettings {
  std::optional<LlmEndpoint> default_endpoint;  // model empty: the platform's name
  std::map<std::string, LlmEndpoint> platforms;
  long timeout_ms = 60'000;
  int max_retries = 3;  // of a call failing with 5xx, a timeout or an unreachable provider
  int64_t backoff_base_ms = 500;
  int64_t max_calls_per_run = 2000;
  // The platform whose endpoint judges answers against facts and researches facts.
  std::string judge_platform = "chatgpt";
  // Limits of an endpoint unless its platform entry says otherwise; 0 per minute: no budget.
  int concurrency = 8;
  int64_t requests_per_minute = 0;
  int64_t tokens_per_minute = 0;
  int max_in_flight = 64;  // per process, every endpoint together
  // A run fails when more than this share of one platform's answers failed.
  double max_failed_share = 0.2;
  int64_t max_tokens_per_run = 0;          // 0: no limit
  std::map<std::string, LlmPrice> prices;  // by model

  // The endpoint answering for `platform` with its limits resolved, or nullopt when none is
  // configured.
  std::optional<LlmEndpoint> For(const std::string& platform) const;
};

// Parses "platform=base_url|model|API_KEY_ENV[|concurrency=N][|rpm=N][|tpm=N];…" (the key is read
// from the named environment variable). kValidation naming the bad entry otherwise.
Result<std::map<std::string, LlmEndpoint>> ParseLlmPlatforms(std::string_view spec);
// Parses "model=input|output;…" (prices per million tokens).
Result<std::map<std::string, LlmPrice>> ParseLlmPrices(std::string_view spec);
// Parses "0.2" or "20%" into a share in [0, 1].
Result<double> ParseShare(std::string_view text);

struct LlmMessage {
  std::string system;
  std::string user;
};

// A source the provider returned with its answer (Perplexity `citations`/`search_results`,
// OpenAI `url_citation` annotations).
struct LlmSource {
  std::string url;
  std::string title;  // empty when the provider gave none
};

// How one call ended, after its retries.
enum class LlmOutcome {
  kAnswered,      // a non-empty answer
  kFailed,        // the provider refused or could not answer this question (400, content filter,
                  // an empty answer): recorded, the run goes on
  kUnavailable,   // retries exhausted on 429, 5xx, timeouts or an unreachable provider
  kPlatformDown,  // the platform cannot answer anything (401, 403, 404, an unknown model)
};

struct LlmReply {
  LlmOutcome outcome = LlmOutcome::kUnavailable;
  std::string text;
  std::string error;  // the provider's reason when not answered
  std::vector<LlmSource> sources;
  int64_t prompt_tokens = 0;  // the provider's `usage`, 0 when it gave none
  int64_t completion_tokens = 0;
  int64_t latency_ms = 0;  // of the attempt that ended the call
  int attempts = 0;
};

// The JSON object inside a model's reply (models often wrap it in prose or code fences).
std::optional<boost::json::object> ExtractJsonObject(const std::string& reply);

// Interprets one HTTP response of a chat-completions call (status 0: no response, `transport`
// says why). Exposed for tests. `retry` is set for the outcomes worth asking again.
struct LlmResponse {
  long status = 0;
  std::string body;
  std::string transport_error;
};
LlmReply InterpretResponse(const LlmResponse& response, bool* retry);

class LlmLimiter;

// A set of concurrent calls driven by the thread that runs it.
class LlmBatch {
 public:
  ~LlmBatch();
  LlmBatch(LlmBatch&&) noexcept;
  LlmBatch& operator=(LlmBatch&&) noexcept;
  LlmBatch(const LlmBatch&) = delete;
  LlmBatch& operator=(const LlmBatch&) = delete;

  // Queues a call; `tag` comes back with its reply. May be called from `on_reply`.
  void Submit(uint64_t tag, const LlmEndpoint& endpoint, const LlmMessage& message);
  // Runs until every submitted call has ended (true) or `should_stop` returns true (false; calls
  // in flight are abandoned at once). `on_reply` runs on this thread for each call that ended;
  // `tick` runs about every 250 ms (e.g. to renew a lease and pick up a cancellation).
  bool Run(const std::function<void(uint64_t tag, LlmReply reply)>& on_reply,
           const std::function<bool()>& should_stop, const std::function<void()>& tick = {});
  // Calls neither in flight nor ended.
  size_t queued() const;

 private:
  friend class LlmClient;
  struct Impl;
  explicit LlmBatch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class LlmClient {
 public:
  // Clients copied from one another share the endpoints' limits.
  explicit LlmClient(LlmSettings settings);
  const LlmSettings& settings() const { return settings_; }

  LlmBatch NewBatch() const;

  // One call, on this thread. Errors: kServiceUnavailable once retries are exhausted
  // (transient), kValidation when the provider refuses (permanent). `should_stop` is checked
  // about every 250 ms.
  Result<std::string> Ask(const LlmEndpoint& endpoint, const LlmMessage& message,
                          const std::function<bool()>& should_stop = {}) const;

 private:
  LlmSettings settings_;
  std::shared_ptr<LlmLimiter> limiter_;
};

}  // namespace rapport
