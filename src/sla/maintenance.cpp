#include <rapport/sla/maintenance.hpp>

#include <rapport/schedule/cadence.hpp>

#include <date/date.h>

#include <algorithm>

namespace rapport {
namespace {

constexpr UnixMs kDayMs = 86'400'000;
constexpr UnixMs kMinuteMs = 60'000;

Result<std::vector<Interval>> WeeklyWithin(const Interval& window, const MaintenanceSpec& spec) {
  std::vector<Interval> out;
  // Occurrences may start up to a week before the window (a week-long window) and a day of
  // margin covers the zone's offset.
  int64_t first = (window.start - spec.duration_minutes * kMinuteMs) / kDayMs - 2;
  int64_t last = window.end / kDayMs + 1;
  for (int64_t day = first; day <= last; ++day) {
    int weekday = static_cast<int>(date::weekday{date::sys_days{date::days{day}}}.c_encoding());
    if (std::find(spec.days.begin(), spec.days.end(), weekday) == spec.days.end()) continue;
    RAPPORT_TRY(UnixMs start, ResolveLocalTime(spec.timezone, day, spec.start_minute / 60,
                                               spec.start_minute % 60));
    out.push_back({start, start + spec.duration_minutes * kMinuteMs});
  }
  return IntersectIntervals(MergeIntervals(std::move(out)), {window});
}

}  // namespace

Result<std::vector<Interval>> MaintenanceWithin(const Interval& window,
                                                const MaintenanceSpec& spec) {
  if (spec.weekly) return WeeklyWithin(window, spec);
  return IntersectIntervals(MergeIntervals({{spec.starts_at, spec.ends_at}}), {window});
}

bool MaintenanceCovers(const MaintenanceSpec& spec, const std::string& site_id,
                       const std::map<std::string, std::string>& tags) {
  if (!spec.site_ids.empty()) {
    return std::find(spec.site_ids.begin(), spec.site_ids.end(), site_id) != spec.site_ids.end();
  }
  if (spec.tags.empty()) return false;
  for (const auto& [key, value] : spec.tags) {
    auto it = tags.find(key);
    if (it == tags.end() || it->second != value) return false;
  }
  return true;
}

std::vector<Interval> SubtractIntervals(const std::vector<Interval>& a,
                                        const std::vector<Interval>& b) {
  std::vector<Interval> out;
  size_t j = 0;
  for (const auto& piece : a) {
    UnixMs cursor = piece.start;
    while (j < b.size() && b[j].end <= cursor) ++j;
    for (size_t k = j; k < b.size() && b[k].start < piece.end; ++k) {
      if (b[k].start > cursor) out.push_back({cursor, b[k].start});
      cursor = std::max(cursor, b[k].end);
    }
    if (cursor < piece.end) out.push_back({cursor, piece.end});
  }
  return out;
}

UnixMs TotalMs(const std::vector<Interval>& intervals) {
  UnixMs total = 0;
  for (const auto& i : intervals) total += i.end - i.start;
  return total;
}

}  // namespace rapport
