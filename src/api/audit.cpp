// The pipeline's side of the audit log; see audit.hpp.
#include "audit.hpp"

#include "request_log.hpp"

#include <rapport/api/pagination.hpp>
#include <rapport/api/query.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/time.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <array>

namespace rapport::api {
namespace {

namespace json = boost::json;

constexpr std::array kOutcomes = {"succeeded", "refused", "failed", "replayed"};
constexpr std::array kMethods = {"POST", "PUT", "PATCH", "DELETE"};

bool IsWrite(std::string_view method) {
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
}

// The value of the pattern's last `{name}` segment: the resource the request names.
std::optional<std::string> LastPathParam(const RequestContext& ctx, const Route& route) {
  size_t open = route.pattern.rfind('{');
  if (open == std::string::npos) return std::nullopt;
  size_t close = route.pattern.find('}', open);
  auto it = ctx.path_params.find(route.pattern.substr(open + 1, close - open - 1));
  if (it == ctx.path_params.end()) return std::nullopt;
  return it->second;
}

std::string OutcomeOf(const http::Response& response) {
  if (response.status >= 500) return "failed";
  if (response.status >= 400) return "refused";
  for (const auto& [name, value] : response.headers) {
    if (name == "Idempotent-Replayed") return "replayed";
  }
  return "succeeded";
}

json::object AuditEventToJson(const AuditEvent& e) {
  json::value resource = nullptr, status = nullptr;
  if (e.resource_id) resource = json::string(*e.resource_id);
  if (e.status) status = *e.status;
  return {{"id", e.id},
          {"object", "audit_event"},
          {"tenant", e.tenant_id},
          {"actor", e.actor},
          {"occurred_at", FormatRfc3339(e.occurred_at)},
          {"method", e.method},
          {"route", e.route},
          {"path", e.path},
          {"resource_id", std::move(resource)},
          {"outcome", e.outcome},
          {"status", std::move(status)},
          {"request_id", e.request_id}};
}

// An optional query parameter that must be one of `allowed`.
template <size_t N>
Result<std::optional<std::string>> QueryOneOf(const RequestContext& ctx, std::string_view name,
                                              const std::array<const char*, N>& allowed) {
  auto value = QueryText(ctx, name);
  if (!value) return std::optional<std::string>();
  for (const char* a : allowed) {
    if (*value == a) return value;
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return ParameterError("query." + std::string(name), "must be one of " + list, "enum");
}

Result<AuditFilter> ReadFilter(const RequestContext& ctx) {
  AuditFilter filter;
  filter.actor = QueryText(ctx, "actor");
  filter.resource_id = QueryText(ctx, "resource_id");
  RAPPORT_TRY(filter.from, QueryInstant(ctx, "from"));
  RAPPORT_TRY(filter.to, QueryInstant(ctx, "to"));
  RAPPORT_TRY(filter.method, QueryOneOf(ctx, "method", kMethods));
  RAPPORT_TRY(filter.outcome, QueryOneOf(ctx, "outcome", kOutcomes));
  return filter;
}

}  // namespace

bool IsAudited(const RequestContext& ctx, const Route& route) {
  return !route.is_public && IsWrite(ctx.request.method) && !ctx.principal.tenant_id.empty();
}

AuditTrail StartAuditTrail(const RequestContext& ctx, const Route& route) {
  return AuditTrail{.event = AuditEvent{.id = NewIdAt("aud", ctx.now),
                                        .tenant_id = ctx.principal.tenant_id,
                                        .actor = ctx.principal.subject,
                                        .occurred_at = ctx.now,
                                        .method = ctx.request.method,
                                        .route = route.pattern,
                                        .path = ctx.request.path,
                                        .resource_id = LastPathParam(ctx, route),
                                        .outcome = "succeeded",
                                        .request_id = ctx.correlation_id}};
}

Result<Reply> RunAudited(AuditTrail& trail, RequestContext& ctx, const Route& route) {
  Result<Reply> reply = [&] {
    AuditScope scope(trail.event);
    try {
      Result<Reply> r = route.handler(ctx);
      trail.committed = scope.recorded();
      return r;
    } catch (...) {  // the pipeline answers 500: the row, if committed, is completed as failed
      trail.committed = scope.recorded();
      throw;
    }
  }();
  if (reply.ok() && reply->status == 201 && reply->body.is_object()) {
    const auto* id = reply->body.as_object().if_contains("id");
    if (id != nullptr && id->is_string()) trail.created_id = std::string(id->as_string());
  }
  return reply;
}

void FinishAuditTrail(KindDatabase& db, AuditTrail& trail, const http::Response& response) {
  AuditEvent& e = trail.event;
  e.outcome = OutcomeOf(response);
  if (trail.committed && e.outcome != "succeeded") e.outcome = "failed";
  e.status = response.status;
  if (trail.created_id) e.resource_id = trail.created_id;
  Status done = trail.committed ? CompleteAuditEvent(db, e.tenant_id, e.id, e.outcome, *e.status,
                                                     trail.created_id)
                                : InsertAuditEvent(db, e);
  if (!done.ok()) LogInternalError(e.request_id, "audit: " + done.error().message());
}

void AddAuditRoutes(Router& router, KindDatabase& db) {
  router.Add({.method = "GET",
              .pattern = "/audit-events",
              .required_scope = "read:audit",
              .handler = [&db](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "aud", 50));
                RAPPORT_TRY(AuditFilter filter, ReadFilter(ctx));
                RAPPORT_TRY(Page<AuditEvent> events,
                            ListAuditEvents(db, ctx.tenant(), filter, page));
                return Reply::Json(200, SlaList(events, AuditEventToJson));
              }});
}

}  // namespace rapport::api
