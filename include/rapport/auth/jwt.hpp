// Bearer-token authentication: verifies JWTs (HS256, RS256, ES256) and mints HS256 ones for the
// CLI. Verification checks the signature with a key of the algorithm's own type (no HS/RS
// confusion, no "none"), `exp` (required) and `nbf` with leeway, and `iss`/`aud` when configured.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

namespace rapport {

struct Principal {
  std::string subject;    // `sub`, may be empty
  std::string tenant_id;  // `tenant`, never empty
  std::vector<std::string> scopes;
};

struct JwtConfig {
  std::string hs256_secret;              // empty: HS256 disabled
  std::vector<std::string> public_keys;  // PEM public keys (RSA for RS256, P-256 for ES256)
  std::string issuer;                    // empty: not checked
  std::string audience;                  // empty: not checked
  int leeway_seconds = 60;
};

class JwtVerifier {
 public:
  // Fails (kValidation) when a PEM key cannot be read or no key at all is configured.
  static Result<std::shared_ptr<const JwtVerifier>> Create(const JwtConfig& config);

  // Verifies `token` at `now`; kUnauthorized with a reason the caller may see otherwise.
  // Thread-safe. Tokens that verified recently are remembered (keyed by the whole token, so a
  // changed byte is verified afresh); time claims are re-checked on every call.
  Result<Principal> Verify(std::string_view token, UnixMs now) const;

  struct Keys;
  struct Cache;
  JwtVerifier(JwtConfig config, std::shared_ptr<Keys> keys);

 private:
  Result<Principal> VerifyUncached(std::string_view token, UnixMs now) const;
  Status CheckSignature(std::string_view alg, std::string_view signed_part,
                        std::string_view signature) const;
  Status CheckClaims(const boost::json::object& claims, UnixMs now) const;

  JwtConfig config_;
  std::shared_ptr<Keys> keys_;
  std::shared_ptr<Cache> cache_;
};

// Returns "header.payload.signature" for `claims`, signed with HS256 and `secret`.
std::string MintHs256Token(const boost::json::object& claims, std::string_view secret);

// True when `scopes` grant `required` ("read:X" or "write:X"): write:X implies read:X; write:all
// and "*" grant everything; read:all grants every read but read:users and read:tokens (the
// console's accounts, an admin's business).
bool ScopesGrant(const std::vector<std::string>& scopes, std::string_view required);

}  // namespace rapport
