#include "fake_llm.hpp"

#include <boost/json.hpp>

#include <chrono>

namespace rapport::testing {

FakeLlm::FakeLlm() : server_([this](const ReceivedRequest& r) { return Respond(r); }) {}

std::vector<std::string> FakeLlm::bodies() const {
  std::lock_guard lock(mu_);
  return bodies_;
}

void FakeLlm::Script(std::string prompt_contains, std::string answer, std::string model) {
  std::lock_guard lock(mu_);
  scripts_.push_back({std::move(prompt_contains), std::move(answer), std::move(model)});
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

std::string FakeLlm::Respond(const ReceivedRequest& request) {
  ++requests_;
  auto started = std::chrono::steady_clock::now();
  const std::string& body = request.body;
  {
    std::lock_guard lock(mu_);
    bodies_.push_back(body);
  }
  std::string response;
  if (stall_ > 0) {
    --stall_;
    std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms_.load()));
    return "";
  }
  if (fail_ > 0) {
    --fail_;
    response = HttpResponse(500);
  } else if (throttle_ > 0) {
    --throttle_;
    response = HttpResponse(429, "", "Retry-After: 1\r\n");
  } else {
    std::string prompt, system, model;
    try {
      auto v = boost::json::parse(body);
      model = v.at("model").as_string();
      for (const auto& m : v.at("messages").as_array()) {
        if (m.at("role").as_string() == "user") prompt = m.at("content").as_string();
        if (m.at("role").as_string() == "system") system = m.at("content").as_string();
      }
    } catch (...) {
    }
    std::string content = AnswerFor(prompt);
    {
      std::lock_guard lock(mu_);
      for (const auto& s : scripts_) {
        if (prompt.find(s.prompt_contains) != std::string::npos &&
            (s.model.empty() || s.model == model)) {
          content = s.answer;
          break;
        }
      }
    }
    if (system.find("fact-checker") != std::string::npos) content = JudgementFor(prompt);
    if (system.find("research") != std::string::npos) content = ResearchFor(prompt);
    std::string json = boost::json::serialize(boost::json::object{
        {"id", "chatcmpl-test"},
        {"object", "chat.completion"},
        {"model", model},
        {"choices",
         boost::json::array{boost::json::object{
             {"index", 0},
             {"message", boost::json::object{{"role", "assistant"}, {"content", content}}},
             {"finish_reason", "stop"}}}}});
    response = HttpResponse(200, json, "Content-Type: application/json\r\n");
  }
  answering_us_ += std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  return response;
}

}  // namespace rapport::testing
