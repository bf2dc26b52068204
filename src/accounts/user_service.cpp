#include <rapport/accounts/user_service.hpp>

#include <rapport/accounts/password.hpp>
#include <rapport/core/ids.hpp>

#include "account_db.hpp"

#include <algorithm>

namespace rapport::accounts {
namespace {

Status CheckEmail(const std::string& email) {
  size_t at = email.find('@');
  bool ok = email.size() >= 3 && email.size() <= 254 && at != std::string::npos && at > 0 &&
            at + 1 < email.size() && email.find('@', at + 1) == std::string::npos &&
            std::none_of(email.begin(), email.end(), [](unsigned char ch) {
              return ch <= 0x20 || ch == 0x7F || ch == '<' || ch == '>' || ch == ',';
            });
  if (ok) return Ok{};
  return Error::FromProblems(ErrorCode::kBodyValidation,
                             {{"body.email", "must be an e-mail address", "value_error"}});
}

Error LastAdmin() {
  return Error(ErrorCode::kConflict,
               "This would leave the tenant without an active admin; make another user admin "
               "first");
}

// Whether the tenant keeps an active admin once `user` becomes `after` (nullopt: deleted).
bool KeepsAnAdmin(sql::Connection& c, const User& user, const std::optional<User>& after) {
  std::vector<std::string> admins = db::ActiveAdminIds(c, user.tenant_id);
  bool was_admin = std::find(admins.begin(), admins.end(), user.id) != admins.end();
  bool stays_admin = after && after->role == Role::kAdmin && !after->disabled;
  return !was_admin || stays_admin || admins.size() > 1;
}

}  // namespace

Result<CreatedUser> UserService::Create(const std::string& tenant_id, const std::string& email,
                                        Role role, const std::optional<std::string>& password) {
  RAPPORT_CHECK(CheckEmail(email));
  CreatedUser created;
  std::string secret = password.value_or("");
  if (!password) {
    secret = GeneratePassword();
    created.generated_password = secret;
  }
  RAPPORT_CHECK(CheckPasswordRules(secret));
  RAPPORT_TRY(std::string hash, HashPassword(secret));
  UnixMs now = clock_.NowMs();
  created.user = User{NewIdAt("usr", now), tenant_id, email, role, false, now, now, std::nullopt};
  std::optional<Error> refused;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    if (db::UserByEmail(c, email)) {
      refused = Error(ErrorCode::kConflict, "A user with this e-mail address already exists");
      return;
    }
    db::InsertUser(c, {created.user, hash});
  }));
  if (refused) return *refused;
  return created;
}

Result<Page<User>> UserService::List(const std::optional<std::string>& tenant_id,
                                     const PageRequest& page) {
  Page<User> out;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { out = db::ListUsers(c, tenant_id, page); }));
  return out;
}

Result<User> UserService::Get(const std::string& tenant_id, const std::string& id) {
  std::optional<User> user;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { user = db::UserById(c, tenant_id, id); }));
  if (!user) return Error::NotFound("User");
  return *user;
}

Result<User> UserService::FindByEmail(const std::string& email) {
  std::optional<db::UserRow> row;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) { row = db::UserByEmail(c, email); }));
  if (!row) return Error(ErrorCode::kNotFound, "No user has the e-mail address " + email);
  return row->user;
}

Result<User> UserService::Update(const std::string& tenant_id, const std::string& id,
                                 const UserChange& change) {
  std::optional<User> updated;
  std::optional<Error> refused;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    auto user = db::UserById(c, tenant_id, id);
    if (!user) return;
    User after = *user;
    if (change.role) after.role = *change.role;
    if (change.disabled) after.disabled = *change.disabled;
    after.updated_at = clock_.NowMs();
    if (change.keep_an_admin && !KeepsAnAdmin(c, *user, after)) {
      refused = LastAdmin();
      return;
    }
    db::UpdateUser(c, after);
    if (after.disabled) db::DeleteUserSessions(c, after.id);
    updated = after;
  }));
  if (refused) return *refused;
  if (!updated) return Error::NotFound("User");
  return *updated;
}

Result<std::string> UserService::ResetPassword(const std::string& tenant_id, const std::string& id,
                                               const std::optional<std::string>& password) {
  std::string secret = password.value_or(GeneratePassword());
  RAPPORT_CHECK(CheckPasswordRules(secret));
  RAPPORT_TRY(std::string hash, HashPassword(secret));
  bool found = false;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    found = db::UserById(c, tenant_id, id).has_value();
    if (!found) return;
    db::SetPasswordHash(c, id, hash, clock_.NowMs());
    db::DeleteUserSessions(c, id);
  }));
  if (!found) return Error::NotFound("User");
  return secret;
}

Status UserService::Delete(const std::string& tenant_id, const std::string& id,
                           bool keep_an_admin) {
  bool found = false;
  std::optional<Error> refused;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    auto user = db::UserById(c, tenant_id, id);
    found = user.has_value();
    if (!found) return;
    if (keep_an_admin && !KeepsAnAdmin(c, *user, std::nullopt)) {
      refused = LastAdmin();
      return;
    }
    db::DeleteUser(c, id);
  }));
  if (refused) return *refused;
  if (!found) return Error::NotFound("User");
  return Ok{};
}

}  // namespace rapport::accounts
