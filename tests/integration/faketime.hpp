// libfaketime for the integration tests that move rapportd's clock (clock_test, retention_test).
#pragma once

#include <filesystem>
#include <string>

namespace rapport::testing {

// Debian's faketime package (scripts/setup.sh installs it); empty when missing.
inline std::string FaketimeLibrary() {
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"}) {
    std::filesystem::path lib = std::filesystem::path(dir) / "faketime" / "libfaketimeMT.so.1";
    if (std::filesystem::exists(lib)) return lib.string();
  }
  return "";
}

// libfaketime cannot be preloaded into a sanitized rapportd: those tests skip.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
inline constexpr bool kSanitized = __has_feature(address_sanitizer);
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace rapport::testing
