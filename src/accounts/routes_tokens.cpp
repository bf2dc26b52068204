// /v1/tokens: a tenant's API tokens (read:tokens, write:tokens); the secret is in the creating
// answer only.
#include "accounts_impl.hpp"

#include <rapport/api/pagination.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport::accounts {
namespace {

namespace json = boost::json;
using api::Reply;
using api::RequestContext;

constexpr int64_t kMaxTtlSeconds = 2LL * 365 * 86400;

Result<Reply> List(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_TRY(PageRequest page, api::ReadPageRequest(ctx, "tok", 50));
  RAPPORT_TRY(Page<db::TokenRow> tokens, a.tokens.List(ctx.tenant(), page));
  return Reply::Json(200, api::V1List(tokens, TokenToJson));
}

Result<NewToken> ReadNewToken(const json::object& object) {
  BodyReader body(object, "body");
  NewToken token;
  token.name =
      body.String("name", {.required = true, .min_length = 1, .max_length = 100}).value_or("");
  auto scopes =
      body.StringList("scopes", 64, {.required = true, .min_length = 1, .max_length = 80});
  if (body.ok() && (!scopes || scopes->empty())) {
    body.AddProblem("scopes", "must list at least one scope", "too_short");
  }
  for (size_t i = 0; scopes && i < scopes->size(); ++i) {
    if (!IsWellFormedScope((*scopes)[i])) {
      body.AddProblem("scopes." + std::to_string(i), "must be *, read:X or write:X", "value_error");
    }
  }
  token.ttl_seconds = body.Int("ttl_seconds", false, 60, kMaxTtlSeconds);
  body.RejectUnknown({"name", "scopes", "ttl_seconds"});
  if (!body.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, body.problems());
  token.scopes = std::move(*scopes);
  return token;
}

Result<Reply> Create(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_TRY(NewToken token, ReadNewToken(ctx.body.as_object()));
  RAPPORT_TRY(CreatedToken created, a.tokens.Create(ctx.principal, token));
  json::object out = TokenToJson(created.row);
  out.erase("revoked_at");
  out["token"] = created.secret;
  Reply reply = Reply::Json(201, std::move(out));
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

Result<Reply> Revoke(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_CHECK(a.tokens.Revoke(ctx.tenant(), ctx.Param("token_id")));
  return Reply::NoContent();
}

}  // namespace

void AddTokenRoutes(api::Router& router, Accounts::Impl& a) {
  router.Add({.method = "GET",
              .pattern = "/v1/tokens",
              .required_scope = "read:tokens",
              .handler = [&a](RequestContext& ctx) { return List(a, ctx); }});
  router.Add({.method = "POST",
              .pattern = "/v1/tokens",
              .required_scope = "write:tokens",
              .accepts_body = true,
              .secret_in_reply = true,
              .handler = [&a](RequestContext& ctx) { return Create(a, ctx); }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/tokens/{token_id}",
              .required_scope = "write:tokens",
              .handler = [&a](RequestContext& ctx) { return Revoke(a, ctx); }});
}

}  // namespace rapport::accounts
