// A small blocking HTTP client over libcurl, used by the CLI and the integration tests. Keeps
// one connection alive across calls. Not thread-safe: one client per thread.
#pragma once

#include <rapport/core/result.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rapport::client {

struct HttpResult {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  std::optional<std::string> Header(std::string_view lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url, long timeout_ms = 30000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; fails with kServiceUnavailable when the server cannot be reached.
  // `headers` are "Name: value" lines.
  Result<HttpResult> Send(const std::string& method, const std::string& path,
                          const std::string& body = "",
                          const std::vector<std::string>& headers = {});

  const std::string& base_url() const { return base_url_; }

  // Connects to `ip` for `host`:`port` instead of resolving the name again (the address a
  // caller checked is the one used: no DNS rebinding between check and use).
  void Pin(const std::string& host, int port, const std::string& ip);
  // A response body larger than this fails the call (0: no limit).
  void SetMaxResponseBytes(size_t bytes) { max_response_bytes_ = bytes; }
  // Only these schemes, for the request and any redirect (redirects are never followed).
  void RestrictToHttp() { http_only_ = true; }

 private:
  std::string base_url_;
  long timeout_ms_;
  void* curl_;
  std::vector<std::string> pins_;
  size_t max_response_bytes_ = 0;
  bool http_only_ = false;
};

}  // namespace rapport::client
