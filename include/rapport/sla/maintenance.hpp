// Maintenance windows as the uptime engine sees them (README "Uptime"): planned time that is not
// monitored, so a fault inside it costs nothing, as Zabbix excludes planned downtime. Pure
// functions; the tz database resolves weekly windows' local start times.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/sla/uptime.hpp>

#include <map>
#include <string>
#include <vector>

namespace rapport {

// One maintenance window: one-off [starts_at, ends_at), or weekly: on each of `days` (0 =
// Sunday) at local `start_minute` in `timezone`, lasting `duration_minutes` of real time. It
// covers the sites in `site_ids`, or, when that is empty, every site carrying all of `tags`.
struct MaintenanceSpec {
  bool weekly = false;
  std::string timezone = "UTC";
  UnixMs starts_at = 0;
  UnixMs ends_at = 0;
  std::vector<int> days;
  int start_minute = 0;
  int64_t duration_minutes = 0;
  std::vector<std::string> site_ids;
  std::map<std::string, std::string> tags;
};

// The longest weekly window: a whole week.
inline constexpr int64_t kMaxMaintenanceMinutes = 7 * 24 * 60;

// The window's time inside `window`, merged. A weekly occurrence starts at its local start time
// under the cadence DST policy (a start in a spring-forward gap begins at the transition; in a
// fall-back fold, at its first occurrence) and lasts its duration in real time.
Result<std::vector<Interval>> MaintenanceWithin(const Interval& window,
                                                const MaintenanceSpec& spec);

// Whether the window covers the site with `site_id` and `tags`.
bool MaintenanceCovers(const MaintenanceSpec& spec, const std::string& site_id,
                       const std::map<std::string, std::string>& tags);

// The parts of merged `a` outside merged `b`, merged.
std::vector<Interval> SubtractIntervals(const std::vector<Interval>& a,
                                        const std::vector<Interval>& b);

// Milliseconds covered by a merged list.
UnixMs TotalMs(const std::vector<Interval>& intervals);

}  // namespace rapport
