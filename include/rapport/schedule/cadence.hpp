// Cadence arithmetic: when a schedule runs and which period each run covers. Pure functions of
// their inputs (no clock, no store); the tz database resolves local times. A kind's own cadence
// (in its module) is built on the helpers below.
//
// DST policy: a local run time that falls in a gap (spring forward) runs at the first valid
// instant after it, i.e. the transition instant; one that falls in a fold (fall back) runs once,
// at its first occurrence.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>

#include <string>
#include <vector>

namespace rapport {

// seed 000's `frequency`.
enum class Frequency { kDaily, kWeekly, kMonthly };

std::optional<Frequency> ParseFrequency(std::string_view text);
std::string_view FrequencyName(Frequency frequency);

// Lower-case English day names, 0 = "sunday" .. 6 = "saturday".
std::string_view WeekdayName(int day);
// The day number of a lower-case day name; nullopt for anything else.
std::optional<int> ParseWeekdayName(std::string_view name);

// One run instant and the inclusive period of dates it reports on.
struct PlannedRun {
  UnixMs run_at = 0;
  std::string local;      // RFC 3339 with the zone's offset at run_at, e.g. "…T08:00:00+01:00"
  std::string from_date;  // YYYY-MM-DD
  std::string to_date;    // YYYY-MM-DD
  std::string cadence;    // "daily", "weekly" or "monthly"
};

// The run `k` periods after `anchor` (k = 0 is the anchor itself): +k days, +7k days, or +k
// calendar months with the anchor's day clamped to each month's end (Jan 31 -> Feb 28/29 ->
// Mar 31). Computed from the anchor, so months never drift.
UnixMs FrequencyRunAt(Frequency frequency, UnixMs anchor, int64_t k);

// The first `count` runs of `frequency` at or after `anchor`, each covering the UTC dates from
// the previous run's date to the day before its own.
std::vector<PlannedRun> PreviewFrequency(Frequency frequency, UnixMs anchor, int count);

// The instant of local date-time `local_days`+`hour`:`minute` in `timezone` under the DST policy
// above. `local_days` counts days since 1970-01-01.
Result<UnixMs> ResolveLocalTime(const std::string& timezone, int64_t local_days, int hour,
                                int minute);

// Days since 1970-01-01 of the day holding `ms` (milliseconds since the epoch, UTC or local),
// rounded down for instants before 1970.
int64_t FloorDays(UnixMs ms);

// "YYYY-MM-DD" of the day `days` days after 1970-01-01.
std::string DateOfDays(int64_t days);

// "YYYY-MM-DDTHH:MM:SS±HH:MM": instant `utc_ms` as local time in `timezone`, with the zone's
// offset at that instant. Fails (kValidation) on an unknown time zone.
Result<std::string> LocalRfc3339(const std::string& timezone, UnixMs utc_ms);

}  // namespace rapport
