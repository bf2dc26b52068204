// A local OpenAI-compatible chat-completions server for tests (the real providers are on the
// internet): POST /v1/chat/completions answers deterministically from the user prompt, and can
// be told to fail (500), throttle (429 + Retry-After), stall, answer slowly, refuse chosen
// prompts with a status of its own, cite sources the way Perplexity or OpenAI do, and report
// token usage. It serves many requests at once (a thread per connection) and records each one,
// so that a test can check what a client sent, when, and how many at a time.
//
// Thread-safety: every method may be called from any thread while requests are served.
#pragma once

#include "local_http_server.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rapport::testing {

// Token usage, as the fake reports it in a response's `usage`, or summed over responses.
struct LlmUsage {
  int64_t calls = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};

// One request the fake received. Times are milliseconds on a steady clock since the fake was
// created: `arrived_ms` when the whole request was read, `answered_ms` just before the response
// was written (after any latency).
struct LlmRequest {
  std::string model;
  std::string system;  // the system message ("" if none)
  std::string user;    // the user message
  int64_t arrived_ms = 0;
  int64_t answered_ms = 0;
  int status = 0;  // 0: not answered yet (or stalled: closed without an answer)
  LlmUsage usage;  // of a 2xx answer (calls = 1); zeros otherwise
};

// How a provider returns the sources of an answer.
enum class CitationStyle {
  kPerplexity,  // top-level `citations` (URL strings) and `search_results` ({title, url})
  kOpenAi,      // `choices[0].message.annotations[]` of type "url_citation"
};

// A source the fake cites: its URL and title (empty: the provider gave no title).
struct CitedSource {
  std::string url;
  std::string title;
};

class FakeLlm {
 public:
  FakeLlm();
  ~FakeLlm();  // wakes requests waiting out their latency, then waits for every handler
  FakeLlm(const FakeLlm&) = delete;
  FakeLlm& operator=(const FakeLlm&) = delete;

