#include <rapport/http/message.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace rapport::http {

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

void Response::SetHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

namespace {

bool NameIs(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != lower[i]) return false;
  }
  return true;
}

void AppendFieldText(std::string& out, std::string_view text) {
  size_t start = out.size();
  out += text;
  // Two memchr calls find no CR or LF in almost every value: cheaper than a loop over its bytes.
  if (text.empty() || (std::memchr(text.data(), '\r', text.size()) == nullptr &&
                       std::memchr(text.data(), '\n', text.size()) == nullptr)) {
    return;
  }
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
  }
}

}  // namespace

std::string SerializeResponse(const Response& response, std::string_view reason, int version,
                              bool keep_alive) {
  std::string out;
  SerializeResponseInto(out, response, reason, version, keep_alive);
  return out;
}

void SerializeResponseInto(std::string& out, const Response& response, std::string_view reason,
                           int version, bool keep_alive) {
  out.clear();
  size_t headers_size = 0;
  for (const auto& [name, value] : response.headers) headers_size += name.size() + value.size() + 4;
  out.reserve(64 + reason.size() + headers_size + response.body.size());
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10 % 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
  out += ' ';
  char number[24];
  auto [end, ec] = std::to_chars(number, number + sizeof number, response.status);
  out.append(number, static_cast<size_t>(end - number));
  out += ' ';
  AppendFieldText(out, reason);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (NameIs(name, "content-length") || NameIs(name, "connection")) continue;
    AppendFieldText(out, name);
    out += ": ";
    AppendFieldText(out, value);
    out += "\r\n";
  }
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  out += "Content-Length: ";
  auto length = std::to_chars(number, number + sizeof number, response.body.size());
  out.append(number, static_cast<size_t>(length.ptr - number));
  out += "\r\n\r\n";
  out += response.body;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  if (std::none_of(text.begin(), text.end(),
                   [&](char c) { return c == '%' || (plus_as_space && c == '+'); })) {
    return std::string(text);  // nothing to decode (a path parameter, mostly): one copy
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_as_space) {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == query.npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    auto value = PercentDecode(eq == part.npos ? "" : part.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace rapport::http
