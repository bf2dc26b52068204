// The SLA schedules' cadence (seed 002) and its planned runs, on the generic cadence arithmetic
// of rapport/schedule/cadence.hpp (its DST policy applies). Pure functions of their inputs.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/schedule/cadence.hpp>

#include <string>
#include <vector>

namespace rapport {

// Each flag independent; runs at `hour`:`minute` local time in `timezone`. Daily covers the
// previous day; weekly runs on `day_of_week` (0 = Sunday) and covers the 7 days before; monthly
// runs on `day_of_month` (1..28) and covers the previous calendar month.
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

// The first `count` SLA runs strictly after `after`, in time order. Fails (kValidation) on an
// unknown time zone, no flag set, or a day out of range.
Result<std::vector<PlannedRun>> PreviewSla(const SlaCadence& cadence, UnixMs after, int count);

}  // namespace rapport
