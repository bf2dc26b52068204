#include <rapport/schedule/cadence.hpp>

#include <array>

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace rapport {
namespace {

using date::days;
using date::sys_days;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int64_t kMsPerDay = 86'400'000;

// Writes `value` (>= 0) as `width` digits at `out` (snprintf costs more than a schedule's SQL).
char* PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
  return out + width;
}

std::string DateString(date::year_month_day ymd) {
  int year = int(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", year, unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return buf;
  }
  char buf[10];
  char* p = PutDigits(buf, year, 4);
  *p++ = '-';
  p = PutDigits(p, unsigned(ymd.month()), 2);
  *p++ = '-';
  PutDigits(p, unsigned(ymd.day()), 2);
  return std::string(buf, sizeof(buf));
}

// "YYYY-MM-DDTHH:MM:SS±HH:MM" for `utc_ms` shown in `zone`.
std::string FormatLocal(const date::time_zone* zone, UnixMs utc_ms) {
  date::sys_time<milliseconds> tp{milliseconds{utc_ms}};
  auto info = zone->get_info(tp);
  int64_t offset_s = info.offset.count();
  int64_t local_ms = utc_ms + offset_s * 1000;
  int64_t d = FloorDays(local_ms);
  int64_t in_day = (local_ms - d * kMsPerDay) / 1000;
  int64_t abs_off = offset_s < 0 ? -offset_s : offset_s;
  std::string out = DateOfDays(d);
  char buf[15];
  char* p = buf;
  *p++ = 'T';
  p = PutDigits(p, in_day / 3600, 2);
  *p++ = ':';
  p = PutDigits(p, in_day / 60 % 60, 2);
  *p++ = ':';
  p = PutDigits(p, in_day % 60, 2);
  *p++ = offset_s < 0 ? '-' : '+';
  p = PutDigits(p, abs_off / 3600 % 100, 2);
  *p++ = ':';
  PutDigits(p, abs_off / 60 % 60, 2);
  return out.append(buf, sizeof(buf));
}

// The zone named `name`, or null. A schedule's runs convert many times in one zone, so the last
// zone found on this thread is kept (zones live as long as the process's tz database).
const date::time_zone* FindZone(const std::string& name) {
  thread_local std::string last_name;
  thread_local const date::time_zone* last_zone = nullptr;
  if (last_zone != nullptr && name == last_name) return last_zone;
  try {
    const date::time_zone* zone = date::locate_zone(name);
    last_name = name;
    last_zone = zone;
    return zone;
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

int64_t FloorDays(UnixMs ms) { return ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay; }

std::string DateOfDays(int64_t d) { return DateString(date::year_month_day{sys_days{days{d}}}); }

std::optional<Frequency> ParseFrequency(std::string_view text) {
  if (text == "daily") return Frequency::kDaily;
  if (text == "weekly") return Frequency::kWeekly;
  if (text == "monthly") return Frequency::kMonthly;
  return std::nullopt;
}

std::string_view FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kDaily:
      return "daily";
    case Frequency::kWeekly:
      return "weekly";
    case Frequency::kMonthly:
      return "monthly";
  }
  return "daily";
}

UnixMs FrequencyRunAt(Frequency frequency, UnixMs anchor, int64_t k) {
  if (frequency == Frequency::kDaily) return anchor + k * kMsPerDay;
  if (frequency == Frequency::kWeekly) return anchor + k * 7 * kMsPerDay;
  int64_t d = FloorDays(anchor);
  int64_t time_of_day = anchor - d * kMsPerDay;
  date::year_month_day ymd{sys_days{days{d}}};
  auto ym = date::year_month{ymd.year(), ymd.month()} + date::months{k};
  auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
  date::year_month_day target{ym.year(), ym.month(), std::min(ymd.day(), last)};
  return sys_days{target}.time_since_epoch().count() * kMsPerDay + time_of_day;
}

std::vector<PlannedRun> PreviewFrequency(Frequency frequency, UnixMs anchor, int count) {
  std::vector<PlannedRun> runs;
  const date::time_zone* utc = date::locate_zone("UTC");
  for (int k = 0; k < count; ++k) {
    UnixMs at = FrequencyRunAt(frequency, anchor, k);
    UnixMs previous = FrequencyRunAt(frequency, anchor, k - 1);
    runs.push_back({at, FormatLocal(utc, at), DateOfDays(FloorDays(previous)),
                    DateOfDays(FloorDays(at) - 1), std::string(FrequencyName(frequency))});
  }
  return runs;
}

Result<UnixMs> ResolveLocalTime(const std::string& timezone, int64_t local_days, int hour,
                                int minute) {
  const date::time_zone* zone = FindZone(timezone);
  if (!zone) return Error(ErrorCode::kValidation, "unknown time zone '" + timezone + "'");
  date::local_time<seconds> local{seconds{local_days * 86400 + hour * 3600 + minute * 60}};
  auto info = zone->get_info(local);
  seconds utc;
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // a fold: the first occurrence, once
      utc = local.time_since_epoch() - info.first.offset;
      break;
    case date::local_info::nonexistent:  // a gap: the first valid instant after it
    default:
      utc = info.second.begin.time_since_epoch();
      break;
  }
  return static_cast<UnixMs>(utc.count()) * 1000;
}

Result<std::string> LocalRfc3339(const std::string& timezone, UnixMs utc_ms) {
  const date::time_zone* zone = FindZone(timezone);
  if (!zone) return Error(ErrorCode::kValidation, "unknown time zone '" + timezone + "'");
  return FormatLocal(zone, utc_ms);
}

namespace {
constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};
}  // namespace

std::string_view WeekdayName(int day) { return kWeekdays.at(static_cast<size_t>(day)); }

std::optional<int> ParseWeekdayName(std::string_view name) {
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (kWeekdays[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace rapport
