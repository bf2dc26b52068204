// Concurrent answer-engine calls: one libcurl multi handle per batch, driven by the thread that
// runs the batch; the endpoints' limits come from the process-wide LlmLimiter.
#include <rapport/brand/llm_client.hpp>
#include <rapport/core/metrics.hpp>

#include "llm_limiter.hpp"

#include <curl/curl.h>
#include <boost/json.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <random>

namespace rapport {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxResponseBytes = 8 << 20;
constexpr auto kTick = std::chrono::milliseconds(250);
constexpr auto kMaxRetryAfter = std::chrono::seconds(300);
// 429s are the provider pacing us, not failing: they do not use up llm.max_retries, but a call
// refused this many times in a row gives up.
constexpr int kMaxRateLimited = 12;

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

void RecordTokens(const std::string& model, int64_t prompt, int64_t completion) {
  for (auto [kind, n] : {std::pair{"prompt", prompt}, std::pair{"completion", completion}}) {
    if (n > 0) {
      ProcessMetrics().Count("rapport_llm_tokens_total",
                             "Tokens LLM providers reported using, by model and kind (prompt, "
                             "completion).",
                             {{"model", model}, {"kind", kind}}, static_cast<double>(n));
    }
  }
}

Clock::duration Backoff(int64_t base_ms, int retry) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  int64_t wait = base_ms << std::min(retry - 1, 16);
  return std::chrono::milliseconds(static_cast<int64_t>(
      static_cast<double>(wait) * std::uniform_real_distribution<double>(0.5, 1.0)(rng)));
}

// Retry-After in seconds or as an HTTP date; zero when absent or unreadable.
Clock::duration ParseRetryAfter(const std::string& value) {
  if (value.empty()) return Clock::duration::zero();
  char* end = nullptr;
  long seconds = std::strtol(value.c_str(), &end, 10);
  if (end != value.c_str() && *end == '\0') {
    return std::chrono::seconds(std::clamp<long>(seconds, 0, kMaxRetryAfter.count()));
  }
  time_t at = curl_getdate(value.c_str(), nullptr);
  if (at <= 0) return Clock::duration::zero();
  auto delta = std::chrono::system_clock::from_time_t(at) - std::chrono::system_clock::now();
  return std::clamp<Clock::duration>(std::chrono::duration_cast<Clock::duration>(delta),
                                     Clock::duration::zero(), kMaxRetryAfter);
}

struct Call {
  uint64_t tag = 0;
  LlmEndpoint endpoint;
  std::string url;
  std::string body;
  int64_t estimated_tokens = 0;
  int attempts = 0;
  int failures = 0;  // 5xx, timeouts, unreachable: bounded by llm.max_retries
  int rate_limited = 0;
  Clock::time_point not_before{};
  // The attempt in flight.
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  Clock::time_point started{};
  std::string response;
  std::string retry_after;
  bool overflowed = false;
  char error[CURL_ERROR_SIZE] = {};
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* call = static_cast<Call*>(user);
  if (call->response.size() + size * n > kMaxResponseBytes) {
    call->overflowed = true;
    return 0;
  }
  call->response.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string_view v = line.substr(kName.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) {
        v.remove_suffix(1);
      }
      static_cast<Call*>(user)->retry_after = std::string(v);
    }
  }
  return size * n;
}

// Rough tokens of a request before the provider says: four bytes a token, plus the answer.
int64_t EstimateTokens(const LlmMessage& m, int64_t expected_completion) {
  return static_cast<int64_t>((m.system.size() + m.user.size()) / 4) + 8 + expected_completion;
}

}  // namespace

struct LlmBatch::Impl {
  Impl(const LlmSettings& settings, std::shared_ptr<LlmLimiter> limiter)
      : timeout_ms(settings.timeout_ms),
        max_retries(settings.max_retries),
        backoff_base_ms(settings.backoff_base_ms),
        limiter(std::move(limiter)),
        multi(curl_multi_init()) {
    this->limiter->Watch(multi, [](void* m) { curl_multi_wakeup(static_cast<CURLM*>(m)); });
  }

  ~Impl() {
    AbandonRunning();
    limiter->Unwatch(multi);
    curl_multi_cleanup(multi);
  }

