// The SLA uptime engine, defined once (README "Uptime"): pure functions over fault intervals.
//
// For one site and a monitored set of time intervals (the report window, or its intersection with
// business hours): downtime is the union of the site's `site` faults (an unresolved fault lasts
// until the window's end or `now`, whichever is first; "Power Outage" faults dropped when asked;
// other fault types never count) intersected with the monitored time.
// uptime = 100 × (monitored − downtime) / monitored, 100 when nothing is monitored.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rapport {

// Half-open [start, end) in Unix milliseconds.
struct Interval {
  UnixMs start = 0;
  UnixMs end = 0;
  bool operator==(const Interval&) const = default;
};

struct FaultSpan {
  UnixMs start = 0;
  std::optional<UnixMs> end;  // nullopt: still unresolved
  std::string type = "site";
  std::string cause;
};

struct UptimeRules {
  bool ignore_power_outages = false;
  double sla_target = 99.9;  // percent
};

struct SiteUptime {
  int64_t monitored_seconds = 0;
  int64_t downtime_seconds = 0;
  int64_t fault_count = 0;             // counted faults that overlap the monitored time
  int64_t longest_outage_seconds = 0;  // longest contiguous downtime
  int64_t mttr_seconds = 0;            // downtime / number of contiguous outages
  double uptime_percentage = 100.0;    // rounded with RoundPercent
  bool breached = false;
};

// Sorts and merges overlapping or touching intervals; drops empty ones.
std::vector<Interval> MergeIntervals(std::vector<Interval> intervals);
// Intersection of two merged interval lists.
std::vector<Interval> IntersectIntervals(const std::vector<Interval>& a,
                                         const std::vector<Interval>& b);

// `monitored` must be merged (sorted, disjoint); `window_end` bounds unresolved faults. When
// `downtime` is given it receives the site's downtime: the merged fault union within `monitored`.
SiteUptime ComputeSiteUptime(const std::vector<FaultSpan>& faults,
                             const std::vector<Interval>& monitored, UnixMs window_end, UnixMs now,
                             const UptimeRules& rules, std::vector<Interval>* downtime = nullptr);

// The error budget (README "Error budgets"): the downtime the target allows over the monitored
// time, what is left of it and how fast it burned.
struct ErrorBudget {
  int64_t error_budget_seconds = 0;                // round(monitored × (100 − target) / 100)
  int64_t budget_remaining_seconds = 0;            // budget − downtime; negative when overspent
  std::optional<double> budget_remaining_percent;  // 100 × remaining / budget; none at budget 0
  std::optional<double> burn_rate;                 // downtime / budget; none at budget 0
  bool exhausted = false;                          // downtime > 0 and downtime >= budget
};

// The budget of `monitored_seconds` with `downtime_seconds` down under `sla_target` percent (for
// a group: the sums of its sites' seconds). Ratios are rounded with RoundPercent.
ErrorBudget ComputeErrorBudget(int64_t monitored_seconds, int64_t downtime_seconds,
                               double sla_target);
// The budget of `error_budget_seconds` with `downtime_seconds` spent (sums over sites).
ErrorBudget BudgetOf(int64_t error_budget_seconds, int64_t downtime_seconds);

// Whether the rules count `fault` as downtime at all (type site, power outages per the rules).
bool CountsAsDowntime(const FaultSpan& fault, const UptimeRules& rules);
// Milliseconds of `span` inside the merged list `monitored`.
UnixMs MonitoredOverlap(const Interval& span, const std::vector<Interval>& monitored);

// The one rounding rule for percentages shown anywhere (JSON and PDF): 3 decimals, half away
// from zero.
double RoundPercent(double value);

// [from_date 00:00, to_date + 1 day 00:00) in `timezone`; dates are YYYY-MM-DD.
Result<Interval> ReportWindow(const std::string& from_date, const std::string& to_date,
                              const std::string& timezone);

// Weekly opening hours: `day` 0 = Sunday; minutes since local midnight; end <= start means the
// period runs past midnight into the next day.
struct OpeningHours {
  int day = 0;
  int start_minute = 0;
  int end_minute = 0;
};

// The parts of `window` inside the weekly `hours` in `timezone`, merged.
Result<std::vector<Interval>> BusinessHoursWithin(const Interval& window,
                                                  const std::vector<OpeningHours>& hours,
                                                  const std::string& timezone);

// Days since 1970-01-01 for a valid "YYYY-MM-DD"; nullopt otherwise.
std::optional<int64_t> ParseDate(std::string_view text);

}  // namespace rapport
