#include "session_service.hpp"

#include <rapport/accounts/password.hpp>
#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>

#include <boost/json/object.hpp>

namespace rapport::accounts {
namespace {

constexpr int64_t kTouchEveryMs = 60'000;

Error LoginFailed() { return Error(ErrorCode::kUnauthorized, kLoginFailedMessage); }

Error SessionEnded(std::string_view why) {
  return Error(ErrorCode::kUnauthorized, "The session " + std::string(why) + "; sign in again");
}

}  // namespace

std::string TokenHash(std::string_view secret) { return HexEncode(Sha256(secret)); }

std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  SecureRandom(raw.data(), raw.size());
  return Base64UrlEncode(raw);
}

std::optional<int64_t> SessionService::ThrottledFor(
    const std::vector<std::pair<std::string, int>>& keys, UnixMs now) const {
  std::optional<int64_t> wait_ms;
  Status read = db_.Read([&](sql::Connection& c) {
    for (const auto& [key, limit] : keys) {
      db::FailureCount n = db::CountFailures(c, key, now - options_.login_window_ms);
      if (n.count < limit || !n.oldest) continue;
      int64_t wait = *n.oldest + options_.login_window_ms - now;
      wait_ms = std::max(wait_ms.value_or(0), wait);
    }
  });
  if (!read.ok()) return std::nullopt;  // the password check still runs; a failure is recorded
  return wait_ms;
}

Status SessionService::RecordFailure(const std::vector<std::pair<std::string, int>>& keys,
                                     UnixMs now) {
  return db_.Write([&](sql::Connection& c) {
    for (const auto& [key, limit] : keys) {
      db::AddFailure(c, key, now, now - options_.login_window_ms);
    }
  });
}

Result<SignedIn> SessionService::Login(const std::string& email, const std::string& password,
                                       const std::string& remote_address) {
  UnixMs now = clock_.NowMs();
  std::string account_key = "account:" + db::EmailKey(email);
  std::vector<std::pair<std::string, int>> keys{
      {account_key, options_.max_failures_per_account},
      {"address:" + remote_address, options_.max_failures_per_address}};
  if (auto wait_ms = ThrottledFor(keys, now)) {
    int64_t seconds = std::max<int64_t>(1, (*wait_ms + 999) / 1000);
    return Error(ErrorCode::kRateLimitExceeded,
                 "Too many failed sign-ins; try again in " + std::to_string(seconds) + " s",
                 boost::json::object{{"retry_after", seconds}});
  }
  std::optional<db::UserRow> row;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { row = db::UserByEmail(c, email); }));
  if (!row) VerifyDummyPassword(password);
  if (!row || !VerifyPassword(row->password_hash, password) || row->user.disabled) {
    RAPPORT_CHECK(RecordFailure(keys, now));
    return LoginFailed();
  }
  return StartSession(*row, password, account_key, now);
}

Result<SignedIn> SessionService::StartSession(const db::UserRow& row, const std::string& password,
                                              const std::string& account_key, UnixMs now) {
  std::optional<std::string> rehash;
  if (PasswordNeedsRehash(row.password_hash)) {
    if (auto hash = HashPassword(password); hash.ok()) rehash = *hash;
  }
  SignedIn in{row.user, RandomToken(32), RandomToken(32), now + options_.session_idle_ms,
              now + options_.session_absolute_ms};
  in.user.last_login_at = now;
  db::SessionRow session{
      TokenHash(in.cookie_token), row.user.id, in.csrf_token, now, now, in.expires_at};
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    db::ClearFailures(c, account_key);
    db::PurgeSessions(c, row.user.id, now, now - options_.session_idle_ms);
    db::InsertSession(c, session);
    db::SetLastLogin(c, row.user.id, now);
    if (rehash) db::SetPasswordHash(c, row.user.id, *rehash, now);
  }));
  return in;
}

Status SessionService::Logout(const std::string& cookie_token) {
  return db_.Write([&](sql::Connection& c) { db::DeleteSession(c, TokenHash(cookie_token)); });
}

Result<ResolvedSession> SessionService::Resolve(const std::string& cookie_token, UnixMs now) const {
  std::optional<std::pair<db::SessionRow, User>> found;
  std::string hash = TokenHash(cookie_token);
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { found = db::SessionByHash(c, hash); }));
  if (!found) return SessionEnded("has ended or was never valid");
  auto& [session, user] = *found;
  if (user.disabled) return SessionEnded("has ended: the user is disabled");
  if (now >= session.expires_at) return SessionEnded("has reached its maximum age");
  if (now >= session.last_seen_at + options_.session_idle_ms) {
    return SessionEnded("has expired after inactivity");
  }
  if (now - session.last_seen_at >= kTouchEveryMs) {
    RAPPORT_CHECK(db_.Write([&](sql::Connection& c) { db::TouchSession(c, hash, now); }));
    session.last_seen_at = now;
  }
  UnixMs idle_expires =
      std::min(session.last_seen_at + options_.session_idle_ms, session.expires_at);
  return ResolvedSession{std::move(session), std::move(user), idle_expires};
}

}  // namespace rapport::accounts