  void Start(std::unique_ptr<Call> call, Clock::time_point now) {
    Call* c = call.get();
    c->easy = curl_easy_init();
    c->response.clear();
    c->retry_after.clear();
    c->overflowed = false;
    c->error[0] = '\0';
    c->started = now;
    ++c->attempts;
    c->headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!c->endpoint.api_key.empty()) {
      c->headers =
          curl_slist_append(c->headers, ("Authorization: Bearer " + c->endpoint.api_key).c_str());
    }
    CURL* e = c->easy;
    curl_easy_setopt(e, CURLOPT_URL, c->url.c_str());
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(c->body.size()));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10'000L));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->error);
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_multi_add_handle(multi, e);
    running.emplace(e, std::move(call));
  }

  std::unique_ptr<Call> Detach(CURL* easy) {
    auto it = running.find(easy);
    std::unique_ptr<Call> call = std::move(it->second);
    running.erase(it);
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
    curl_slist_free_all(call->headers);
    call->easy = nullptr;
    call->headers = nullptr;
    return call;
  }

  // Calls in flight are dropped (their slots given back): the caller is stopping.
  void AbandonRunning() {
    auto now = Clock::now();
    while (!running.empty()) {
      std::unique_ptr<Call> call = Detach(running.begin()->first);
      limiter->End(call->endpoint, LlmLimiter::Ended::kOther, call->started, {},
                   call->estimated_tokens, 0, 0, now);
    }
  }

  // Starts every waiting call its endpoint allows now; returns when to look again.
  Clock::time_point StartReady(Clock::time_point now) {
    Clock::time_point wake = now + kTick;
    std::map<std::string, bool> refused;  // endpoints that said no in this pass keep their order
    for (auto it = waiting.begin(); it != waiting.end();) {
      Call& c = **it;
      if (c.not_before > now) {
        wake = std::min(wake, c.not_before);
        ++it;
        continue;
      }
      std::string key = c.endpoint.LimitKey();
      if (refused.contains(key)) {
        ++it;
        continue;
      }
      if (auto later = limiter->TryStart(c.endpoint, c.estimated_tokens, now)) {
        refused[key] = true;
        if (*later > now) wake = std::min(wake, *later);
        ++it;
        continue;
      }
      std::unique_ptr<Call> call = std::move(*it);
      it = waiting.erase(it);
      Start(std::move(call), now);
    }
    return wake;
  }

  // One attempt ended: the call is retried or its reply handed over.
  void Ended(CURL* easy, CURLcode code, const std::function<void(uint64_t, LlmReply)>& on_reply) {
    LlmResponse response;
    if (code == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
    std::unique_ptr<Call> call = Detach(easy);
    auto now = Clock::now();
    response.body = std::move(call->response);
    if (code != CURLE_OK) {
      response.transport_error = call->overflowed         ? "the answer was larger than 8 MiB"
                                 : call->error[0] != '\0' ? std::string(call->error)
                                                          : curl_easy_strerror(code);
    }
    double seconds = std::chrono::duration<double>(now - call->started).count();
    RecordCall(call->endpoint.model, response.status, seconds);
    bool retry = false;
    LlmReply reply = InterpretResponse(response, &retry);
    RecordTokens(call->endpoint.model, reply.prompt_tokens, reply.completion_tokens);
    Clock::duration retry_after = ParseRetryAfter(call->retry_after);
    limiter->End(call->endpoint,
                 response.status == 429                   ? LlmLimiter::Ended::kRateLimited
                 : reply.outcome == LlmOutcome::kAnswered ? LlmLimiter::Ended::kSuccess
                                                          : LlmLimiter::Ended::kOther,
                 call->started, retry_after, call->estimated_tokens, reply.prompt_tokens,
                 reply.completion_tokens, now);
    if (retry) {
      bool again = false;
      if (response.status == 429) {
        again = ++call->rate_limited <= kMaxRateLimited;
        call->not_before =
            now + (retry_after > Clock::duration::zero()
                       ? retry_after
                       : std::min<Clock::duration>(Backoff(backoff_base_ms, call->rate_limited),
                                                   kMaxRetryAfter));
      } else {
        again = ++call->failures <= max_retries;
        call->not_before = now + Backoff(backoff_base_ms, call->failures);
      }
      if (again) {
        waiting.push_front(std::move(call));
        return;
      }
      reply.error += " (after " + std::to_string(call->attempts) + " attempts)";
    }
    reply.latency_ms = static_cast<int64_t>(seconds * 1000.0);
    reply.attempts = call->attempts;
    on_reply(call->tag, std::move(reply));
  }

  long timeout_ms;
  int max_retries;
  int64_t backoff_base_ms;
  std::shared_ptr<LlmLimiter> limiter;
  CURLM* multi;
  std::deque<std::unique_ptr<Call>> waiting;
  std::map<CURL*, std::unique_ptr<Call>> running;
};

