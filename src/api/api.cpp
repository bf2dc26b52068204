// The request pipeline: correlation id → route → auth → rate limits → scope → body →
// idempotency → handler → render in the path's dialect → metrics and one log line.
#include <rapport/api/api.hpp>

#include <rapport/api/dialect.hpp>
#include <rapport/api/pagination.hpp>
#include "audit.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "request_log.hpp"
#include "routes.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stop_token>
#include <thread>
#include <tuple>

namespace rapport::api {

namespace json = boost::json;

namespace {

// The idempotency keys of the requests this process is running, kept fresh in the store: every
// quarter of the stale interval one write refreshes them all, so that a slow request is never
// taken for a dead one (whose key another node may claim, and run the request a second time).
class InFlightKeys {
 public:
  InFlightKeys(Store& store, const Clock& clock, int64_t stale_ms)
      : store_(store),
        clock_(clock),
        interval_(std::max<int64_t>(100, stale_ms / 4)),
        thread_([this](std::stop_token stop) { Loop(stop); }) {}

  // Holds `key` in flight for its lifetime.
  class Hold {
   public:
    Hold(InFlightKeys& keys, IdempotencyKey key) : keys_(keys), key_(std::move(key)) {
      std::lock_guard lock(keys_.mu_);
      auto& held = keys_.held_[{key_.tenant_id, key_.key}];
      held.first = key_;
      ++held.second;
    }
    ~Hold() {
      std::lock_guard lock(keys_.mu_);
      auto it = keys_.held_.find({key_.tenant_id, key_.key});
      if (it != keys_.held_.end() && --it->second.second == 0) keys_.held_.erase(it);
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    InFlightKeys& keys_;
    IdempotencyKey key_;
  };

 private:
  void Loop(std::stop_token stop) {
    std::unique_lock lock(mu_);
    while (!stop.stop_requested()) {
      wake_.wait_for(lock, stop, interval_, [] { return false; });
      if (stop.stop_requested() || held_.empty()) continue;
      std::vector<IdempotencyKey> keys;
      for (const auto& [_, held] : held_) keys.push_back(held.first);
      lock.unlock();
      (void)store_.RefreshIdempotencyKeys(keys, clock_.NowMs());  // retried next interval
      lock.lock();
    }
  }

  Store& store_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::map<std::pair<std::string, std::string>, std::pair<IdempotencyKey, int>> held_;
  std::jthread thread_;  // last: stopped and joined before the state above goes
};

constexpr size_t kMaxIdempotencyKeyLength = 255;

const WebhookOwners kNoWebhookOwners{};

bool IsMutating(std::string_view method) {
  return method == "POST" || method == "PATCH" || method == "DELETE" || method == "PUT";
}

std::optional<std::string_view> BearerToken(const http::Request& request) {
  auto header = request.Header("authorization");
  if (!header || header->size() < 7) return std::nullopt;
  std::string_view scheme = header->substr(0, 7);
  if (scheme != "Bearer " && scheme != "bearer ") return std::nullopt;
  return header->substr(7);
}

// Whether a body carries anything but whitespace and an empty object.
bool HasBodyFields(std::string_view body) {
  std::string compact;
  for (char c : body) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
    if (compact.size() > 2) return true;
  }
  return !compact.empty() && compact != "{}";
}

// A shared report's responses (errors included): not indexed, no referrer, never cached.
void MarkShared(http::Response& response) {
  std::erase_if(response.headers, [](const auto& h) {
    std::string name = h.first;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name == "cache-control";
  });
  response.SetHeader("X-Robots-Tag", "noindex, nofollow");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("Cache-Control", "private, no-store");
}

bool ValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

}  // namespace

class Api::Impl {
 public:
  Impl(Store& store, const Clock& clock, std::shared_ptr<const JwtVerifier> verifier,
       ApiConfig config)
      : store_(store),
        clock_(clock),
        verifier_(std::move(verifier)),
        config_(std::move(config)),
        jobs_(store, config_.job_retention_ms),
        webhooks_(store, clock, config_.webhooks,
                  config_.webhook_owners ? *config_.webhook_owners : kNoWebhookOwners),
        burst_(config_.burst_per_minute),
        llm_(config_.llm_per_minute, &store) {  // shared by the nodes: it guards provider spend
    AddSystemRoutes(router_, store_, jobs_, metrics_, config_.error_specs, storage_gauges_);
    AddConsoleRoutes(router_);
    RouteEnv env{WakeWorkers(), webhooks_};
    for (const auto& add : config_.route_sets) add(router_, env);
    AddJobRoutes(router_, jobs_, config_.job_scopes);
    AddWhiteLabelRoutes(router_, store_);
    AddSettingsRoutes(router_, store_);
    AddAuditRoutes(router_, store_);
    AddMeRoute();
  }

