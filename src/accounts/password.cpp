#include <rapport/accounts/password.hpp>

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace rapport::accounts {
namespace {

// Argon2id, 2 passes over 32 MiB: ~40-60 ms a hash here (libsodium's "interactive" profile
// halved in memory, so two logins at once stay within 64 MiB on a small node).
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 32u * 1024 * 1024;

void InitSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no usable RNG: nothing safe can be done
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  InitSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("crypto_pwhash_str failed (out of memory)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  InitSodium();
  std::string hash(encoded);  // libsodium wants it NUL-terminated
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view encoded) {
  InitSodium();
  std::string hash(encoded);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

void VerifyDummyPassword(std::string_view password) {
  static const std::string dummy = [] {
    auto hash = HashPassword("rapport-dummy-password");
    return hash.ok() ? *hash : std::string();
  }();
  (void)VerifyPassword(dummy, password);
}

std::string GeneratePassword() {
  InitSodium();
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return out;
}

Status CheckPasswordRules(std::string_view password) {
  if (password.size() < 8 || password.size() > 256) {
    return Error::FromProblems(
        ErrorCode::kBodyValidation,
        {{"body.password", "must have 8 to 256 characters", "string_length"}});
  }
  return Ok{};
}

}  // namespace rapport::accounts
