#include <rapport/client/http_client.hpp>

#include <curl/curl.h>
#include <strings.h>

#include <mutex>

namespace rapport::client {
namespace {

struct BodySink {
  std::string* body;
  size_t limit;  // 0: none
  bool overflowed = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->limit > 0 && sink->body->size() + size * n > sink->limit) {
    sink->overflowed = true;
    return 0;  // aborts the transfer
  }
  sink->body->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  size_t colon = line.find(':');
  if (colon != line.npos) {
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    static_cast<HttpResult*>(user)->headers.emplace_back(std::move(name), std::string(value));
  }
  return size * n;
}

}  // namespace

std::optional<std::string> HttpResult::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return std::nullopt;
}

HttpClient::HttpClient(std::string base_url, long timeout_ms)
    : base_url_(std::move(base_url)), timeout_ms_(timeout_ms) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Result<HttpResult> HttpClient::Send(const std::string& method, const std::string& path,
                                    const std::string& body,
                                    const std::vector<std::string>& headers) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  HttpResult result;
  std::string url = base_url_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  BodySink sink{&result.body, max_response_bytes_};
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_slist* resolve = nullptr;
  for (const auto& pin : pins_) resolve = curl_slist_append(resolve, pin.c_str());
  if (resolve) curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
  if (http_only_) {
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result);
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  curl_slist* list = nullptr;
  list = curl_slist_append(list, "Expect:");
  bool typed = false;
  for (const auto& h : headers) typed = typed || strncasecmp(h.c_str(), "content-type:", 13) == 0;
  if (!body.empty() && !typed) list = curl_slist_append(list, "Content-Type: application/json");
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  curl_slist_free_all(resolve);
  if (sink.overflowed) {
    return Error(
        ErrorCode::kServiceUnavailable,
        base_url_ + " answered with more than " + std::to_string(max_response_bytes_) + " bytes");
  }
  if (rc != CURLE_OK) {
    return Error(ErrorCode::kServiceUnavailable,
                 "cannot reach " + base_url_ + ": " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

void HttpClient::Pin(const std::string& host, int port, const std::string& ip) {
  bool v6 = ip.find(':') != std::string::npos;
  pins_.push_back(host + ":" + std::to_string(port) + ":" + (v6 ? "[" + ip + "]" : ip));
}

}  // namespace rapport::client
