// What the accounts routes share: the services behind Accounts, and the JSON of its resources.
#pragma once

#include <rapport/accounts/accounts.hpp>
#include <rapport/accounts/user_service.hpp>
#include <rapport/api/router.hpp>

#include "session_service.hpp"
#include "token_service.hpp"

#include <boost/json/object.hpp>

namespace rapport::accounts {

class Accounts::Impl {
 public:
  Impl(KindDatabase& database, const Clock& clk, AccountsOptions opts)
      : db(database),
        clock(clk),
        options(std::move(opts)),
        users(database, clk),
        sessions(database, clk, options),
        tokens(database, clk) {}

  KindDatabase& db;
  const Clock& clock;
  const AccountsOptions options;
  UserService users;
  SessionService sessions;
  TokenService tokens;
};

inline constexpr std::string_view kSessionCookie = "rapport_session";

// The value of the `rapport_session` cookie, if the request carries one.
std::optional<std::string> SessionCookie(const http::Request& request);
// {"object":"user","id","email","role","disabled","created_at","last_login_at"}
boost::json::object UserToJson(const User& user);
// {"id","email","role","tenant"}: the signed-in user of /auth/login and /auth/session.
boost::json::object SessionUserToJson(const User& user);
// {"object":"api_token","id","name","scopes","created_by","created_at","expires_at",
//  "last_used_at","revoked_at"}; never the secret or its hash.
boost::json::object TokenToJson(const db::TokenRow& token);

void AddAuthRoutes(api::Router& router, Accounts::Impl& accounts);
void AddUserRoutes(api::Router& router, Accounts::Impl& accounts);
void AddTokenRoutes(api::Router& router, Accounts::Impl& accounts);

}  // namespace rapport::accounts
