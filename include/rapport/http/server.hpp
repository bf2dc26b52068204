// The HTTP/1.1 server: one I/O thread (Boost.Beast) parses and writes; handlers run on a read
// pool (GET, HEAD) or a write pool (other methods). Measured on 2 cores (bench/run.sh): one I/O
// thread + one read thread served 47k req/s, + two read threads 39k, and GET handlers run inline
// on the I/O thread(s) 16-29k, so the read pool defaults to cores - 1. Keep-alive, per-message
// header/body limits, idle and read timeouts, and a graceful drain on Shutdown().
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/http/message.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace rapport::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free port
  int read_threads = 1;
  int write_threads = 2;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  // Bulk endpoints (exact paths) accept bodies up to `max_bulk_body_bytes` instead.
  std::vector<std::string> bulk_paths;
  size_t max_bulk_body_bytes = 16 * 1024 * 1024;
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds drain_timeout{9};
};

class Server {
 public:
  Server(ServerOptions options, Handler handler, ProtocolErrorResponder on_error);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; fails with kServiceUnavailable when the address cannot be bound.
  Status Listen();
  // The bound port (after Listen()).
  uint16_t port() const;
  // Serves until Shutdown() (or SIGTERM/SIGINT when `handle_signals`), then drains in-flight
  // requests for at most `drain_timeout` and returns.
  void Run(bool handle_signals);
  // Stops accepting and begins the drain. Thread-safe, idempotent.
  void Shutdown();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapport::http
