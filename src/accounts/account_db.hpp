// The accounts tables' queries, written once for SQLite and PostgreSQL against the public SQL
// layer; each runs on the connection of a KindDatabase transaction the caller opened, so a
// service composes several in one transaction. Database failures throw sql::DbError, which the
// KindDatabase turns into the store's errors.
#pragma once

#include <rapport/accounts/user_service.hpp>
#include <rapport/store/sql.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rapport::accounts::db {

struct UserRow {
  User user;
  std::string password_hash;
};

struct SessionRow {
  std::string token_hash;  // hex SHA-256 of the cookie's token
  std::string user_id;
  std::string csrf_token;
  UnixMs created_at = 0;
  UnixMs last_seen_at = 0;
  UnixMs expires_at = 0;  // absolute
};

struct TokenRow {
  std::string id;  // tok_…
  std::string tenant_id;
  std::string name;
  std::string token_hash;  // hex SHA-256 of the whole `rpt_…` token
  std::vector<std::string> scopes;
  std::string created_by;  // the creator's principal subject
  UnixMs created_at = 0;
  std::optional<UnixMs> expires_at;
  std::optional<UnixMs> last_used_at;
  std::optional<UnixMs> revoked_at;
};

// Lower-cased (ASCII) e-mail: the unique key sign-in looks users up by.
std::string EmailKey(std::string_view email);

void InsertUser(sql::Connection& c, const UserRow& row);
std::optional<UserRow> UserByEmail(sql::Connection& c, std::string_view email);
std::optional<User> UserById(sql::Connection& c, const std::string& tenant_id,
                             const std::string& id);
Page<User> ListUsers(sql::Connection& c, const std::optional<std::string>& tenant_id,
                     const PageRequest& page);
void UpdateUser(sql::Connection& c, const User& user);  // role, disabled, updated_at
void SetPasswordHash(sql::Connection& c, const std::string& user_id, const std::string& hash,
                     UnixMs now);
void SetLastLogin(sql::Connection& c, const std::string& user_id, UnixMs now);
void DeleteUser(sql::Connection& c, const std::string& user_id);
// The tenant's enabled admins' ids; on PostgreSQL their rows stay locked until the transaction
// ends, so two changes cannot each remove "the other" last admin.
std::vector<std::string> ActiveAdminIds(sql::Connection& c, const std::string& tenant_id);

void InsertSession(sql::Connection& c, const SessionRow& row);
// The session and its user (nullopt: no such session, or its user is gone).
std::optional<std::pair<SessionRow, User>> SessionByHash(sql::Connection& c,
                                                         const std::string& token_hash);
void TouchSession(sql::Connection& c, const std::string& token_hash, UnixMs now);
void DeleteSession(sql::Connection& c, const std::string& token_hash);
void DeleteUserSessions(sql::Connection& c, const std::string& user_id);
// Sessions past their absolute expiry (everyone's), and `user_id`'s idle ones.
void PurgeSessions(sql::Connection& c, const std::string& user_id, UnixMs now, UnixMs idle_before);

void InsertToken(sql::Connection& c, const TokenRow& row);
std::optional<TokenRow> TokenByHash(sql::Connection& c, const std::string& token_hash);
// Newest first; revoked tokens included.
Page<TokenRow> ListTokens(sql::Connection& c, const std::string& tenant_id,
                          const PageRequest& page);
// Sets revoked_at unless already set; false when the tenant has no such token.
bool RevokeToken(sql::Connection& c, const std::string& tenant_id, const std::string& id,
                 UnixMs now);
void TouchToken(sql::Connection& c, const std::string& id, UnixMs now);

struct FailureCount {
  int64_t count = 0;
  std::optional<UnixMs> oldest;
};
// Failures recorded under `key` at or after `since`.
FailureCount CountFailures(sql::Connection& c, const std::string& key, UnixMs since);
// Records one failure under `key` and forgets every key's failures older than `forget_before`.
void AddFailure(sql::Connection& c, const std::string& key, UnixMs at, UnixMs forget_before);
void ClearFailures(sql::Connection& c, const std::string& key);

}  // namespace rapport::accounts::db
