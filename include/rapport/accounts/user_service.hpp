// Console users: created, listed, changed and deleted, tenant by tenant (the API's
// /v1/users) or by e-mail (the `rapport users` commands, on the database directly). E-mail
// addresses are unique across every tenant, compared case-insensitively: sign-in is by e-mail
// alone.
#pragma once

#include <rapport/accounts/roles.hpp>
#include <rapport/core/time.hpp>
#include <rapport/store/interfaces.hpp>

#include <optional>
#include <string>

namespace rapport::accounts {

struct User {
  std::string id;  // usr_…
  std::string tenant_id;
  std::string email;  // as given
  Role role = Role::kViewer;
  bool disabled = false;
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  std::optional<UnixMs> last_login_at;
};

struct CreatedUser {
  User user;
  std::string generated_password;  // "" when the caller gave one
};

struct UserChange {
  std::optional<Role> role;
  std::optional<bool> disabled;
  // Refuse (409) a change that leaves the tenant without an active admin. The API sets it; the
  // CLI, the operator's way back in, does not.
  bool keep_an_admin = true;
};

// Every method may fail with the store's errors (503 when busy, 500). Thread-safe.
class UserService {
 public:
  // `db` and `clock` must outlive the service; the accounts migrations must have been applied.
  UserService(KindDatabase& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kBodyValidation for a malformed e-mail or a password outside 8-256 bytes; kConflict when the
  // e-mail is taken (in any tenant). No password: one is generated and returned once.
  Result<CreatedUser> Create(const std::string& tenant_id, const std::string& email, Role role,
                             const std::optional<std::string>& password);
  // Newest first; `tenant_id` nullopt: every tenant's (the CLI).
  Result<Page<User>> List(const std::optional<std::string>& tenant_id, const PageRequest& page);
  // kNotFound for another tenant's or an unknown id.
  Result<User> Get(const std::string& tenant_id, const std::string& id);
  // kNotFound when no user has `email` (any case).
  Result<User> FindByEmail(const std::string& email);
  // kConflict when `change.keep_an_admin` and the change would leave no active admin. Disabling
  // ends the user's sessions.
  Result<User> Update(const std::string& tenant_id, const std::string& id,
                      const UserChange& change);
  // Sets `password` (or a generated one, returned once) and ends the user's sessions.
  Result<std::string> ResetPassword(const std::string& tenant_id, const std::string& id,
                                    const std::optional<std::string>& password);
  // Deletes the user and their sessions; kConflict as Update with `keep_an_admin`.
  Status Delete(const std::string& tenant_id, const std::string& id, bool keep_an_admin);

 private:
  KindDatabase& db_;
  const Clock& clock_;
};

// The accounts tables' migrations (track "accounts"), for KindDatabase::ApplyMigrations.
std::vector<KindDatabase::Migration> AccountMigrations();
inline constexpr const char* kAccountsTrack = "accounts";

}  // namespace rapport::accounts
