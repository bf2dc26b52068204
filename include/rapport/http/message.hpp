// Framework-free HTTP messages: what handlers see and return. No Beast types leak past
// src/http/server.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rapport::http {

struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as received, e.g. "/v1/brands?limit=5"
  std::string path;    // target up to '?', not decoded
  std::string query;   // after '?', not decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;

  // First value of header `lower_name`, if present.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after sending

  // A body streamed instead of `body` (a stored PDF read from the database): `body_length`
  // bytes in all, produced by successive calls of `next_piece` on the connection's I/O loop (as
  // GET handlers are), so a piece is one bounded read. A piece that cannot be read (nullopt) ends
  // the response by closing the connection short of Content-Length, so the client sees the failure.
  std::function<std::optional<std::string>()> next_piece;
  int64_t body_length = 0;

  void SetHeader(std::string name, std::string value);
};

// The bytes of `response` (not streamed) on the wire: the status line for HTTP/x.y (`version`
// 10 * x + y, mirrored from the request) with `reason`, the response's headers in order except any
// Content-Length or Connection, then Connection as `keep_alive` needs it (close on 1.1, keep-alive
// on 1.0), Content-Length and the body: what Beast writes for the same response, without its
// serializer. A CR or LF in a header name or value becomes a space, so no value can split the
// header.
std::string SerializeResponse(const Response& response, std::string_view reason, int version,
                              bool keep_alive);
// The same bytes written over `out` (cleared first), whose capacity is reused.
void SerializeResponseInto(std::string& out, const Response& response, std::string_view reason,
                           int version, bool keep_alive);

// Called for each complete request, for GET and HEAD inline on the connection's I/O loop, for
// other methods on a write-pool thread; must not throw. The Request is the connection's own and
// is reused for its next message.
using Handler = std::function<Response(Request&)>;

// Builds the response for a request the server rejects before it reaches the handler
// (`status` 400, 413, 431 or 503); `path` is the request's path when known, else "".
using ProtocolErrorResponder = std::function<Response(int status, std::string_view path)>;

// Decodes %XX escapes (and '+' as space when `plus_as_space`); nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Parses an application/x-www-form-urlencoded query into decoded pairs; nullopt if malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

}  // namespace rapport::http