  // Wakes the job workers after a handler enqueued a job.
  std::function<void()> WakeWorkers() {
    return [this] {
      if (config_.on_enqueue) config_.on_enqueue();
    };
  }

  http::Response Handle(http::Request& request) {
    auto started = std::chrono::steady_clock::now();
    RequestContext ctx{request, DialectOf(request.path), CorrelationId(request)};
    ctx.now = clock_.NowMs();
    std::string_view route_label = "unmatched";  // a route's pattern: lives as long as the router
    std::vector<std::pair<std::string, std::string>> extra_headers;
    extra_headers.reserve(4);  // an authenticated request's rate-limit headers: one allocation
    http::Response response;
    try {
      response = Process(ctx, route_label, extra_headers);
    } catch (const std::exception& e) {
      response = ErrorResponse(ctx, Error::Internal(e.what()));
    }
    for (auto& h : extra_headers) response.headers.push_back(std::move(h));
    if (request.path.starts_with("/shared/")) MarkShared(response);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.RecordRequest(route_label, request.method, response.status, seconds);
    if (config_.log_requests) {
      LogRequest({request.method, route_label, response.status, seconds * 1000.0,
                  ctx.principal.tenant_id, ctx.correlation_id, request.remote_address});
    }
    response.SetHeader("X-Correlation-ID", std::move(ctx.correlation_id));  // last: logged above
    return response;
  }

  http::Response ProtocolError(int status, std::string_view path) {
    ErrorCode code = status == 413   ? ErrorCode::kPayloadTooLarge
                     : status == 431 ? ErrorCode::kHeaderTooLarge
                     : status == 503 ? ErrorCode::kServiceUnavailable
                                     : ErrorCode::kValidation;
    std::string message = status == 400 ? "Malformed HTTP request" : "";
    if (status == 413) {
      size_t limit = path == "/faults/bulk" || path == "/faults/import"
                         ? config_.max_bulk_body_bytes
                         : config_.max_body_bytes;
      message = "The request body exceeds the limit of " + std::to_string(limit) + " bytes";
    }
    http::Request fake;
    fake.path = std::string(path);
    RequestContext ctx{fake, DialectOf(path), NewCorrelationId()};
    auto response = ErrorResponse(ctx, Error(code, message));
    response.SetHeader("X-Correlation-ID", ctx.correlation_id);
    if (config_.log_requests) {
      LogRequest({"-", "protocol_error", response.status, 0, "", ctx.correlation_id, ""});
    }
    return response;
  }

  std::vector<Api::RouteInfo> Routes() const {
    std::vector<Api::RouteInfo> out;
    for (const auto& r : router_.routes()) {
      out.push_back({r.method, r.pattern, r.is_public ? "" : r.required_scope});
    }
    return out;
  }

