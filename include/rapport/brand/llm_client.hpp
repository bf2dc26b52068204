// The one client for answer engines: OpenAI-compatible chat completions (OpenAI, Perplexity,
// Gemini, xAI and Anthropic all offer the API) over libcurl with TLS, a timeout per call, and
// retries with exponential backoff on 429 (honouring Retry-After), 5xx and unreachable
// providers. Each `ai_platform` maps to an endpoint; unmapped platforms use the default provider
// with the platform's name as the model.
#pragma once

#include <rapport/core/result.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace rapport {

struct LlmEndpoint {
  std::string base_url;  // e.g. "https://api.openai.com/v1"; /chat/completions is appended
  std::string model;
  std::string api_key;  // never logged
};

struct LlmSettings {
  std::optional<LlmEndpoint> default_endpoint;  // model empty: the platform's name
  std::map<std::string, LlmEndpoint> platforms;
  long timeout_ms = 60'000;
  int max_retries = 3;
  int64_t backoff_base_ms = 500;
  int64_t max_calls_per_run = 2000;
  // The platform whose endpoint judges answers against facts and researches facts.
  std::string judge_platform = "chatgpt";

  // The endpoint answering for `platform`, or nullopt when none is configured.
  std::optional<LlmEndpoint> For(const std::string& platform) const;
};

// Parses "platform=base_url|model|API_KEY_ENV;…" (the key is read from the named environment
// variable). kValidation naming the bad entry otherwise.
Result<std::map<std::string, LlmEndpoint>> ParseLlmPlatforms(std::string_view spec);

struct LlmMessage {
  std::string system;
  std::string user;
};

// The JSON object inside a model's reply (models often wrap it in prose or code fences).
std::optional<boost::json::object> ExtractJsonObject(const std::string& reply);

class LlmClient {
 public:
  explicit LlmClient(LlmSettings settings) : settings_(std::move(settings)) {}
  const LlmSettings& settings() const { return settings_; }

  // The answer's text. Errors: kServiceUnavailable once retries are exhausted (transient),
  // kValidation when the provider rejects the request (4xx other than 429: permanent).
  // `should_stop` is checked between retries.
  Result<std::string> Ask(const LlmEndpoint& endpoint, const LlmMessage& message,
                          const std::function<bool()>& should_stop = {}) const;

 private:
  LlmSettings settings_;
};

}  // namespace rapport
