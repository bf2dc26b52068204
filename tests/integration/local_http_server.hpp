// A minimal HTTP/1.1 server on an ephemeral loopback port, for the stand-ins of services on the
// internet (an LLM provider, a webhook receiver): one request per connection, answered by a
// handler on its own thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>

namespace rapport::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// "HTTP/1.1 <status> <reason>" with a body and Connection: close.
std::string HttpResponse(int status, const std::string& body = "",
                         const std::string& extra_headers = "");

class LocalHttpServer {
 public:
  // Returns the raw response to write; empty: close the connection without answering.
  using Handler = std::function<std::string(const ReceivedRequest&)>;
  explicit LocalHttpServer(Handler handler);
  ~LocalHttpServer();  // waits for handlers still running
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  int port() const { return port_; }

 private:
  void Serve();
  void Handle(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> active_{0};
  std::thread thread_;
};

}  // namespace rapport::testing
