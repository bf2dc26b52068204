// How report numbers, durations and instants are written for people (PDF, CLI). The JSON report
// keeps raw values; these functions are the one place that turns them into text, so a number in
// a PDF is always the JSON's number under the same rounding rule.
#pragma once

#include <rapport/core/time.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rapport {

// `value` rounded half away from zero to `decimals` places (the rule RoundPercent uses for
// three), written with exactly that many decimals: FormatNumber(99.5, 3) == "99.500".
std::string FormatNumber(double value, int decimals);

// An SLA percentage as reports show it: FormatNumber(value, 3).
std::string FormatPercent(double value);

// A duration in seconds as "h:mm", rounded to the nearest minute (half up); hours are not
// wrapped at 24: 90061 s -> "25:01", 29 s -> "0:00", 30 s -> "0:01".
std::string FormatHoursMinutes(int64_t seconds);

// An integer with comma thousands separators: 1234567 -> "1,234,567".
std::string FormatCount(int64_t value);

// The instant as local "YYYY-MM-DD HH:MM" in the IANA `timezone`; in UTC when the zone is
// unknown.
std::string FormatLocalMinute(UnixMs instant, std::string_view timezone);

}  // namespace rapport
