// The accounts tables' schema and the users queries.
#include "account_db.hpp"

#include <algorithm>

namespace rapport::accounts {

std::vector<KindDatabase::Migration> AccountMigrations() {
  static constexpr const char* kSqlite =
      "CREATE TABLE users (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, email TEXT NOT NULL,"
      " email_key TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,"
      " role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),"
      " disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL, last_login_at INTEGER);"
      "CREATE INDEX users_tenant ON users (tenant_id, id);"
      "CREATE TABLE user_sessions (token_hash TEXT PRIMARY KEY,"
      " user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
      " csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL,"
      " expires_at INTEGER NOT NULL);"
      "CREATE INDEX user_sessions_user ON user_sessions (user_id);"
      "CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);"
      "CREATE TABLE api_tokens (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, name TEXT NOT NULL,"
      " token_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, created_by TEXT NOT NULL,"
      " created_at INTEGER NOT NULL, expires_at INTEGER, last_used_at INTEGER,"
      " revoked_at INTEGER);"
      "CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id, id);"
      "CREATE TABLE login_failures (throttle_key TEXT NOT NULL, at INTEGER NOT NULL);"
      "CREATE INDEX login_failures_key ON login_failures (throttle_key, at);"
      "CREATE INDEX login_failures_at ON login_failures (at)";
  static constexpr const char* kPostgres =
      "CREATE TABLE users (id TEXT COLLATE \"C\" PRIMARY KEY, tenant_id TEXT NOT NULL,"
      " email TEXT NOT NULL, email_key TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,"
      " role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),"
      " disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL, last_login_at BIGINT);"
      "CREATE INDEX users_tenant ON users (tenant_id, id);"
      "CREATE TABLE user_sessions (token_hash TEXT PRIMARY KEY,"
      " user_id TEXT COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
      " csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL,"
      " expires_at BIGINT NOT NULL);"
      "CREATE INDEX user_sessions_user ON user_sessions (user_id);"
      "CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);"
      "CREATE TABLE api_tokens (id TEXT COLLATE \"C\" PRIMARY KEY, tenant_id TEXT NOT NULL,"
      " name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL,"
      " created_by TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT,"
      " last_used_at BIGINT, revoked_at BIGINT);"
      "CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id, id);"
      "CREATE TABLE login_failures (throttle_key TEXT NOT NULL, at BIGINT NOT NULL);"
      "CREATE INDEX login_failures_key ON login_failures (throttle_key, at);"
      "CREATE INDEX login_failures_at ON login_failures (at)";
  return {{.version = 1, .name = "accounts", .sqlite = kSqlite, .postgres = kPostgres}};
}

namespace db {
namespace {

User ReadUser(const sql::Statement& q, int first = 0) {
  User u;
  u.id = q.Text(first);
  u.tenant_id = q.Text(first + 1);
  u.email = q.Text(first + 2);
  u.role = ParseRole(q.Text(first + 3)).value_or(Role::kViewer);
  u.disabled = q.Int(first + 4) != 0;
  u.created_at = q.Int(first + 5);
  u.updated_at = q.Int(first + 6);
  u.last_login_at = q.OptionalInt(first + 7);
  return u;
}

}  // namespace

std::string EmailKey(std::string_view email) {
  std::string key(email);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return key;
}

void InsertUser(sql::Connection& c, const UserRow& row) {
  const User& u = row.user;
  c.Prepare(
       "INSERT INTO users (id, tenant_id, email, email_key, password_hash, role, disabled,"
       " created_at, updated_at, last_login_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
      .Bind(1, u.id)
      .Bind(2, u.tenant_id)
      .Bind(3, u.email)
      .Bind(4, EmailKey(u.email))
      .Bind(5, row.password_hash)
      .Bind(6, RoleName(u.role))
      .Bind(7, int64_t{u.disabled ? 1 : 0})
      .Bind(8, u.created_at)
      .Bind(9, u.updated_at)
      .Bind(10, u.last_login_at)
      .Run();
}

std::optional<UserRow> UserByEmail(sql::Connection& c, std::string_view email) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, email, role, disabled, created_at, updated_at, last_login_at,"
      " password_hash FROM users WHERE email_key = ?1");
  q.Bind(1, EmailKey(email));
  if (!q.Step()) return std::nullopt;
  return UserRow{ReadUser(q), q.Text(8)};
}

std::optional<User> UserById(sql::Connection& c, const std::string& tenant_id,
                             const std::string& id) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, email, role, disabled, created_at, updated_at, last_login_at"
      " FROM users WHERE id = ?1 AND tenant_id = ?2");
  q.Bind(1, id).Bind(2, tenant_id);
  if (!q.Step()) return std::nullopt;
  return ReadUser(q);
}

Page<User> ListUsers(sql::Connection& c, const std::optional<std::string>& tenant_id,
                     const PageRequest& page) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, email, role, disabled, created_at, updated_at, last_login_at"
      " FROM users WHERE (tenant_id = ?1 OR ?1 IS NULL) AND (id < ?2 OR ?2 IS NULL)"
      " ORDER BY id DESC LIMIT ?3");
  q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, int64_t{page.limit + 1});
  return sql::ReadRows<User>(q, page.limit, [](const sql::Statement& s) { return ReadUser(s); });
}

void UpdateUser(sql::Connection& c, const User& user) {
  c.Prepare("UPDATE users SET role = ?1, disabled = ?2, updated_at = ?3 WHERE id = ?4")
      .Bind(1, RoleName(user.role))
      .Bind(2, int64_t{user.disabled ? 1 : 0})
      .Bind(3, user.updated_at)
      .Bind(4, user.id)
      .Run();
}

void SetPasswordHash(sql::Connection& c, const std::string& user_id, const std::string& hash,
                     UnixMs now) {
  c.Prepare("UPDATE users SET password_hash = ?1, updated_at = ?2 WHERE id = ?3")
      .Bind(1, hash)
      .Bind(2, now)
      .Bind(3, user_id)
      .Run();
}

void SetLastLogin(sql::Connection& c, const std::string& user_id, UnixMs now) {
  c.Prepare("UPDATE users SET last_login_at = ?1 WHERE id = ?2")
      .Bind(1, now)
      .Bind(2, user_id)
      .Run();
}

void DeleteUser(sql::Connection& c, const std::string& user_id) {
  DeleteUserSessions(c, user_id);
  c.Prepare("DELETE FROM users WHERE id = ?1").Bind(1, user_id).Run();
}

std::vector<std::string> ActiveAdminIds(sql::Connection& c, const std::string& tenant_id) {
  auto q = c.Prepare(
      c.Pick("SELECT id FROM users WHERE tenant_id = ?1 AND role = 'admin' AND disabled = 0",
             "SELECT id FROM users WHERE tenant_id = ?1 AND role = 'admin' AND disabled = 0"
             " FOR UPDATE"));
  q.Bind(1, tenant_id);
  std::vector<std::string> ids;
  while (q.Step()) ids.push_back(q.Text(0));
  return ids;
}

}  // namespace db
}  // namespace rapport::accounts
