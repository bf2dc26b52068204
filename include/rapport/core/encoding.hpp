// Byte encodings used at the edges: base64url (JWT, cursors), hex, SHA-256.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rapport {

// Unpadded base64url (RFC 4648 §5).
std::string Base64UrlEncode(std::string_view bytes);
// Accepts unpadded or padded input; nullopt on any character outside the alphabet.
std::optional<std::string> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);
// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view bytes);
// Raw 32-byte HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view message);
// Constant-time equality of two byte strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rapport
