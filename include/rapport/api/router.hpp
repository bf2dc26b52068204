// Maps (method, path) to a route. Patterns are literal segments and `{name}` parameters.
#pragma once

#include <rapport/api/context.hpp>

#include <string>
#include <vector>

namespace rapport::api {

struct Route {
  std::string method;
  std::string pattern;         // "/v1/brands/{brand_id}"; also the route label in logs/metrics
  std::string required_scope;  // empty: authenticated only; ignored when `is_public`
  // Scopes that also let a request in; the handler then decides on the resource (a job is
  // readable with the read scope of the side that enqueued it).
  std::vector<std::string> alternative_scopes;
  bool is_public = false;  // no token needed
  bool llm_tier = false;   // counts against the LLM rate-limit tier
  // With llm_tier: only a request without body fields counts (one with fields asks no engine).
  bool llm_tier_without_body_only = false;
  bool accepts_body = false;   // JSON body parsed into RequestContext::body
  bool body_optional = false;  // with accepts_body: an empty body is allowed (body stays null)
  // The 2xx answer holds a secret shown once (a new API token, a generated password): it is not
  // kept for Idempotency-Key replays, which answer the status without a body.
  bool secret_in_reply = false;
  RouteHandler handler;
};

struct RouteMatch {
  const Route* route = nullptr;      // null: no route for this method
  std::vector<std::string> allowed;  // methods served at this path (for 405)
  std::map<std::string, std::string> params;
};

class Router {
 public:
  void Add(Route route);
  // route == nullptr and allowed empty: unknown path (404); allowed non-empty: 405. The first
  // route added that matches wins. Allocates only for the match's params and `allowed`.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  // A pattern split once at Add: its segments, each a literal or a `{name}` parameter.
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
  };
  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> segments_;         // per route, same index
  std::vector<std::vector<size_t>> by_segment_count_;  // [n]: routes with n segments, in order
};

}  // namespace rapport::api
