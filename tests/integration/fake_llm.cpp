#include "fake_llm.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>

namespace rapport::testing {
namespace {

namespace json = boost::json;

bool Matches(const std::string& text, const std::string& contains, const std::string& model,
             const std::string& wanted_model) {
  return text.find(contains) != std::string::npos &&
         (wanted_model.empty() || wanted_model == model);
}

bool IsJudgeOrResearch(const std::string& system) {
  return system.find("fact-checker") != std::string::npos ||
         system.find("research") != std::string::npos;
}

json::object UsageJson(const LlmUsage& u) {
  return json::object{{"prompt_tokens", u.prompt_tokens},
                      {"completion_tokens", u.completion_tokens},
                      {"total_tokens", u.prompt_tokens + u.completion_tokens}};
}

const char* kJson = "Content-Type: application/json\r\n";

}  // namespace

FakeLlm::FakeLlm() : server_([this](const ReceivedRequest& r) { return Respond(r); }) {}

FakeLlm::~FakeLlm() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
}

std::vector<std::string> FakeLlm::bodies() const {
  std::lock_guard lock(mu_);
  return bodies_;
}

void FakeLlm::Script(std::string prompt_contains, std::string answer, std::string model) {
  std::lock_guard lock(mu_);
  scripts_.push_back({std::move(prompt_contains), std::move(model), {std::move(answer)}});
}

void FakeLlm::ScriptSequence(std::string prompt_contains, std::vector<std::string> answers,
                             std::string model) {
  std::lock_guard lock(mu_);
  scripts_.push_back({std::move(prompt_contains), std::move(model), std::move(answers)});
}

void FakeLlm::FilterContent(std::string prompt_contains, std::string model) {
  std::lock_guard lock(mu_);
  filtered_.emplace_back(std::move(prompt_contains), std::move(model));
}

void FakeLlm::SetLatency(int ms) {
  SetLatency([ms](const std::string&, const std::string&) { return ms; });
}

void FakeLlm::SetLatency(std::function<int(const std::string&, const std::string&)> latency) {
  std::lock_guard lock(mu_);
  latency_ = std::move(latency);
}

void FakeLlm::RespondStatus(std::string prompt_contains, int status, std::string body,
                            std::string model) {
  std::lock_guard lock(mu_);
  statuses_.push_back({std::move(prompt_contains), std::move(model), std::move(body), status});
}

std::string FakeLlm::ErrorBody(const std::string& message, const std::string& code,
                               const std::string& type) {
  return json::serialize(
      json::object{{"error", json::object{{"message", message}, {"type", type}, {"code", code}}}});
}

void FakeLlm::ThrottleBeyond(int per_window, int window_ms, int retry_after_s, std::string model) {
  std::lock_guard lock(mu_);
  throttle_per_window_ = per_window;
  throttle_window_ms_ = window_ms;
  throttle_retry_after_s_ = retry_after_s;
  throttle_model_ = std::move(model);
  windows_.clear();
}

void FakeLlm::CiteWith(std::string model, CitationStyle style) {
  std::lock_guard lock(mu_);
  citing_[std::move(model)] = style;
}

std::vector<CitedSource> FakeLlm::SourcesOf(CitationStyle style) {
  if (style == CitationStyle::kPerplexity) {
    return {{"https://perplexity-one.example/buyers-guide", "Analytics buyer's guide"},
            {"https://perplexity-two.example/2026/ranking", "Analytics ranking 2026"},
            {"https://perplexity-three.example/thread", ""}};
  }
  return {{"https://openai-one.example/best-analytics", "Best analytics tools"},
          {"https://openai-two.example/acme-review", "An Acme review"}};
}

LlmUsage FakeLlm::UsageFor(const std::string& system, const std::string& user,
                           const std::string& answer) {
  LlmUsage u;
  u.calls = 1;
  u.prompt_tokens = std::max<int64_t>(1, static_cast<int64_t>(system.size() + user.size()) / 4);
  u.completion_tokens = std::max<int64_t>(1, static_cast<int64_t>(answer.size()) / 4);
  return u;
}

void FakeLlm::SetUsage(std::string model, int64_t prompt_tokens, int64_t completion_tokens) {
  std::lock_guard lock(mu_);
  usage_overrides_[std::move(model)] = LlmUsage{1, prompt_tokens, completion_tokens};
}

int FakeLlm::requests_for(const std::string& model, const std::string& prompt_contains) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count_if(log_.begin(), log_.end(), [&](const LlmRequest& r) {
    return Matches(r.user, prompt_contains, r.model, model);
  }));
}

int FakeLlm::in_flight(const std::string& model) const {
  std::lock_guard lock(mu_);
  if (model.empty()) return in_flight_total_;
  auto it = in_flight_.find(model);
  return it == in_flight_.end() ? 0 : it->second;
}

