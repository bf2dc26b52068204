#include <rapport/accounts/accounts.hpp>

#include <array>

namespace rapport::accounts {
namespace {

constexpr std::array kSpecs = {
    ErrorSpec{"csrf_token_invalid", 403, "permission_error",
              "This request is made with a session cookie and needs the session's CSRF token in "
              "the X-CSRF-Token header"},
};

}  // namespace

const ErrorSpec& CsrfTokenInvalid() { return kSpecs[0]; }
std::span<const ErrorSpec> AccountErrorSpecs() { return kSpecs; }

}  // namespace rapport::accounts
