// Resource identifiers: a type prefix, '_' and 27 base62 characters that sort by creation time
// (48-bit milliseconds, a 16-bit per-process sequence, 96 random bits from PooledRandom).
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rapport {

constexpr size_t kIdBodyLength = 27;

// New id such as "site_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7". `prefix` is without the underscore.
std::string NewId(std::string_view prefix);
// Same, with an explicit time (milliseconds since the epoch); for tests and migrations.
std::string NewIdAt(std::string_view prefix, int64_t unix_ms);
// True when `id` is `prefix` + '_' + 27 base62 characters.
bool IsValidId(std::string_view id, std::string_view prefix);

// A random RFC 4122 version-4 UUID in canonical lower-case form.
std::string NewUuidV4();
// True for a canonical 8-4-4-4-12 hexadecimal UUID (any version).
bool IsValidUuid(std::string_view text);

// Fills `out` with cryptographically secure random bytes; aborts if the system RNG fails.
void SecureRandom(void* out, size_t size);

}  // namespace rapport