int FakeLlm::max_in_flight(const std::string& model) const {
  std::lock_guard lock(mu_);
  if (model.empty()) return max_in_flight_total_;
  auto it = max_in_flight_.find(model);
  return it == max_in_flight_.end() ? 0 : it->second;
}

LlmUsage FakeLlm::usage_for(const std::string& model) const {
  std::lock_guard lock(mu_);
  LlmUsage sum;
  for (const auto& r : log_) {
    if (!model.empty() && r.model != model) continue;
    sum.calls += r.usage.calls;
    sum.prompt_tokens += r.usage.prompt_tokens;
    sum.completion_tokens += r.usage.completion_tokens;
  }
  return sum;
}

std::vector<LlmRequest> FakeLlm::log() const {
  std::lock_guard lock(mu_);
  return log_;
}

std::vector<FakeLlm::Throttled> FakeLlm::throttled(const std::string& model) const {
  std::lock_guard lock(mu_);
  std::vector<Throttled> out;
  for (const auto& t : throttled_) {
    if (model.empty() || t.model == model) out.push_back(t);
  }
  return out;
}

std::string FakeLlm::AnswerFor(const std::string& prompt) {
  if (prompt.find("best") != std::string::npos) {
    return "Die besten Anbieter:\n1. Globex Insights - beliebt bei Konzernen\n"
           "2. Acme Analytics - hervorragend und zuverlässig (https://acme.example.com)\n";
  }
  return "Initech is a common choice; see initech.io for details.";
}

std::string FakeLlm::JudgementFor(const std::string&) {
  return "Here is my assessment:\n```json\n{\"claims\": ["
         "{\"claim\": \"Acme Analytics makes analytics software\", \"verdict\": \"correct\"},"
         "{\"claim\": \"Acme Analytics was founded in 1999\", \"verdict\": \"contradicted\"},"
         "{\"claim\": \"Acme Analytics is reliable\", \"verdict\": \"unsupported\"}]}\n```";
}

std::string FakeLlm::ResearchFor(const std::string&) {
  return "{\"description\": \"Acme Analytics builds dashboards for retailers.\", "
         "\"industry\": \"Software\", \"founded_year\": 2011, \"headquarters\": \"Ohio\", "
         "\"key_facts\": [\"Serves 400 retailers\"], "
         "\"key_people\": [{\"name\": \"Ada Lovelace\", \"title\": \"CEO\"}], "
         "\"bogus_field\": 42}";
}

int64_t FakeLlm::ElapsedMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               epoch_)
      .count();
}

size_t FakeLlm::Arrive(const Parsed& p) {
  std::lock_guard lock(mu_);
  log_.push_back(LlmRequest{p.model, p.system, p.user, ElapsedMs(), 0, 0, {}});
  int now = ++in_flight_[p.model];
  max_in_flight_[p.model] = std::max(max_in_flight_[p.model], now);
  max_in_flight_total_ = std::max(max_in_flight_total_, ++in_flight_total_);
  return log_.size() - 1;
}

void FakeLlm::Finish(size_t index, int status, const LlmUsage& usage) {
  std::lock_guard lock(mu_);
  LlmRequest& r = log_[index];
  r.answered_ms = ElapsedMs();
  r.status = status;
  r.usage = usage;
  --in_flight_[r.model];
  --in_flight_total_;
}

void FakeLlm::WaitLatency(const Parsed& p) {
  std::unique_lock lock(mu_);
  int ms = latency_ ? latency_(p.model, p.user) : 0;
  if (ms > 0) wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

std::string FakeLlm::Throttled429(const std::string& model, size_t index, int retry_after_s) {
  {
    std::lock_guard lock(mu_);
    throttled_.push_back({model, ElapsedMs(), retry_after_s * 1000LL});
  }
  Finish(index, 429, {});
  return HttpResponse(
      429, ErrorBody("Rate limit reached", "rate_limit_exceeded", "requests"),
      std::string(kJson) + "Retry-After: " + std::to_string(retry_after_s) + "\r\n");
}

std::optional<std::string> FakeLlm::Throttle(const Parsed& p, size_t index) {
  int retry_after_s = 0;
  {
    std::lock_guard lock(mu_);
    if (throttle_per_window_ <= 0) return std::nullopt;
    if (!throttle_model_.empty() && throttle_model_ != p.model) return std::nullopt;
    Window& w = windows_[p.model];
    int64_t now = ElapsedMs();
    if (w.start_ms < 0 || now >= w.start_ms + throttle_window_ms_) w = Window{now, 0};
    if (w.count < throttle_per_window_) {
      ++w.count;
      return std::nullopt;
    }
    retry_after_s = throttle_retry_after_s_;
  }
  return Throttled429(p.model, index, retry_after_s);
}

std::optional<std::string> FakeLlm::ScriptedStatus(const Parsed& p, size_t index) {
  std::optional<StatusScript> hit;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : statuses_) {
      if (Matches(p.user, s.prompt_contains, p.model, s.model)) {
        hit = s;
        break;
      }
    }
  }
  if (!hit) return std::nullopt;
  Finish(index, hit->status, {});
  return HttpResponse(hit->status, hit->body, kJson);
}

