// A local OpenAI-compatible chat-completions server for tests (the real providers are on the
// internet): POST /v1/chat/completions answers deterministically from the user prompt, and can
// be told to fail (500), throttle (429 + Retry-After) or stall the next N requests.
#pragma once

#include "local_http_server.hpp"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rapport::testing {

class FakeLlm {
 public:
  FakeLlm();
  ~FakeLlm() = default;
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

  // The answer given to `prompt`: prompts mentioning "best" list Globex first and Acme second
  // with a citation; others mention only Initech.
  static std::string AnswerFor(const std::string& prompt);
  // The judge's verdicts (a correct, a contradicted and an unsupported claim, in a code fence)
  // and the research result (facts JSON with one unknown field).
  static std::string JudgementFor(const std::string& prompt);
  static std::string ResearchFor(const std::string& prompt);

 private:
  std::string Respond(const ReceivedRequest& request);

  std::atomic<int> fail_{0}, throttle_{0}, stall_{0}, stall_ms_{0}, requests_{0};
  std::atomic<int64_t> answering_us_{0};
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  struct Scripted {
    std::string prompt_contains, answer, model;
  };
  std::vector<Scripted> scripts_;
  LocalHttpServer server_;  // last: its thread starts once the state above exists
};

}  // namespace rapport::testing
