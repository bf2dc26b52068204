// Local stand-ins for the delivery peers on the internet, speaking the real protocols: a webhook
// receiver (HTTP) that records requests and fails or stalls on demand, and an SMTP server
// (tests/integration/smtp_sink.py, Debian's aiosmtpd) that stores the messages it accepts.
#pragma once

#include "local_http_server.hpp"

#include <boost/json.hpp>

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rapport::testing {

// Records every request; answers 500 or nothing (a stall past rapportd's timeout) on demand.
class WebhookReceiver {
 public:
  WebhookReceiver();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/hook"; }
  void FailNext(int n) { fail_ = n; }
  void StallNext(int n) { stall_ = n; }
  std::vector<ReceivedRequest> received() const;
  // Waits until `n` requests were accepted (2xx).
  bool WaitAccepted(int n, int timeout_ms = 15'000) const;

 private:
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> received_;
  std::atomic<int> fail_{0}, stall_{0}, accepted_{0};
  LocalHttpServer server_;
};

// tests/integration/smtp_sink.py: Debian's aiosmtpd on a free loopback port, storing messages.
class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // The stored messages, oldest first.
  std::vector<std::filesystem::path> Messages() const;
  bool WaitMessages(size_t n, int timeout_ms = 15'000) const;
  // The message's headers and text (JSON) and its PDF attachment's bytes.
  std::pair<boost::json::value, std::string> Parse(const std::filesystem::path& eml) const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace rapport::testing