std::string FakeLlm::Content(const Parsed& p, bool& filtered) {
  std::string content = AnswerFor(p.user);
  {
    std::lock_guard lock(mu_);
    for (auto& s : scripts_) {
      if (Matches(p.user, s.prompt_contains, p.model, s.model)) {
        content = s.answers[static_cast<size_t>(s.used++) % s.answers.size()];
        break;
      }
    }
    for (const auto& [contains, model] : filtered_) {
      if (Matches(p.user, contains, p.model, model)) {
        filtered = true;
        content = "I can only partly answer this question.";
      }
    }
  }
  if (p.system.find("fact-checker") != std::string::npos) content = JudgementFor(p.user);
  if (p.system.find("research") != std::string::npos) content = ResearchFor(p.user);
  return content;
}

std::string FakeLlm::Answer(const Parsed& p, size_t index) {
  bool filtered = false;
  std::string content = Content(p, filtered);
  LlmUsage usage = UsageFor(p.system, p.user, content);
  std::optional<CitationStyle> style;
  {
    std::lock_guard lock(mu_);
    if (auto it = usage_overrides_.find(p.model); it != usage_overrides_.end()) usage = it->second;
    if (auto it = citing_.find(p.model); it != citing_.end() && !IsJudgeOrResearch(p.system)) {
      style = it->second;
    }
  }
  json::object message{{"role", "assistant"}, {"content", content}};
  json::object body{{"id", "chatcmpl-test"}, {"object", "chat.completion"}, {"model", p.model}};
  if (style == CitationStyle::kOpenAi) {
    json::array annotations;
    for (const auto& s : SourcesOf(*style)) {
      annotations.push_back(json::object{
          {"type", "url_citation"},
          {"url_citation", json::object{{"url", s.url},
                                        {"title", s.title},
                                        {"start_index", 0},
                                        {"end_index", static_cast<int64_t>(content.size())}}}});
    }
    annotations.push_back(
        json::object{{"type", "file_citation"},
                     {"file_citation", json::object{{"file_id", "file-not-a-source"}}}});
    message["annotations"] = std::move(annotations);
  } else if (style == CitationStyle::kPerplexity) {
    json::array citations, results;
    for (const auto& s : SourcesOf(*style)) {
      citations.emplace_back(s.url);
      if (!s.title.empty()) results.push_back(json::object{{"title", s.title}, {"url", s.url}});
    }
    body["citations"] = std::move(citations);
    body["search_results"] = std::move(results);
  }
  body["choices"] =
      json::array{json::object{{"index", 0},
                               {"message", std::move(message)},
                               {"finish_reason", filtered ? "content_filter" : "stop"}}};
  body["usage"] = UsageJson(usage);
  Finish(index, 200, usage);
  return HttpResponse(200, json::serialize(body), kJson);
}

std::string FakeLlm::Respond(const ReceivedRequest& request) {
  ++requests_;
  auto started = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    bodies_.push_back(request.body);
  }
  Parsed p;
  try {
    auto v = json::parse(request.body);
    p.model = v.at("model").as_string();
    for (const auto& m : v.at("messages").as_array()) {
      if (m.at("role").as_string() == "user") p.user = m.at("content").as_string();
      if (m.at("role").as_string() == "system") p.system = m.at("content").as_string();
    }
  } catch (...) {
  }
  size_t index = Arrive(p);
  std::string response;
  if (stall_ > 0) {
    --stall_;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(stall_ms_.load()), [this] { return stopping_; });
    lock.unlock();
    Finish(index, 0, {});
    return "";
  }
  if (fail_ > 0) {
    --fail_;
    WaitLatency(p);
    Finish(index, 500, {});
    response = HttpResponse(500);
  } else if (throttle_ > 0) {
    --throttle_;
    response = Throttled429(p.model, index, 1);
  } else if (auto throttled = Throttle(p, index)) {
    response = std::move(*throttled);
  } else {
    WaitLatency(p);
    if (auto scripted = ScriptedStatus(p, index)) {
      response = std::move(*scripted);
    } else {
      response = Answer(p, index);
    }
  }
  answering_us_ += std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  return response;
}

}  // namespace rapport::testing
