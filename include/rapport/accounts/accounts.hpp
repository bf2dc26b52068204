// The accounts module: console users signing in with an e-mail and a password (a session
// cookie with a CSRF token), API tokens (`rpt_…`) an admin creates, and the routes that manage
// both. rapportd wires it into the Api: Authenticate() as ApiConfig::authenticate, AddRoutes()
// as a route set and ErrorSpecs() among the error specs. Nothing generic depends on it.
#pragma once

#include <rapport/api/kind_routes.hpp>
#include <rapport/auth/jwt.hpp>
#include <rapport/http/message.hpp>
#include <rapport/store/interfaces.hpp>

#include <memory>
#include <optional>
#include <span>

namespace rapport::accounts {

struct AccountsOptions {
  int64_t session_idle_ms = 30LL * 60 * 1000;        // sliding
  int64_t session_absolute_ms = 12LL * 3600 * 1000;  // from sign-in
  int max_failures_per_account = 5;                  // in `login_window_ms`, then 429
  int max_failures_per_address = 20;
  int64_t login_window_ms = 15LL * 60 * 1000;
  bool secure_cookie = false;  // `; Secure` on the cookie (public_url is https)
  std::string public_url;      // for the doc_url of the errors the login route renders itself
};

// The 403 `csrf_token_invalid`: a cookie session's state-changing request without the
// session's X-CSRF-Token.
const ErrorSpec& CsrfTokenInvalid();
std::span<const ErrorSpec> AccountErrorSpecs();

class Accounts {
 public:
  // `db` and `clock` must outlive this object.
  Accounts(KindDatabase& db, const Clock& clock, AccountsOptions options);
  ~Accounts();
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;

  // Applies the accounts tables' migrations (safe when several nodes start at once).
  Status Migrate();
  // The credential of `request` when it is one of ours: `Authorization: Bearer rpt_…` or, with
  // no Authorization header, the `rapport_session` cookie (whose state-changing requests need
  // X-CSRF-Token). nullopt: not ours (a JWT, or nothing), the API's verifier decides. Thread-safe.
  std::optional<Result<Principal>> Authenticate(const http::Request& request, UnixMs now) const;
  // POST /auth/login, POST /auth/logout, GET /auth/session, /v1/users…, /v1/tokens…
  void AddRoutes(api::Router& router) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapport::accounts
