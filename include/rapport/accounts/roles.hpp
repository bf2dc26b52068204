// A console user's role and the scopes it grants. A user's scopes are computed from the role on
// every request, so a change of role takes effect at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::accounts {

enum class Role { kViewer, kEditor, kAdmin };

// "admin", "editor" or "viewer"; nullopt for anything else.
std::optional<Role> ParseRole(std::string_view name);
std::string_view RoleName(Role role);

// viewer: read:all. editor: read:all plus every write scope but the admin ones (users, tokens,
// webhooks, white-label). admin: read:all write:all plus the admin scopes by name.
std::vector<std::string> ScopesOfRole(Role role);

// Whether `scope` is "*" or "read:X"/"write:X" with X of [a-z_-]+ (what a token may carry).
bool IsWellFormedScope(std::string_view scope);

}  // namespace rapport::accounts
