#include "fake_llm.hpp"

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace rapport::testing {

FakeLlm::FakeLlm() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeLlm::~FakeLlm() {
  stop_ = true;
  thread_.join();
  while (active_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  close(listen_fd_);
}

std::vector<std::string> FakeLlm::bodies() const {
  std::lock_guard lock(mu_);
  return bodies_;
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

void FakeLlm::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++active_;
    std::thread([this, fd] {
      Handle(fd);
      --active_;
    }).detach();
  }
}

void FakeLlm::Handle(int fd) {
  std::string data;
  char buf[8192];
  size_t header_end = std::string::npos, content_length = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::string headers = data.substr(0, header_end);
        for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto at = headers.find("content-length:");
        if (at != std::string::npos) content_length = std::stoul(headers.substr(at + 15));
      }
    }
    if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
  }
  ++requests_;
  auto started = std::chrono::steady_clock::now();
  std::string body = header_end == std::string::npos ? "" : data.substr(header_end + 4);
  {
    std::lock_guard lock(mu_);
    bodies_.push_back(body);
  }
  std::string response;
  if (stall_ > 0) {
    --stall_;
    std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms_.load()));
    close(fd);
    return;
  }
  if (fail_ > 0) {
    --fail_;
    response =
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  } else if (throttle_ > 0) {
    --throttle_;
    response =
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n";
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
    response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(json.size()) + "\r\nConnection: close\r\n\r\n" + json;
  }
  send(fd, response.data(), response.size(), MSG_NOSIGNAL);
  answering_us_ += std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  close(fd);
}

}  // namespace rapport::testing
