// Wall-clock access behind an interface, and the RFC 3339 / time-zone helpers every module uses.
// Instants are milliseconds since the Unix epoch (UTC) throughout Rapport.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapport {

using UnixMs = int64_t;

// Source of "now". Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMs NowMs() const = 0;
};

// The system clock. Returns a process-wide instance.
const Clock& SystemClock();

// "2026-11-24T10:46:45.123Z" (UTC, millisecond precision).
std::string FormatRfc3339(UnixMs ms);
// Accepts RFC 3339 date-times with 'Z' or a numeric offset and optional fractions.
std::optional<UnixMs> ParseRfc3339(std::string_view text);
// True when `name` is an IANA time zone known to the tz database on this machine.
bool IsKnownTimeZone(std::string_view name);

}  // namespace rapport
