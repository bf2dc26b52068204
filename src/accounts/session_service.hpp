// Signing in and out, and the sessions behind the `rapport_session` cookie: idle expiry
// (sliding) and absolute expiry, throttled logins (per account and per remote address, counted in
// the database so every node sees them).
#pragma once

#include <rapport/accounts/accounts.hpp>
#include <rapport/accounts/user_service.hpp>

#include "account_db.hpp"

namespace rapport::accounts {

inline constexpr const char* kLoginFailedMessage = "Incorrect e-mail or password";

struct SignedIn {
  User user;
  std::string cookie_token;  // the secret; only its SHA-256 is stored
  std::string csrf_token;
  UnixMs idle_expires_at = 0;
  UnixMs expires_at = 0;
};

struct ResolvedSession {
  db::SessionRow session;
  User user;
  UnixMs idle_expires_at = 0;
};

class SessionService {
 public:
  // `db`, `clock` and `options` must outlive the service.
  SessionService(KindDatabase& db, const Clock& clock, const AccountsOptions& options)
      : db_(db), clock_(clock), options_(options) {}

  // kUnauthorized with kLoginFailedMessage for an unknown e-mail, a wrong password or a disabled
  // user (a dummy hash is verified for an unknown one, so all three take about as long);
  // kRateLimitExceeded with details.retry_after (seconds) while the account or the address has
  // too many recent failures, before any password is looked at.
  Result<SignedIn> Login(const std::string& email, const std::string& password,
                         const std::string& remote_address);
  // Ends the session of `cookie_token` (nothing when there is none).
  Status Logout(const std::string& cookie_token);
  // The live session of `cookie_token`, its last use moved to `now` (written at most once a
  // minute); kUnauthorized when unknown, idle or past its absolute expiry, or its user is
  // disabled.
  Result<ResolvedSession> Resolve(const std::string& cookie_token, UnixMs now) const;

 private:
  std::optional<int64_t> ThrottledFor(const std::vector<std::pair<std::string, int>>& keys,
                                      UnixMs now) const;
  Status RecordFailure(const std::vector<std::pair<std::string, int>>& keys, UnixMs now);
  Result<SignedIn> StartSession(const db::UserRow& row, const std::string& password,
                                const std::string& account_key, UnixMs now);

  KindDatabase& db_;
  const Clock& clock_;
  const AccountsOptions& options_;
};

// Hex SHA-256: what the tables keep of a cookie token or an API token.
std::string TokenHash(std::string_view secret);
// `bytes` random bytes, base64url without padding.
std::string RandomToken(size_t bytes);

}  // namespace rapport::accounts
