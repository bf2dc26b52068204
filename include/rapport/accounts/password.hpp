// Password hashing for console users: Argon2id through libsodium's crypto_pwhash_str, with
// limits that keep one verification near 50 ms on this project's 2-core reference machine.
// Thread-safe.
#pragma once

#include <rapport/core/result.hpp>

#include <string>
#include <string_view>

namespace rapport::accounts {

// The encoded hash ("$argon2id$v=19$m=…") of `password`; kInternal when libsodium cannot
// allocate its memory.
Result<std::string> HashPassword(std::string_view password);
// Whether `password` matches `encoded` (false for a malformed hash too).
bool VerifyPassword(std::string_view encoded, std::string_view password);
// Whether `encoded` was made with other limits than HashPassword's current ones.
bool PasswordNeedsRehash(std::string_view encoded);
// Spends about the time of a VerifyPassword, for a login whose e-mail is unknown.
void VerifyDummyPassword(std::string_view password);
// A random password of 20 characters from an unambiguous alphabet (~115 bits).
std::string GeneratePassword();
// kValidation unless `password` has 8 to 256 bytes.
Status CheckPasswordRules(std::string_view password);

}  // namespace rapport::accounts
