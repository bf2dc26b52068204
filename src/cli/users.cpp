#include "users.hpp"

#include "cli.hpp"
#include "output.hpp"

#include <rapport/accounts/user_service.hpp>
#include <rapport/app/config.hpp>
#include <rapport/core/json.hpp>
#include <rapport/store/store.hpp>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <unistd.h>

#include <iostream>
#include <iterator>
#include <map>

namespace rapport::cli {
namespace {

namespace json = boost::json;
using accounts::User;

struct UserOptions {
  std::string config_file;
  std::string database;  // overrides the config's
  std::string email;
  std::string tenant;
  std::string role;
};

int Fail(const Error& error) {
  std::cerr << "rapport: " << error.message() << "\n";
  bool usage = error.code() == ErrorCode::kValidation || error.code() == ErrorCode::kBodyValidation;
  return usage ? kExitUsage : kExitApiError;
}

// rapportd's database (the config's, or --database) with the accounts tables in place.
Result<std::unique_ptr<Store>> OpenDatabase(const UserOptions& o) {
  RAPPORT_TRY(Config config, LoadConfig(o.config_file));
  std::string url = o.database.empty() ? config.DatabaseUrl() : o.database;
  RAPPORT_TRY(auto store, OpenStore({url, static_cast<int>(config.db_busy_timeout_ms), 1}));
  RAPPORT_CHECK(store->ApplyMigrations(accounts::kAccountsTrack, accounts::AccountMigrations()));
  return store;
}

// The password piped on standard input (its last line break dropped); nullopt on a terminal or
// when nothing was piped (</dev/null), where one is generated instead.
std::optional<std::string> PipedPassword() {
  if (isatty(STDIN_FILENO)) return std::nullopt;
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return std::nullopt;
  return text;
}

json::object UserJson(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"tenant", u.tenant_id},
          {"role", accounts::RoleName(u.role)},
          {"disabled", u.disabled},
          {"created_at", FormatRfc3339(u.created_at)},
          {"last_login_at",
           u.last_login_at ? json::value(FormatRfc3339(*u.last_login_at)) : json::value(nullptr)}};
}

int Add(const UserOptions& o, const Session& session) {
  auto role = accounts::ParseRole(o.role);
  if (!role) {
    std::cerr << "rapport: --role must be admin, editor or viewer\n";
    return kExitUsage;
  }
  auto store = OpenDatabase(o);
  if (!store.ok()) return Fail(store.error());
  accounts::UserService users(**store, SystemClock());
  auto created = users.Create(o.tenant, o.email, *role, PipedPassword());
  if (!created.ok()) return Fail(created.error());
  json::object out = UserJson(created->user);
  if (!created->generated_password.empty()) out["password"] = created->generated_password;
  if (session.json_output) {
    std::cout << ToJson(out) << "\n";
    return kExitOk;
  }
  std::cout << "added " << o.email << " (" << created->user.id << ") to tenant " << o.tenant
            << " as " << o.role << "\n";
  if (!created->generated_password.empty()) {
    std::cout << "password (shown once): " << created->generated_password << "\n";
  }
  return kExitOk;
}

int List(const UserOptions& o, const Session& session) {
  auto store = OpenDatabase(o);
  if (!store.ok()) return Fail(store.error());
  accounts::UserService users(**store, SystemClock());
  std::optional<std::string> tenant;
  if (!o.tenant.empty()) tenant = o.tenant;
  json::array rows;
  PageRequest page{100, std::nullopt};
  for (bool more = true; more;) {
    auto listed = users.List(tenant, page);
    if (!listed.ok()) return Fail(listed.error());
    for (const auto& u : listed->items) rows.push_back(UserJson(u));
    more = listed->has_more;
    if (more) page.after_id = listed->items.back().id;
  }
  if (session.json_output) {
    std::cout << ToJson(rows) << "\n";
    return kExitOk;
  }
  PrintTable(rows, {{"ID", "id"},
                    {"EMAIL", "email"},
                    {"TENANT", "tenant"},
                    {"ROLE", "role"},
                    {"DISABLED", "disabled"},
                    {"LAST LOGIN", "last_login_at"}});
  return kExitOk;
}

