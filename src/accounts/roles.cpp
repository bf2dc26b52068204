#include <rapport/accounts/roles.hpp>

#include <algorithm>

namespace rapport::accounts {

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "editor") return Role::kEditor;
  if (name == "viewer") return Role::kViewer;
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kEditor:
      return "editor";
    case Role::kViewer:
      break;
  }
  return "viewer";
}

std::vector<std::string> ScopesOfRole(Role role) {
  switch (role) {
    case Role::kAdmin:
      return {"read:all",         "write:all",        "read:users",    "write:users",
              "read:tokens",      "write:tokens",     "read:webhooks", "write:webhooks",
              "read:white-label", "write:white-label"};
    case Role::kEditor:
      return {"read:all",
              "write:sla",
              "write:brands",
              "write:scheduled",
              "write:region-configs",
              "write:prompts",
              "write:reports",
              "write:jobs"};
    case Role::kViewer:
      break;
  }
  return {"read:all"};
}

bool IsWellFormedScope(std::string_view scope) {
  if (scope == "*") return true;
  std::string_view object;
  if (scope.starts_with("read:")) {
    object = scope.substr(5);
  } else if (scope.starts_with("write:")) {
    object = scope.substr(6);
  } else {
    return false;
  }
  return !object.empty() && object.size() <= 64 &&
         std::all_of(object.begin(), object.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '-'; });
}

}  // namespace rapport::accounts