 private:
  // GET /v1/me: who the token is and the rate limits that apply to it, with what is left (after
  // this request, which counts against the burst tier like any other).
  void AddMeRoute() {
    router_.Add({.method = "GET",
                 .pattern = "/v1/me",
                 .required_scope = "read:meta",
                 .handler = [this](RequestContext& ctx) -> Result<Reply> {
                   const Principal& p = ctx.principal;
                   std::string key = p.tenant_id + '\n' + p.subject;
                   json::array scopes, limits;
                   for (const auto& s : p.scopes) scopes.emplace_back(s);
                   for (auto [tier, limiter, applies] :
                        {std::tuple{"burst", &burst_, "every authenticated request"},
                         std::tuple{"llm", &llm_,
                                    "requests that ask answer engines: brand report executions "
                                    "and facts research"}}) {
                     if (limiter->per_minute() <= 0) continue;
                     RateDecision d = limiter->Peek(key, ctx.now);
                     limits.push_back(json::object{{"tier", tier},
                                                   {"limit", d.limit},
                                                   {"remaining", d.remaining},
                                                   {"reset_seconds", d.reset_seconds},
                                                   {"window_seconds", 60},
                                                   {"applies_to", applies}});
                   }
                   return Reply::Json(200, json::object{{"object", "me"},
                                                        {"subject", p.subject},
                                                        {"tenant", p.tenant_id},
                                                        {"scopes", std::move(scopes)},
                                                        {"rate_limits", std::move(limits)}});
                 }});
  }

  static std::string CorrelationId(const http::Request& request) {
    auto given = request.Header("x-correlation-id");
    if (given && IsValidUuid(*given)) return std::string(*given);
    return NewCorrelationId();
  }

  http::Response Process(RequestContext& ctx, std::string_view& route_label,
                         std::vector<std::pair<std::string, std::string>>& extra_headers) {
    RouteMatch match = router_.Match(ctx.request.method, ctx.request.path);
    if (!match.route) {
      if (match.allowed.empty()) {
        return ErrorResponse(
            ctx, Error(ErrorCode::kNotFound, "No route matches " + ctx.request.method + " " +
                                                 ctx.request.path.substr(0, 200)));
      }
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      extra_headers.emplace_back("Allow", allow);
      return ErrorResponse(
          ctx, Error(ErrorCode::kMethodNotAllowed, "Method " + ctx.request.method.substr(0, 16) +
                                                       " is not allowed here; allowed: " + allow));
    }
    const Route& route = *match.route;
    route_label = route.pattern;
    ctx.path_params = std::move(match.params);
    for (auto& [name, value] : ctx.path_params) {
      if (value.find('%') == std::string::npos) continue;  // nothing to decode: no copy
      auto decoded = http::PercentDecode(value, false);
      if (!decoded) return ErrorResponse(ctx, ParameterError("path." + name, "malformed", "path"));
      value = std::move(*decoded);
    }
    auto query = http::ParseQuery(ctx.request.query);
    if (!query) {
      return ErrorResponse(ctx, ParameterError("query", "malformed query string", "query"));
    }
    ctx.query = std::move(*query);
    if (!route.is_public) {
      if (auto denied = Authorize(ctx, route, extra_headers)) return Audited(ctx, route, *denied);
    }
    if (!IsAudited(ctx, route)) return Execute(ctx, route, nullptr);
    AuditTrail trail = StartAuditTrail(ctx, route);
    http::Response response;
    try {
      response = Execute(ctx, route, &trail);
    } catch (const std::exception& e) {  // answered as Handle would, and audited as failed
      response = ErrorResponse(ctx, Error::Internal(e.what()));
    }
    FinishAuditTrail(store_, trail, response);
    return response;
  }

  // A write refused before its handler ran, filed in the audit log once its caller is known.
  http::Response Audited(const RequestContext& ctx, const Route& route, http::Response response) {
    if (!IsAudited(ctx, route)) return response;
    AuditTrail trail = StartAuditTrail(ctx, route);
    FinishAuditTrail(store_, trail, response);
    return response;
  }

  // The caller: a credential of ApiConfig::authenticate's, else a bearer JWT.
  Result<Principal> Authenticate(const RequestContext& ctx) const {
    if (config_.authenticate) {
      if (auto principal = config_.authenticate(ctx.request, ctx.now)) return std::move(*principal);
    }
    auto token = BearerToken(ctx.request);
    if (!token) {
      return Error(ErrorCode::kUnauthorized, "Missing bearer token in the Authorization header");
    }
    return verifier_->Verify(*token, ctx.now);
  }

