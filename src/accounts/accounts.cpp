#include <rapport/accounts/accounts.hpp>

#include "accounts_impl.hpp"

#include <rapport/accounts/password.hpp>

#include <openssl/crypto.h>

namespace rapport::accounts {
namespace {

bool IsMutating(std::string_view method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A cookie session's state-changing request must echo the session's CSRF token.
std::optional<Error> CheckCsrf(const http::Request& request, const std::string& csrf_token) {
  if (!IsMutating(request.method)) return std::nullopt;
  auto given = request.Header("x-csrf-token");
  if (!given || given->empty()) {
    return Error(CsrfTokenInvalid(),
                 "Missing X-CSRF-Token header: a " + request.method +
                     " made with the session cookie needs the session's csrf_token (from POST "
                     "/auth/login or GET /auth/session)");
  }
  if (!SameSecret(Trim(*given), csrf_token)) {
    return Error(CsrfTokenInvalid(),
                 "The X-CSRF-Token header does not match this session's csrf_token");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> SessionCookie(const http::Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == rest.npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq != pair.npos && Trim(pair.substr(0, eq)) == kSessionCookie) {
        std::string_view token = Trim(pair.substr(eq + 1));
        if (!token.empty()) return std::string(token);
      }
    }
  }
  return std::nullopt;
}

Accounts::Accounts(KindDatabase& db, const Clock& clock, AccountsOptions options)
    : impl_(std::make_unique<Impl>(db, clock, std::move(options))) {
  VerifyDummyPassword("");  // makes the dummy hash now, so no sign-in pays for it
}
Accounts::~Accounts() = default;

Status Accounts::Migrate() {
  return impl_->db.ApplyMigrations(kAccountsTrack, AccountMigrations());
}

std::optional<Result<Principal>> Accounts::Authenticate(const http::Request& request,
                                                        UnixMs now) const {
  if (auto header = request.Header("authorization")) {
    std::string_view value = Trim(*header);
    if (value.size() < 7 || (value.substr(0, 7) != "Bearer " && value.substr(0, 7) != "bearer ")) {
      return std::nullopt;
    }
    std::string_view secret = Trim(value.substr(7));
    if (!secret.starts_with(kApiTokenPrefix)) return std::nullopt;
    return impl_->tokens.Authenticate(secret, now);
  }
  auto cookie = SessionCookie(request);
  if (!cookie) return std::nullopt;
  auto resolved = impl_->sessions.Resolve(*cookie, now);
  if (!resolved.ok()) return Result<Principal>(resolved.error());
  if (auto refused = CheckCsrf(request, resolved->session.csrf_token)) {
    return Result<Principal>(std::move(*refused));
  }
  const User& user = resolved->user;
  return Result<Principal>(Principal{"user:" + user.id, user.tenant_id, ScopesOfRole(user.role)});
}

void Accounts::AddRoutes(api::Router& router) const {
  AddAuthRoutes(router, *impl_);
  AddUserRoutes(router, *impl_);
  AddTokenRoutes(router, *impl_);
}

}  // namespace rapport::accounts
