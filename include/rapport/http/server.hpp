// The HTTP/1.1 server: `read_threads` I/O loops (Boost.Beast, one thread each) parse and write;
// GET and HEAD handlers run inline on the connection's loop, other methods on a write pool (they
// may wait on the database writer) with the response posted back. Keep-alive, per-message
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
  // I/O loops; also how many GET/HEAD handlers can run at once (each runs on its loop).
  int read_threads = 1;
  // Threads for the handlers of other methods.
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