  // Authenticates, applies rate limits and checks the scope; a response when refused.
  std::optional<http::Response> Authorize(
      RequestContext& ctx, const Route& route,
      std::vector<std::pair<std::string, std::string>>& extra_headers) {
    auto principal = Authenticate(ctx);
    if (!principal.ok()) return ErrorResponse(ctx, principal.error());
    ctx.principal = std::move(principal.value());
    thread_local std::string key;  // its capacity kept: no allocation per request
    key.assign(ctx.principal.tenant_id).append(1, '\n').append(ctx.principal.subject);
    RateDecision burst = burst_.Take(key, ctx.now);
    RateDecision decision = burst;
    std::string_view tier = "burst";
    bool llm_tier =
        route.llm_tier && !(route.llm_tier_without_body_only && HasBodyFields(ctx.request.body));
    if (burst.allowed && llm_tier) {
      decision = llm_.Take(key, ctx.now);
      tier = "llm";
    }
    if (decision.limit > 0) {
      extra_headers.emplace_back("RateLimit-Limit", std::to_string(decision.limit));
      extra_headers.emplace_back("RateLimit-Remaining", std::to_string(decision.remaining));
      extra_headers.emplace_back("RateLimit-Reset", std::to_string(decision.reset_seconds));
    }
    if (!decision.allowed) {
      extra_headers.emplace_back("Retry-After", std::to_string(decision.reset_seconds));
      return ErrorResponse(ctx, Error(ErrorCode::kRateLimitExceeded,
                                      tier == "llm" ? "LLM-tier rate limit exceeded" : "",
                                      json::object{{"retry_after", decision.reset_seconds},
                                                   {"scope", tier},
                                                   {"limit", decision.limit}}));
    }
    if (!route.required_scope.empty() && !ScopesGrant(ctx.principal.scopes, route.required_scope) &&
        std::none_of(route.alternative_scopes.begin(), route.alternative_scopes.end(),
                     [&](const std::string& s) { return ScopesGrant(ctx.principal.scopes, s); })) {
      return ErrorResponse(ctx, MissingScope(ctx.dialect, route.required_scope));
    }
    return std::nullopt;
  }

  // Parses the body, applies idempotency and runs the handler (under `trail`'s audit scope).
  http::Response Execute(RequestContext& ctx, const Route& route, AuditTrail* trail) {
    if (route.accepts_body && !(route.body_optional && ctx.request.body.empty())) {
      if (auto error = ReadBody(ctx)) return ErrorResponse(ctx, *error);
    }
    auto key_header = ctx.request.Header("idempotency-key");
    if (!key_header && ctx.dialect == Dialect::kV1 && ctx.request.method == "POST") {
      return ErrorResponse(ctx, Error(ErrorCode::kIdempotencyKeyRequired, ""));
    }
    if (!key_header || !IsMutating(ctx.request.method)) return Run(ctx, route, trail);
    if (!ValidIdempotencyKey(*key_header)) {
      return ErrorResponse(
          ctx, ParameterError("header.Idempotency-Key", "must be 1-255 printable ASCII characters",
                              "idempotency_key"));
    }
    IdempotencyKey key{
        ctx.tenant(), std::string(*key_header),
        HexEncode(Sha256(ctx.request.method + ' ' + ctx.request.path + '\n' + ctx.request.body))};
    auto claim = store_.ClaimIdempotencyKey(key, ctx.now, config_.idempotency_stale_ms);
    if (!claim.ok()) return ErrorResponse(ctx, claim.error());
    switch (claim->state) {
      case IdempotencyState::kReplay: {
        http::Response replay{claim->status, {}, claim->body};
        if (!replay.body.empty()) replay.SetHeader("Content-Type", "application/json");
        replay.SetHeader("Idempotent-Replayed", "true");
        return replay;
      }
      case IdempotencyState::kMismatch:
        return ErrorResponse(ctx, Error(ErrorCode::kIdempotencyKeyReused, ""));
      case IdempotencyState::kInUse:
        return ErrorResponse(
            ctx, Error(ErrorCode::kIdempotencyKeyInUse, "", json::object{{"retry_after", 1}}));
      case IdempotencyState::kStarted:
        break;
    }
    http::Response response;
    ctx.idempotency_key = key.key;
    {
      InFlightKeys::Hold hold(in_flight_, key);
      response = Run(ctx, route, trail);
    }
    if (response.status >= 500) {
      (void)store_.ReleaseIdempotencyKey(key);
    } else {
      bool keep_body = !(route.secret_in_reply && response.status < 300);
      (void)store_.CompleteIdempotencyKey(key, response.status, keep_body ? response.body : "",
                                          clock_.NowMs());
    }
    return response;
  }

