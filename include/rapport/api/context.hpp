// What a handler gets for one request and what it returns.
#pragma once

#include <rapport/auth/jwt.hpp>
#include <rapport/core/result.hpp>
#include <rapport/http/message.hpp>

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>

namespace rapport::api {

enum class Dialect { kV1, kSla };

struct RequestContext {
  RequestContext(http::Request& req, Dialect d, std::string correlation)
      : request(req), dialect(d), correlation_id(std::move(correlation)) {}

  http::Request& request;
  Dialect dialect;
  std::string correlation_id;
  std::map<std::string, std::string> path_params;
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  Principal principal;                                     // empty for public routes
  boost::json::value body;                                 // parsed JSON body, null when none
  UnixMs now = 0;
  // The request's Idempotency-Key once the pipeline has claimed it ("" without one). Handlers
  // that enqueue a job record it on the job (Job::request_key).
  std::string idempotency_key;

  std::optional<std::string_view> Query(std::string_view name) const;
  const std::string& Param(const std::string& name) const { return path_params.at(name); }
  const std::string& tenant() const { return principal.tenant_id; }
};

struct Reply {
  int status = 200;
  boost::json::value body;  // null with status 204: no body
  std::string raw_body;     // used instead of `body` when `content_type` is set
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  // Instead of `raw_body`: `raw_length` bytes streamed piece by piece (see http::Response).
  std::function<std::optional<std::string>()> next_piece;
  int64_t raw_length = 0;

  static Reply Json(int status, boost::json::value body) {
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
  }
  static Reply NoContent() { return Json(204, nullptr); }
};

using RouteHandler = std::function<Result<Reply>(RequestContext&)>;

}  // namespace rapport::api
