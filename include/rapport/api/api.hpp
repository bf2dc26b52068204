// The HTTP API: routing, the middleware chain (correlation id, auth, rate limits, scopes,
// idempotency, body limits) and both dialects' handlers. Framework-free: it maps an
// http::Request to an http::Response and never sees a socket.
#pragma once

#include <rapport/api/kind_routes.hpp>
#include <rapport/auth/jwt.hpp>
#include <rapport/delivery/webhooks.hpp>
#include <rapport/http/message.hpp>
#include <rapport/store/store.hpp>

#include <functional>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rapport::api {

struct ApiConfig {
  int max_json_depth = 32;
  size_t max_body_bytes = 1024 * 1024;            // for the 413 message; enforced by the HTTP layer
  size_t max_bulk_body_bytes = 16 * 1024 * 1024;  // the same for POST /faults/bulk
  int burst_per_minute = 120;                     // 0: off
  int llm_per_minute = 10;                        // 0: off
  std::string public_url = "http://127.0.0.1:8080";  // base of `doc_url` links
  int64_t idempotency_retention_ms = 24LL * 3600 * 1000;
  int64_t idempotency_stale_ms = 60LL * 1000;  // a "started" key older than this is abandoned
  bool log_requests = true;
  int64_t job_retention_ms = 7LL * 24 * 3600 * 1000;  // finished jobs readable this long
  // /metrics reads the stored reports and artifact bytes per tenant at most this often.
  int64_t storage_metrics_ttl_ms = 30'000;
  std::function<void()> on_enqueue;  // wakes the job engine
  WebhookSettings webhooks;
  // The report kinds' webhook owner types; must outlive the Api. nullptr: none (webhook routes
  // answer 500).
  const WebhookOwners* webhook_owners = nullptr;
  SmtpSettings smtp;
  // Each report kind's routes (ReportKind::AddRoutes) and its jobs' side scopes; the API names
  // no kind.
  std::vector<RouteSet> route_sets;
  std::vector<JobScope> job_scopes;
  std::vector<ErrorSpec> error_specs;  // the kinds' own codes, for /docs/errors
  // Credentials other than bearer JWTs (the accounts module's API tokens and session cookies),
  // tried first on every non-public route: nullopt means "not mine" and the JWT verifier runs as
  // before; an error refuses the request. Thread-safe. Empty: JWTs only.
  std::function<std::optional<Result<Principal>>(const http::Request&, UnixMs now)> authenticate;
};

class Api {
 public:
  // `store`, `clock` must outlive the Api.
  Api(Store& store, const Clock& clock, std::shared_ptr<const JwtVerifier> verifier,
      ApiConfig config);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Thread-safe; never throws.
  http::Response Handle(http::Request& request);
  // Response for a request the HTTP layer rejected (400, 413, 431, 503) in its path's dialect.
  http::Response ProtocolError(int status, std::string_view path);
  struct RouteInfo {
    std::string method;
    std::string pattern;
    std::string required_scope;  // "" for public routes and those any token may call
  };
  // Every route served, for the OpenAPI conformance test.
  std::vector<RouteInfo> Routes() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapport::api
