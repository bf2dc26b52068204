#include <rapport/brand/llm_client.hpp>

#include <rapport/client/http_client.hpp>
#include <rapport/core/metrics.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

namespace rapport {
namespace {

namespace json = boost::json;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// One HTTP call to a provider, for /metrics: by model and outcome (ok, rate_limited,
// provider_error, rejected, unreachable), with its latency.
void RecordCall(const std::string& model, long status, double seconds) {
  const char* outcome = status == 0                     ? "unreachable"
                        : status == 429                 ? "rate_limited"
                        : status >= 500                 ? "provider_error"
                        : status >= 200 && status < 300 ? "ok"
                                                        : "rejected";
  ProcessMetrics().Count("rapport_llm_calls_total", "Calls to LLM providers by model and outcome.",
                         {{"model", model}, {"outcome", outcome}});
  ProcessMetrics().Observe("rapport_llm_call_duration_seconds",
                           "Latency of calls to LLM providers, by model.", {{"model", model}},
                           seconds);
}

}  // namespace

std::optional<LlmEndpoint> LlmSettings::For(const std::string& platform) const {
  if (auto it = platforms.find(platform); it != platforms.end()) return it->second;
  if (!default_endpoint) return std::nullopt;
  LlmEndpoint e = *default_endpoint;
  if (e.model.empty()) e.model = platform;
  return e;
}

Result<std::map<std::string, LlmEndpoint>> ParseLlmPlatforms(std::string_view spec) {
  std::map<std::string, LlmEndpoint> out;
  while (!Trim(spec).empty()) {
    size_t semi = spec.find(';');
    std::string_view entry = Trim(spec.substr(0, semi));
    spec = semi == std::string_view::npos ? std::string_view{} : spec.substr(semi + 1);
    if (entry.empty()) continue;
    size_t eq = entry.find('=');
    size_t bar1 = entry.find('|', eq);
    size_t bar2 = bar1 == std::string_view::npos ? bar1 : entry.find('|', bar1 + 1);
    if (eq == std::string_view::npos || bar1 == std::string_view::npos ||
        bar2 == std::string_view::npos) {
      return Error(ErrorCode::kValidation,
                   "llm.platforms: expected platform=base_url|model|API_KEY_ENV, got '" +
                       std::string(entry) + "'");
    }
    LlmEndpoint e;
    std::string platform(Trim(entry.substr(0, eq)));
    e.base_url = std::string(Trim(entry.substr(eq + 1, bar1 - eq - 1)));
    e.model = std::string(Trim(entry.substr(bar1 + 1, bar2 - bar1 - 1)));
    std::string key_env(Trim(entry.substr(bar2 + 1)));
    if (!key_env.empty()) {
      const char* key = std::getenv(key_env.c_str());
      if (key == nullptr) {
        return Error(ErrorCode::kValidation, "llm.platforms: environment variable " + key_env +
                                                 " (API key for " + platform + ") is not set");
      }
      e.api_key = key;
    }
    out[platform] = std::move(e);
  }
  return out;
}

std::optional<json::object> ExtractJsonObject(const std::string& reply) {
  size_t open = reply.find('{');
  size_t close = reply.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(std::string_view(reply).substr(open, close - open + 1), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

Result<std::string> LlmClient::Ask(const LlmEndpoint& endpoint, const LlmMessage& message,
                                   const std::function<bool()>& should_stop) const {
  json::array messages;
  if (!message.system.empty()) {
    messages.push_back(json::object{{"role", "system"}, {"content", message.system}});
  }
  messages.push_back(json::object{{"role", "user"}, {"content", message.user}});
  std::string body =
      json::serialize(json::object{{"model", endpoint.model}, {"messages", std::move(messages)}});
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!endpoint.api_key.empty()) headers.push_back("Authorization: Bearer " + endpoint.api_key);
  client::HttpClient http(endpoint.base_url, settings_.timeout_ms);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string last_problem;
  for (int attempt = 0; attempt <= settings_.max_retries; ++attempt) {
    if (attempt > 0) {
      if (should_stop && should_stop()) break;
      int64_t wait = settings_.backoff_base_ms << (attempt - 1);
      wait = static_cast<int64_t>(static_cast<double>(wait) *
                                  std::uniform_real_distribution<double>(0.5, 1.0)(rng));
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
    auto started = std::chrono::steady_clock::now();
    auto response = http.Send("POST", "/chat/completions", body, headers);
    RecordCall(endpoint.model, response.ok() ? response->status : 0,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (!response.ok()) {
      last_problem = "the provider could not be reached: " + response.error().message();
      continue;
    }
    long status = response->status;
    if (status == 429 || status >= 500) {
      last_problem = "the provider answered " + std::to_string(status);
      if (auto retry = response->Header("retry-after")) {
        char* end = nullptr;
        long seconds = std::strtol(retry->c_str(), &end, 10);
        if (end != retry->c_str() && seconds > 0 && seconds <= 60) {
          std::this_thread::sleep_for(std::chrono::seconds(seconds));
        }
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      return Error(ErrorCode::kValidation,
                   "The provider at " + endpoint.base_url + " rejected the request with " +
                       std::to_string(status) + " for model " + endpoint.model);
    }
    try {
      json::value parsed = json::parse(response->body);
      const auto& content = parsed.at("choices").at(0).at("message").at("content");
      if (content.is_string()) return std::string(content.as_string());
      return std::string();
    } catch (const std::exception&) {
      last_problem = "the provider's answer was not a chat completion";
    }
  }
  return Error(ErrorCode::kServiceUnavailable,
               "Asking " + endpoint.model + " failed after " +
                   std::to_string(settings_.max_retries + 1) + " attempts: " + last_problem,
               json::object{{"retry_after", 30}});
}

}  // namespace rapport