  std::optional<Error> ReadBody(RequestContext& ctx) {
    if (ctx.request.body.empty()) {
      return Error::FromProblems(ErrorCode::kBodyValidation,
                                 {{"body", "a JSON object body is required", "missing"}});
    }
    auto parsed = ParseJsonBody(ctx.request.body, config_.max_json_depth);
    if (!parsed.ok()) return parsed.error();
    if (!parsed->is_object()) {
      return Error::FromProblems(ErrorCode::kBodyValidation,
                                 {{"body", "must be a JSON object", "model_type"}});
    }
    ctx.body = std::move(parsed.value());
    return std::nullopt;
  }

  http::Response Run(RequestContext& ctx, const Route& route, AuditTrail* trail) {
    Result<Reply> reply = trail ? RunAudited(*trail, ctx, route) : route.handler(ctx);
    if (!reply.ok()) return ErrorResponse(ctx, reply.error());
    http::Response response;
    response.headers.reserve(8);  // with the rate-limit and correlation headers: one allocation
    response.status = reply->status;
    if (!reply->content_type.empty()) {
      response.body = std::move(reply->raw_body);
      response.next_piece = std::move(reply->next_piece);
      response.body_length = reply->raw_length;
      response.SetHeader("Content-Type", reply->content_type);
    } else if (reply->status != 204) {
      response.body = ToJson(reply->body);
      response.SetHeader("Content-Type", "application/json");
    }
    for (auto& h : reply->headers) response.headers.push_back(std::move(h));
    return response;
  }

  http::Response ErrorResponse(const RequestContext& ctx, const Error& error) {
    if (error.code() == ErrorCode::kInternal && !error.internal_message().empty()) {
      LogInternalError(ctx.correlation_id, error.internal_message());
    }
    RenderedError rendered =
        RenderError(ctx.dialect, error, ctx.correlation_id, config_.public_url);
    http::Response response{rendered.status, {}, std::move(rendered.body)};
    response.SetHeader("Content-Type", "application/json");
    if (error.code() == ErrorCode::kServiceUnavailable) {
      const auto* retry = error.details().if_contains("retry_after");
      response.SetHeader("Retry-After",
                         retry && retry->is_int64() ? std::to_string(retry->as_int64()) : "1");
    }
    return response;
  }

  Store& store_;
  const Clock& clock_;
  std::shared_ptr<const JwtVerifier> verifier_;
  ApiConfig config_;
  JobService jobs_;
  WebhookService webhooks_;
  RateLimiter burst_;
  RateLimiter llm_;
  Metrics metrics_;
  StorageGauges storage_gauges_{store_, config_.storage_metrics_ttl_ms};
  Router router_;
  InFlightKeys in_flight_{store_, clock_, config_.idempotency_stale_ms};
  RequestLogFlusher log_flusher_{std::chrono::seconds(1)};  // and once more when the API goes
};

Api::Api(Store& store, const Clock& clock, std::shared_ptr<const JwtVerifier> verifier,
         ApiConfig config)
    : impl_(std::make_unique<Impl>(store, clock, std::move(verifier), std::move(config))) {}
Api::~Api() = default;
http::Response Api::Handle(http::Request& request) { return impl_->Handle(request); }
http::Response Api::ProtocolError(int status, std::string_view path) {
  return impl_->ProtocolError(status, path);
}
std::vector<Api::RouteInfo> Api::Routes() const { return impl_->Routes(); }

}  // namespace rapport::api
