// Cadence arithmetic: when a schedule runs and which period each run covers. Pure functions of
// their inputs (no clock, no store); the tz database resolves local times.
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

// The SLA schedules' cadence (seed 002): each flag independent; runs at `hour`:`minute` local time
// in `timezone`. Daily covers the previous day; weekly runs on `day_of_week` (0 = Sunday) and
// covers the 7 days before; monthly runs on `day_of_month` (1..28) and covers the previous
// calendar month.
struct SlaCadence {
  bool daily = false;
  bool weekly = false;
  bool monthly = false;
  int day_of_week = 1;
  int day_of_month = 1;
  std::string timezone = "UTC";
  int hour = 8;
  int minute = 0;
};

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

// The first `count` SLA runs strictly after `after`, in time order. Fails (kValidation) on an
// unknown time zone, no flag set, or a day out of range.
Result<std::vector<PlannedRun>> PreviewSla(const SlaCadence& cadence, UnixMs after, int count);

// The instant of local date-time `local_days`+`hour`:`minute` in `timezone` under the DST policy
// above. `local_days` counts days since 1970-01-01.
Result<UnixMs> ResolveLocalTime(const std::string& timezone, int64_t local_days, int hour,
                                int minute);

}  // namespace rapport
