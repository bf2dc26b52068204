// API tokens: opaque `rpt_…` bearer secrets an admin (or any caller with write:tokens) creates
// with at most the caller's own scopes. Only a token's SHA-256 is stored; the secret is shown
// once, in the answer that creates it.
#pragma once

#include <rapport/auth/jwt.hpp>
#include <rapport/store/interfaces.hpp>

#include "account_db.hpp"

namespace rapport::accounts {

inline constexpr std::string_view kApiTokenPrefix = "rpt_";

struct NewToken {
  std::string name;
  std::vector<std::string> scopes;
  std::optional<int64_t> ttl_seconds;  // nullopt: never expires
};

struct CreatedToken {
  db::TokenRow row;
  std::string secret;  // rpt_…
};

class TokenService {
 public:
  // `db` and `clock` must outlive the service.
  TokenService(KindDatabase& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kForbidden when `creator`'s scopes do not grant one of `token.scopes`.
  Result<CreatedToken> Create(const Principal& creator, const NewToken& token);
  Result<Page<db::TokenRow>> List(const std::string& tenant_id, const PageRequest& page);
  // kNotFound for another tenant's or an unknown token; revoking twice is fine.
  Status Revoke(const std::string& tenant_id, const std::string& id);
  // The principal of bearer `secret` (subject "token:<id>"); kUnauthorized when unknown, revoked
  // or expired. Records the use at most once a minute.
  Result<Principal> Authenticate(std::string_view secret, UnixMs now) const;

 private:
  KindDatabase& db_;
  const Clock& clock_;
};

}  // namespace rapport::accounts
