#include "accounts_impl.hpp"

#include <boost/json.hpp>

namespace rapport::accounts {
namespace {

namespace json = boost::json;

json::value OptionalTime(const std::optional<UnixMs>& ms) {
  if (!ms) return nullptr;
  return json::string(FormatRfc3339(*ms));
}

}  // namespace

json::object UserToJson(const User& user) {
  return {{"object", "user"},
          {"id", user.id},
          {"email", user.email},
          {"role", RoleName(user.role)},
          {"disabled", user.disabled},
          {"created_at", FormatRfc3339(user.created_at)},
          {"last_login_at", OptionalTime(user.last_login_at)}};
}

json::object SessionUserToJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"role", RoleName(user.role)},
          {"tenant", user.tenant_id}};
}

json::object TokenToJson(const db::TokenRow& token) {
  json::array scopes;
  for (const auto& s : token.scopes) scopes.emplace_back(s);
  return {{"object", "api_token"},
          {"id", token.id},
          {"name", token.name},
          {"scopes", std::move(scopes)},
          {"created_by", token.created_by},
          {"created_at", FormatRfc3339(token.created_at)},
          {"expires_at", OptionalTime(token.expires_at)},
          {"last_used_at", OptionalTime(token.last_used_at)},
          {"revoked_at", OptionalTime(token.revoked_at)}};
}

}  // namespace rapport::accounts
