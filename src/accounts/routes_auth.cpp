// POST /auth/login, POST /auth/logout, GET /auth/session: the console's sign-in, in the SLA
// side's error dialect (these paths are not under /v1).
#include "accounts_impl.hpp"

#include <rapport/api/dialect.hpp>
#include <rapport/api/pagination.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport::accounts {
namespace {

namespace json = boost::json;
using api::Reply;
using api::RequestContext;

std::string SetCookie(const AccountsOptions& options, std::string_view token, bool clear) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) +
                       "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) cookie += "; Max-Age=0";
  if (options.secure_cookie) cookie += "; Secure";
  return cookie;
}

// A throttled login: 429 in the request's dialect with Retry-After (an Error carries no
// headers, so this reply is rendered here).
Reply Throttled(const RequestContext& ctx, const Error& error, const std::string& public_url) {
  api::RenderedError rendered =
      api::RenderError(ctx.dialect, error, ctx.correlation_id, public_url);
  Reply reply;
  reply.status = rendered.status;
  reply.raw_body = std::move(rendered.body);
  reply.content_type = "application/json";
  const auto* retry = error.details().if_contains("retry_after");
  reply.headers.emplace_back("Retry-After",
                             retry && retry->is_int64() ? std::to_string(retry->as_int64()) : "1");
  return reply;
}

// Login CSRF: an HTML form of another site can post text/plain or a form encoding, never
// application/json (that needs a CORS preflight, which rapportd does not answer), so a sign-in
// must be JSON and another site cannot sign a browser in to its own account.
Status CheckJsonContentType(const RequestContext& ctx) {
  std::string type(ctx.request.Header("content-type").value_or(""));
  for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (type.starts_with("application/json")) return Ok{};
  return api::ParameterError("header.Content-Type",
                             "must be application/json (a sign-in is never a form post)",
                             "content_type");
}

Result<Reply> Login(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_CHECK(CheckJsonContentType(ctx));
  BodyReader body(ctx.body.as_object(), "body");
  auto email = body.String("email", {.required = true, .min_length = 1, .max_length = 254});
  auto password = body.String("password", {.required = true, .min_length = 1, .max_length = 1024});
  if (!body.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, body.problems());
  auto in = a.sessions.Login(*email, *password, ctx.request.remote_address);
  if (!in.ok() && in.error().code() == ErrorCode::kRateLimitExceeded) {
    return Throttled(ctx, in.error(), a.options.public_url);
  }
  if (!in.ok()) return in.error();
  Reply reply =
      Reply::Json(200, json::object{{"user", SessionUserToJson(in->user)},
                                    {"csrf_token", in->csrf_token},
                                    {"idle_expires_at", FormatRfc3339(in->idle_expires_at)},
                                    {"expires_at", FormatRfc3339(in->expires_at)}});
  reply.headers.emplace_back("Set-Cookie", SetCookie(a.options, in->cookie_token, false));
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

// The cookie session of a request the pipeline let in; 401 for any other credential.
Result<ResolvedSession> CookieSession(Accounts::Impl& a, const RequestContext& ctx) {
  auto cookie = SessionCookie(ctx.request);
  if (!cookie || ctx.request.Header("authorization")) {
    return Error(ErrorCode::kUnauthorized,
                 "This route answers for a console session (the rapport_session cookie) only");
  }
  return a.sessions.Resolve(*cookie, ctx.now);
}

Result<Reply> Logout(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_TRY(ResolvedSession session, CookieSession(a, ctx));
  RAPPORT_CHECK(a.sessions.Logout(*SessionCookie(ctx.request)));
  (void)session;
  Reply reply = Reply::NoContent();
  reply.headers.emplace_back("Set-Cookie", SetCookie(a.options, "", true));
  return reply;
}

Result<Reply> Describe(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_TRY(ResolvedSession s, CookieSession(a, ctx));
  json::array scopes;
  for (const auto& scope : ScopesOfRole(s.user.role)) scopes.emplace_back(scope);
  Reply reply = Reply::Json(200, json::object{{"user", SessionUserToJson(s.user)},
                                              {"tenant", s.user.tenant_id},
                                              {"role", RoleName(s.user.role)},
                                              {"scopes", std::move(scopes)},
                                              {"csrf_token", s.session.csrf_token},
                                              {"idle_expires_at", FormatRfc3339(s.idle_expires_at)},
                                              {"expires_at", FormatRfc3339(s.session.expires_at)}});
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

}  // namespace

void AddAuthRoutes(api::Router& router, Accounts::Impl& a) {
  router.Add({.method = "POST",
              .pattern = "/auth/login",
              .is_public = true,
              .accepts_body = true,
              .secret_in_reply = true,
              .handler = [&a](RequestContext& ctx) { return Login(a, ctx); }});
  router.Add({.method = "POST", .pattern = "/auth/logout", .handler = [&a](RequestContext& ctx) {
                return Logout(a, ctx);
              }});
  router.Add({.method = "GET", .pattern = "/auth/session", .handler = [&a](RequestContext& ctx) {
                return Describe(a, ctx);
              }});
}

}  // namespace rapport::accounts