LlmBatch::LlmBatch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LlmBatch::~LlmBatch() = default;
LlmBatch::LlmBatch(LlmBatch&&) noexcept = default;
LlmBatch& LlmBatch::operator=(LlmBatch&&) noexcept = default;

void LlmBatch::Submit(uint64_t tag, const LlmEndpoint& endpoint, const LlmMessage& message) {
  auto call = std::make_unique<Call>();
  call->tag = tag;
  call->endpoint = endpoint;
  std::string base = endpoint.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  call->url = base + "/chat/completions";
  json::array messages;
  if (!message.system.empty()) {
    messages.push_back(json::object{{"role", "system"}, {"content", message.system}});
  }
  messages.push_back(json::object{{"role", "user"}, {"content", message.user}});
  call->body =
      json::serialize(json::object{{"model", endpoint.model}, {"messages", std::move(messages)}});
  call->estimated_tokens =
      EstimateTokens(message, impl_->limiter->ExpectedCompletionTokens(endpoint));
  impl_->waiting.push_back(std::move(call));
}

size_t LlmBatch::queued() const { return impl_->waiting.size(); }

bool LlmBatch::Run(const std::function<void(uint64_t, LlmReply)>& on_reply,
                   const std::function<bool()>& should_stop, const std::function<void()>& tick) {
  Impl& b = *impl_;
  auto next_tick = Clock::now() + kTick;
  while (!b.waiting.empty() || !b.running.empty()) {
    if (should_stop && should_stop()) {
      b.AbandonRunning();
      b.waiting.clear();
      return false;
    }
    auto now = Clock::now();
    if (tick && now >= next_tick) {
      tick();
      next_tick = now + kTick;
    }
    Clock::time_point wake = std::min(b.StartReady(now), next_tick);
    int still = 0;
    curl_multi_perform(b.multi, &still);
    bool ended = false;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(b.multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      b.Ended(msg->easy_handle, msg->data.result, on_reply);
      ended = true;
    }
    if (ended) continue;  // slots freed: start what waits before sleeping
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now());
    int timeout = static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 250));
    curl_multi_poll(b.multi, nullptr, 0, timeout, nullptr);
  }
  return true;
}

LlmClient::LlmClient(LlmSettings settings)
    : settings_(std::move(settings)),
      limiter_(std::make_shared<LlmLimiter>(std::max(1, settings_.max_in_flight))) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

LlmBatch LlmClient::NewBatch() const {
  return LlmBatch(std::make_unique<LlmBatch::Impl>(settings_, limiter_));
}

Result<std::string> LlmClient::Ask(const LlmEndpoint& endpoint, const LlmMessage& message,
                                   const std::function<bool()>& should_stop) const {
  LlmBatch batch = NewBatch();
  batch.Submit(0, endpoint, message);
  std::optional<LlmReply> reply;
  if (!batch.Run([&](uint64_t, LlmReply r) { reply = std::move(r); }, should_stop) || !reply) {
    return Error(ErrorCode::kServiceUnavailable, "Stopped while asking " + endpoint.model,
                 json::object{{"retry_after", 30}});
  }
  switch (reply->outcome) {
    case LlmOutcome::kAnswered:
      return std::move(reply->text);
    case LlmOutcome::kFailed:
    case LlmOutcome::kPlatformDown:
      return Error(ErrorCode::kValidation, "The provider at " + endpoint.base_url +
                                               " refused model " + endpoint.model + ": " +
                                               reply->error);
    case LlmOutcome::kUnavailable:
      break;
  }
  return Error(ErrorCode::kServiceUnavailable,
               "Asking " + endpoint.model + " failed: " + reply->error,
               json::object{{"retry_after", 30}});
}

}  // namespace rapport