enum class Change { kDisable, kEnable, kResetPassword, kDelete };

// disable, enable, reset-password, delete: by e-mail, in whatever tenant the user is.
int ChangeUser(const UserOptions& o, Change change) {
  auto store = OpenDatabase(o);
  if (!store.ok()) return Fail(store.error());
  accounts::UserService users(**store, SystemClock());
  auto user = users.FindByEmail(o.email);
  if (!user.ok()) return Fail(user.error());
  if (change == Change::kResetPassword) {
    auto piped = PipedPassword();
    auto password = users.ResetPassword(user->tenant_id, user->id, piped);
    if (!password.ok()) return Fail(password.error());
    std::cout << "new password set for " << user->email << "; their sessions are ended\n";
    if (!piped) std::cout << "password (shown once): " << *password << "\n";
    return kExitOk;
  }
  if (change == Change::kDelete) {
    auto deleted = users.Delete(user->tenant_id, user->id, false);
    if (!deleted.ok()) return Fail(deleted.error());
    std::cout << "deleted " << user->email << "\n";
    return kExitOk;
  }
  bool disable = change == Change::kDisable;
  auto updated = users.Update(user->tenant_id, user->id,
                              {.role = std::nullopt, .disabled = disable, .keep_an_admin = false});
  if (!updated.ok()) return Fail(updated.error());
  std::cout << (disable ? "disabled " : "enabled ") << user->email
            << (disable ? "; their sessions are ended\n" : "\n");
  return kExitOk;
}

void AddDatabaseOptions(CLI::App* cmd, UserOptions& o) {
  cmd->add_option("--config", o.config_file, "rapportd's TOML config (its data_dir, database_url)");
  cmd->add_option("--database", o.database,
                  "Database URL or SQLite file (default: the config's, else "
                  "$RAPPORT_DATA_DIR/rapport.db)");
}

// "90s", "15m", "12h", "30d" -> seconds; nullopt when malformed.
std::optional<int64_t> TtlSeconds(const std::string& text) {
  static const std::map<char, int64_t> kUnits{{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  auto unit = text.empty() ? kUnits.end() : kUnits.find(text.back());
  if (unit == kUnits.end() || text.size() < 2 || text.size() > 12) return std::nullopt;
  int64_t n = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    n = n * 10 + (text[i] - '0');
  }
  if (n <= 0) return std::nullopt;
  return n * unit->second;
}

std::string Field(const json::value& v, const char* key) {
  const auto* field = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return field && field->is_string() ? std::string(field->as_string()) : "-";
}

struct TokenOptions {
  std::string name;
  std::vector<std::string> scopes;
  std::string ttl;
  std::string id;
};

int CreateToken(Session& session, const TokenOptions& o) {
  json::array scopes;
  for (const auto& s : o.scopes) scopes.emplace_back(s);
  json::object body{{"name", o.name}, {"scopes", std::move(scopes)}};
  if (!o.ttl.empty()) {
    auto ttl = TtlSeconds(o.ttl);
    if (!ttl) {
      std::cerr << "rapport: --ttl must look like 90s, 15m, 12h or 30d\n";
      return kExitUsage;
    }
    body["ttl_seconds"] = *ttl;
  }
  int code = kExitOk;
  auto created = session.Call("POST", "/v1/tokens", ToJson(body), code);
  if (!created) return code;
  if (session.json_output) {
    std::cout << ToJson(*created) << "\n";
    return kExitOk;
  }
  std::cout << "created " << Field(*created, "id") << " (" << o.name << ")\n"
            << "token (shown once, keep it secret): " << Field(*created, "token") << "\n";
  return kExitOk;
}

}  // namespace

