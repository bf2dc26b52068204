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

// The clock job leases are set from and compared with: the wall clock when the process started,
// advanced by CLOCK_MONOTONIC, so a step of the wall clock (an operator's `date`, an NTP step, a
// VM resumed) does not make a running job's lease look expired or stretch a dead worker's. After
// a step it slews toward the wall clock, at most SlewedTime::kMaxSlewPercent faster or slower,
// so nodes whose wall clocks are right agree again; it never goes back. Process-wide.
const Clock& LeaseClock();

// The arithmetic behind LeaseClock, fed its readings so tests control them. Microseconds.
// Not thread-safe (LeaseClock serializes calls).
class SlewedTime {
 public:
  static constexpr int64_t kMaxSlewPercent = 10;

  SlewedTime(int64_t monotonic_us, int64_t wall_us);
  // Advances by the monotonic time elapsed since the last call, corrected toward `wall_us` by at
  // most kMaxSlewPercent of it. A monotonic reading older than the last is treated as no time.
  int64_t Advance(int64_t monotonic_us, int64_t wall_us);

 private:
  int64_t last_monotonic_us_;
  int64_t now_us_;
};

// "2026-11-24T10:46:45.123Z" (UTC, millisecond precision).
std::string FormatRfc3339(UnixMs ms);
// Accepts RFC 3339 date-times with 'Z' or a numeric offset and optional fractions.
std::optional<UnixMs> ParseRfc3339(std::string_view text);
// True when `name` is an IANA time zone known to the tz database on this machine.
bool IsKnownTimeZone(std::string_view name);

}  // namespace rapport