  std::string base_url() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/v1";
  }
  // The next `n` requests answer 500 / 429 (Retry-After: 1) / nothing for `stall_ms`.
  void FailNext(int n) { fail_ = n; }
  void ThrottleNext(int n) { throttle_ = n; }
  void StallNext(int n, int stall_ms) {
    stall_ms_ = stall_ms;
    stall_ = n;
  }
  int requests() const { return requests_; }
  // Time spent answering, from the request's last byte to the response's, summed over requests.
  int64_t answering_us() const { return answering_us_; }
  std::vector<std::string> bodies() const;
  // From now on, a prompt containing `prompt_contains` asked of `model` (the platform; "" for
  // any) is answered `answer` instead of AnswerFor's; the first matching script wins.
  void Script(std::string prompt_contains, std::string answer, std::string model = "");
  // Like Script, but the n-th matching request (0-based, counted per script) is answered
  // `answers[n % answers.size()]`: successive samples of one prompt get different answers.
  void ScriptSequence(std::string prompt_contains, std::vector<std::string> answers,
                      std::string model = "");
  // A matching prompt is answered 200 with `finish_reason` "content_filter" (and a partial
  // answer that mentions nobody).
  void FilterContent(std::string prompt_contains, std::string model = "");

  // --- Pace, throttling and refusals.
  // Every answer (not a throttled 429) waits `ms` before it is written.
  void SetLatency(int ms);
  // The wait of each answer, chosen per request from its model and user prompt.
  void SetLatency(std::function<int(const std::string& model, const std::string& prompt)> latency);
  // A prompt containing `prompt_contains` ("" for every prompt) asked of `model` ("" for any) is
  // answered `status` with `body` (e.g. 400 and an OpenAI error object). Checked after the
  // throttles and before the scripts; the first matching entry wins.
  void RespondStatus(std::string prompt_contains, int status, std::string body,
                     std::string model = "");
  // An OpenAI-style error body: {"error": {"message", "type", "code"}}.
  static std::string ErrorBody(const std::string& message, const std::string& code,
                               const std::string& type = "invalid_request_error");
  // Per model (each has its own window; only `model` when not ""): at most `per_window` requests
  // are answered per fixed window of `window_ms` (the first starts with the model's first
  // request); the others get 429 with "Retry-After: <retry_after_s>" at once (no latency).
  void ThrottleBeyond(int per_window, int window_ms, int retry_after_s, std::string model = "");

  // --- Citations and usage.
  // Answers of `model` (not judgements or research) carry the sources of `style`.
  void CiteWith(std::string model, CitationStyle style);
  // The sources the fake cites in `style`. Perplexity: `citations` lists the three URLs and
  // `search_results` the first two with their titles (the third has no title). OpenAI: one
  // url_citation annotation per source (plus a file_citation annotation, which is no source).
  static std::vector<CitedSource> SourcesOf(CitationStyle style);
  // A 2xx answer's usage: prompt_tokens = max(1, chars of the system and user messages / 4),
  // completion_tokens = max(1, chars of the answer / 4). SetUsage replaces both for `model`.
  static LlmUsage UsageFor(const std::string& system, const std::string& user,
                           const std::string& answer);
  void SetUsage(std::string model, int64_t prompt_tokens, int64_t completion_tokens);

  // --- What was received.
  // Requests of `model` ("" for any) whose user message contains `prompt_contains`.
  int requests_for(const std::string& model, const std::string& prompt_contains = "") const;
  // Requests being answered right now (received, response not yet written), and the most at
  // any moment so far; of `model`, or of all models for "".
  int in_flight(const std::string& model = "") const;
  int max_in_flight(const std::string& model = "") const;
  // Usage summed over the 2xx answers of `model` ("" for all).
  LlmUsage usage_for(const std::string& model = "") const;
  // Every request so far, in order of arrival.
  std::vector<LlmRequest> log() const;
  // When each 429 of `model` ("" for any) was answered, and its Retry-After in ms.
  struct Throttled {
    std::string model;
    int64_t answered_ms = 0;
    int64_t retry_after_ms = 0;
  };
  std::vector<Throttled> throttled(const std::string& model = "") const;

  // The answer given to `prompt`: prompts mentioning "best" list Globex first and Acme second
  // with a citation; others mention only Initech.
  static std::string AnswerFor(const std::string& prompt);
  // The judge's verdicts (a correct, a contradicted and an unsupported claim, in a code fence)
  // and the research result (facts JSON with one unknown field).
  static std::string JudgementFor(const std::string& prompt);
  static std::string ResearchFor(const std::string& prompt);

 private:
  struct Parsed {
    std::string model, system, user;
  };
  struct Scripted {
    std::string prompt_contains, model;
    std::vector<std::string> answers;
    int used = 0;
  };
  struct StatusScript {
    std::string prompt_contains, model, body;
    int status = 0;
  };
  struct Window {
    int64_t start_ms = -1;
    int count = 0;
  };

  std::string Respond(const ReceivedRequest& request);
  std::string Answer(const Parsed& p, size_t index);
  std::optional<std::string> Throttle(const Parsed& p, size_t index);
  std::optional<std::string> ScriptedStatus(const Parsed& p, size_t index);
  std::string Throttled429(const std::string& model, size_t index, int retry_after_s);
  std::string Content(const Parsed& p, bool& filtered);
  void WaitLatency(const Parsed& p);
  size_t Arrive(const Parsed& p);
  void Finish(size_t index, int status, const LlmUsage& usage);
  int64_t ElapsedMs() const;

  std::atomic<int> fail_{0}, throttle_{0}, stall_{0}, stall_ms_{0}, requests_{0};
  std::atomic<int64_t> answering_us_{0};
  const std::chrono::steady_clock::time_point epoch_ = std::chrono::steady_clock::now();
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::string> bodies_;
  std::vector<Scripted> scripts_;
  std::vector<StatusScript> statuses_;
  std::vector<std::pair<std::string, std::string>> filtered_;  // (prompt_contains, model)
  std::function<int(const std::string&, const std::string&)> latency_;
  int throttle_per_window_ = 0, throttle_window_ms_ = 0, throttle_retry_after_s_ = 0;
  std::string throttle_model_;
  std::map<std::string, Window> windows_;
  std::map<std::string, CitationStyle> citing_;
  std::map<std::string, LlmUsage> usage_overrides_;
  std::vector<LlmRequest> log_;
  std::vector<Throttled> throttled_;
  std::map<std::string, int> in_flight_, max_in_flight_;
  int in_flight_total_ = 0, max_in_flight_total_ = 0;
  LocalHttpServer server_;  // last: its thread starts once the state above exists
};

}  // namespace rapport::testing