void AddApiTokenCommands(CLI::App& app, Session& session) {
  auto* tokens = app.add_subcommand("tokens",
                                    "API tokens (rpt_…): long-lived bearer tokens with chosen "
                                    "scopes, managed through the API (/v1/tokens)")
                     ->require_subcommand(1);
  static TokenOptions o;
  auto* create = tokens->add_subcommand(
      "create", "Create a token; its secret is printed once. Scopes may not exceed your own");
  create->add_option("--name", o.name, "What the token is for, e.g. \"grafana\"")->required();
  create->add_option("--scope", o.scopes, "A scope, e.g. read:all or write:sla (repeatable)")
      ->required();
  create->add_option("--ttl", o.ttl, "Lifetime: 90s, 15m, 12h, 30d (default: no expiry)");
  create->callback([&] { session.exit_code = CreateToken(session, o); });

  static ListOptions list_opts;
  auto* list = tokens->add_subcommand("list", "List the tenant's tokens (never their secrets)");
  list->add_option("--limit", list_opts.limit, "Page size, 1-100");
  list->add_option("--cursor", list_opts.cursor, "Cursor from a previous page");
  list->callback([&] {
    session.exit_code = session.List("/v1/tokens", list_opts,
                                     {{"ID", "id"},
                                      {"NAME", "name"},
                                      {"SCOPES", "scopes"},
                                      {"EXPIRES", "expires_at"},
                                      {"LAST USED", "last_used_at"},
                                      {"REVOKED", "revoked_at"}});
  });

  auto* revoke = tokens->add_subcommand("revoke", "Revoke a token: it stops working at once");
  revoke->add_option("TOKEN_ID", o.id, "The token's id (tok_…)")->required();
  revoke->callback([&] {
    session.exit_code = session.Show("DELETE", "/v1/tokens/" + o.id, "");
    if (session.exit_code == kExitOk && !session.json_output)
      std::cout << "revoked " << o.id << "\n";
  });
}

void AddUserCommands(CLI::App& app, Session& session) {
  auto* users = app.add_subcommand("users",
                                   "Console users, on rapportd's database directly (SQLite or "
                                   "PostgreSQL; no server or token needed)")
                    ->require_subcommand(1);
  static UserOptions o;
  auto* add = users->add_subcommand(
      "add",
      "Add a user. The password is read from standard input when it is not a terminal "
      "(echo … | rapport users add …); otherwise one is generated and printed once");
  add->add_option("EMAIL", o.email, "The user's e-mail address (their sign-in name)")->required();
  add->add_option("--tenant", o.tenant, "The tenant the user belongs to")->required();
  add->add_option("--role", o.role,
                  "admin (everything, users and tokens too), editor (reads and writes), or "
                  "viewer (reads)")
      ->required();
  AddDatabaseOptions(add, o);
  add->callback([&] { session.exit_code = Add(o, session); });

  auto* list = users->add_subcommand("list", "List users, newest first");
  list->add_option("--tenant", o.tenant, "Only this tenant's users");
  AddDatabaseOptions(list, o);
  list->callback([&] { session.exit_code = List(o, session); });

  for (auto [name, help, change] :
       {std::tuple{"disable", "Disable a user; their sessions end at once", Change::kDisable},
        std::tuple{"enable", "Enable a disabled user again", Change::kEnable},
        std::tuple{"reset-password",
                   "Set a new password (from standard input when it is not a terminal, else "
                   "generated and printed once); ends the user's sessions",
                   Change::kResetPassword},
        std::tuple{"delete", "Delete a user and their sessions", Change::kDelete}}) {
    auto* cmd = users->add_subcommand(name, help);
    cmd->add_option("EMAIL", o.email, "The user's e-mail address")->required();
    AddDatabaseOptions(cmd, o);
    Change what = change;  // (clang 14 cannot capture a structured binding)
    cmd->callback([&session, what] { session.exit_code = ChangeUser(o, what); });
  }
}

}  // namespace rapport::cli
