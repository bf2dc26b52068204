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

 private:
  std::string base_url_;
  long timeout_ms_;
  void* curl_;
};

}  // namespace rapport::client
