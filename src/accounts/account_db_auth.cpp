// The sessions, API tokens and login failures queries.
#include "account_db.hpp"

#include <sstream>

namespace rapport::accounts::db {
namespace {

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

TokenRow ReadToken(const sql::Statement& q) {
  TokenRow t;
  t.id = q.Text(0);
  t.tenant_id = q.Text(1);
  t.name = q.Text(2);
  t.token_hash = q.Text(3);
  t.scopes = SplitScopes(q.Text(4));
  t.created_by = q.Text(5);
  t.created_at = q.Int(6);
  t.expires_at = q.OptionalInt(7);
  t.last_used_at = q.OptionalInt(8);
  t.revoked_at = q.OptionalInt(9);
  return t;
}

}  // namespace

void InsertSession(sql::Connection& c, const SessionRow& row) {
  c.Prepare(
       "INSERT INTO user_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at,"
       " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .Bind(1, row.token_hash)
      .Bind(2, row.user_id)
      .Bind(3, row.csrf_token)
      .Bind(4, row.created_at)
      .Bind(5, row.last_seen_at)
      .Bind(6, row.expires_at)
      .Run();
}

std::optional<std::pair<SessionRow, User>> SessionByHash(sql::Connection& c,
                                                         const std::string& token_hash) {
  auto q = c.Prepare(
      "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,"
      " u.tenant_id, u.email, u.role, u.disabled, u.created_at, u.updated_at, u.last_login_at"
      " FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
  q.Bind(1, token_hash);
  if (!q.Step()) return std::nullopt;
  SessionRow s{q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Int(4), q.Int(5)};
  User u;
  u.id = s.user_id;
  u.tenant_id = q.Text(6);
  u.email = q.Text(7);
  u.role = ParseRole(q.Text(8)).value_or(Role::kViewer);
  u.disabled = q.Int(9) != 0;
  u.created_at = q.Int(10);
  u.updated_at = q.Int(11);
  u.last_login_at = q.OptionalInt(12);
  return std::pair{std::move(s), std::move(u)};
}

void TouchSession(sql::Connection& c, const std::string& token_hash, UnixMs now) {
  c.Prepare(
       "UPDATE user_sessions SET last_seen_at = ?1 WHERE token_hash = ?2 AND last_seen_at < ?1")
      .Bind(1, now)
      .Bind(2, token_hash)
      .Run();
}

void DeleteSession(sql::Connection& c, const std::string& token_hash) {
  c.Prepare("DELETE FROM user_sessions WHERE token_hash = ?1").Bind(1, token_hash).Run();
}

void DeleteUserSessions(sql::Connection& c, const std::string& user_id) {
  c.Prepare("DELETE FROM user_sessions WHERE user_id = ?1").Bind(1, user_id).Run();
}

void PurgeSessions(sql::Connection& c, const std::string& user_id, UnixMs now, UnixMs idle_before) {
  c.Prepare("DELETE FROM user_sessions WHERE expires_at <= ?1").Bind(1, now).Run();
  c.Prepare("DELETE FROM user_sessions WHERE user_id = ?1 AND last_seen_at <= ?2")
      .Bind(1, user_id)
      .Bind(2, idle_before)
      .Run();
}

void InsertToken(sql::Connection& c, const TokenRow& row) {
  c.Prepare(
       "INSERT INTO api_tokens (id, tenant_id, name, token_hash, scopes, created_by, created_at,"
       " expires_at, last_used_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
      .Bind(1, row.id)
      .Bind(2, row.tenant_id)
      .Bind(3, row.name)
      .Bind(4, row.token_hash)
      .Bind(5, JoinScopes(row.scopes))
      .Bind(6, row.created_by)
      .Bind(7, row.created_at)
      .Bind(8, row.expires_at)
      .Bind(9, row.last_used_at)
      .Bind(10, row.revoked_at)
      .Run();
}

std::optional<TokenRow> TokenByHash(sql::Connection& c, const std::string& token_hash) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, name, token_hash, scopes, created_by, created_at, expires_at,"
      " last_used_at, revoked_at FROM api_tokens WHERE token_hash = ?1");
  q.Bind(1, token_hash);
  if (!q.Step()) return std::nullopt;
  return ReadToken(q);
}

Page<TokenRow> ListTokens(sql::Connection& c, const std::string& tenant_id,
                          const PageRequest& page) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, name, token_hash, scopes, created_by, created_at, expires_at,"
      " last_used_at, revoked_at FROM api_tokens WHERE tenant_id = ?1"
      " AND (id < ?2 OR ?2 IS NULL) ORDER BY id DESC LIMIT ?3");
  q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, int64_t{page.limit + 1});
  return sql::ReadRows<TokenRow>(q, page.limit, ReadToken);
}

bool RevokeToken(sql::Connection& c, const std::string& tenant_id, const std::string& id,
                 UnixMs now) {
  auto q = c.Prepare("SELECT revoked_at FROM api_tokens WHERE id = ?1 AND tenant_id = ?2");
  q.Bind(1, id).Bind(2, tenant_id);
  if (!q.Step()) return false;
  c.Prepare("UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL")
      .Bind(1, now)
      .Bind(2, id)
      .Run();
  return true;
}

void TouchToken(sql::Connection& c, const std::string& id, UnixMs now) {
  c.Prepare("UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2").Bind(1, now).Bind(2, id).Run();
}

FailureCount CountFailures(sql::Connection& c, const std::string& key, UnixMs since) {
  auto q = c.Prepare(
      "SELECT COUNT(*), MIN(at) FROM login_failures WHERE throttle_key = ?1 AND at >= ?2");
  q.Bind(1, key).Bind(2, since);
  if (!q.Step()) return {};
  return {q.Int(0), q.OptionalInt(1)};
}

void AddFailure(sql::Connection& c, const std::string& key, UnixMs at, UnixMs forget_before) {
  c.Prepare("DELETE FROM login_failures WHERE at < ?1").Bind(1, forget_before).Run();
  c.Prepare("INSERT INTO login_failures (throttle_key, at) VALUES (?1, ?2)")
      .Bind(1, key)
      .Bind(2, at)
      .Run();
}

void ClearFailures(sql::Connection& c, const std::string& key) {
  c.Prepare("DELETE FROM login_failures WHERE throttle_key = ?1").Bind(1, key).Run();
}

}  // namespace rapport::accounts::db
