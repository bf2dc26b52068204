// /v1/users: a tenant's console users (read:users, write:users).
#include "accounts_impl.hpp"

#include <rapport/api/pagination.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport::accounts {
namespace {

namespace json = boost::json;
using api::Reply;
using api::RequestContext;

// A caller may give a user only a role whose every scope its own scopes grant (a token with
// write:users alone cannot make an admin).
Status CheckMayGrant(const RequestContext& ctx, Role role) {
  for (const auto& scope : ScopesOfRole(role)) {
    if (!ScopesGrant(ctx.principal.scopes, scope)) {
      return Error(ErrorCode::kForbidden,
                   "Giving the role '" + std::string(RoleName(role)) + "' needs the scope '" +
                       scope + "', which your own scopes lack",
                   json::object{{"required_scope", scope}});
    }
  }
  return Ok{};
}

std::optional<Role> ReadRole(BodyReader& body, bool required) {
  auto name = body.String("role", {.required = required, .min_length = 1, .max_length = 16});
  if (!name) return std::nullopt;
  auto role = ParseRole(*name);
  if (!role) body.AddProblem("role", "must be one of admin, editor, viewer", "enum");
  return role;
}

Result<Reply> List(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_TRY(PageRequest page, api::ReadPageRequest(ctx, "usr", 50));
  RAPPORT_TRY(Page<User> users, a.users.List(ctx.tenant(), page));
  return Reply::Json(200, api::V1List(users, UserToJson));
}

Result<Reply> Create(Accounts::Impl& a, RequestContext& ctx) {
  BodyReader body(ctx.body.as_object(), "body");
  auto email = body.String("email", {.required = true, .min_length = 3, .max_length = 254});
  auto role = ReadRole(body, true);
  auto password = body.String("password", {.min_length = 8, .max_length = 256});
  body.RejectUnknown({"email", "role", "password"});
  if (!body.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, body.problems());
  RAPPORT_CHECK(CheckMayGrant(ctx, *role));
  RAPPORT_TRY(CreatedUser created, a.users.Create(ctx.tenant(), *email, *role, password));
  json::object out = UserToJson(created.user);
  if (!created.generated_password.empty()) out["password"] = created.generated_password;
  return Reply::Json(201, std::move(out));
}

Result<Reply> Update(Accounts::Impl& a, RequestContext& ctx) {
  BodyReader body(ctx.body.as_object(), "body");
  UserChange change;
  change.role = ReadRole(body, false);
  change.disabled = body.Bool("disabled", false);
  body.RejectUnknown({"role", "disabled"});
  if (!body.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, body.problems());
  if (change.role) RAPPORT_CHECK(CheckMayGrant(ctx, *change.role));
  RAPPORT_TRY(User user, a.users.Update(ctx.tenant(), ctx.Param("user_id"), change));
  return Reply::Json(200, UserToJson(user));
}

Result<Reply> ResetPassword(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_TRY(User user, a.users.Get(ctx.tenant(), ctx.Param("user_id")));
  RAPPORT_CHECK(CheckMayGrant(ctx, user.role));
  RAPPORT_TRY(std::string password, a.users.ResetPassword(ctx.tenant(), user.id, std::nullopt));
  Reply reply = Reply::Json(200, json::object{{"password", password}});
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

Result<Reply> Delete(Accounts::Impl& a, RequestContext& ctx) {
  RAPPORT_CHECK(a.users.Delete(ctx.tenant(), ctx.Param("user_id"), true));
  return Reply::NoContent();
}

}  // namespace

void AddUserRoutes(api::Router& router, Accounts::Impl& a) {
  router.Add({.method = "GET",
              .pattern = "/v1/users",
              .required_scope = "read:users",
              .handler = [&a](RequestContext& ctx) { return List(a, ctx); }});
  router.Add({.method = "POST",
              .pattern = "/v1/users",
              .required_scope = "write:users",
              .accepts_body = true,
              .secret_in_reply = true,
              .handler = [&a](RequestContext& ctx) { return Create(a, ctx); }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/users/{user_id}",
              .required_scope = "write:users",
              .accepts_body = true,
              .handler = [&a](RequestContext& ctx) { return Update(a, ctx); }});
  router.Add({.method = "POST",
              .pattern = "/v1/users/{user_id}/reset-password",
              .required_scope = "write:users",
              .secret_in_reply = true,
              .handler = [&a](RequestContext& ctx) { return ResetPassword(a, ctx); }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/users/{user_id}",
              .required_scope = "write:users",
              .handler = [&a](RequestContext& ctx) { return Delete(a, ctx); }});
}

}  // namespace rapport::accounts
