#include "token_service.hpp"

#include "session_service.hpp"

#include <rapport/core/ids.hpp>

namespace rapport::accounts {
namespace {

constexpr int64_t kTouchEveryMs = 60'000;

Error BadToken(std::string_view why) {
  return Error(ErrorCode::kUnauthorized, "The API token " + std::string(why));
}

}  // namespace

Result<CreatedToken> TokenService::Create(const Principal& creator, const NewToken& token) {
  for (const auto& scope : token.scopes) {
    if (!ScopesGrant(creator.scopes, scope)) {
      return Error(ErrorCode::kForbidden,
                   "A token cannot have the scope '" + scope + "', which your own scopes lack",
                   boost::json::object{{"required_scope", scope}});
    }
  }
  UnixMs now = clock_.NowMs();
  CreatedToken out;
  out.secret = std::string(kApiTokenPrefix) + RandomToken(32);
  out.row.id = NewIdAt("tok", now);
  out.row.tenant_id = creator.tenant_id;
  out.row.name = token.name;
  out.row.token_hash = TokenHash(out.secret);
  out.row.scopes = token.scopes;
  out.row.created_by = creator.subject;
  out.row.created_at = now;
  if (token.ttl_seconds) out.row.expires_at = now + *token.ttl_seconds * 1000;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) { db::InsertToken(c, out.row); }));
  return out;
}

Result<Page<db::TokenRow>> TokenService::List(const std::string& tenant_id,
                                              const PageRequest& page) {
  Page<db::TokenRow> out;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { out = db::ListTokens(c, tenant_id, page); }));
  return out;
}

Status TokenService::Revoke(const std::string& tenant_id, const std::string& id) {
  bool found = false;
  UnixMs now = clock_.NowMs();
  RAPPORT_CHECK(
      db_.Write([&](sql::Connection& c) { found = db::RevokeToken(c, tenant_id, id, now); }));
  if (!found) return Error::NotFound("API token");
  return Ok{};
}

Result<Principal> TokenService::Authenticate(std::string_view secret, UnixMs now) const {
  std::optional<db::TokenRow> row;
  std::string hash = TokenHash(secret);
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { row = db::TokenByHash(c, hash); }));
  if (!row) return BadToken("is not valid");
  if (row->revoked_at) return BadToken("has been revoked");
  if (row->expires_at && now >= *row->expires_at) return BadToken("has expired");
  if (!row->last_used_at || now - *row->last_used_at >= kTouchEveryMs) {
    (void)db_.Write([&](sql::Connection& c) { db::TouchToken(c, row->id, now); });
  }
  return Principal{"token:" + row->id, row->tenant_id, row->scopes};
}

}  // namespace rapport::accounts
