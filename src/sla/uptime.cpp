#include <rapport/sla/uptime.hpp>

#include <rapport/schedule/cadence.hpp>

#include <date/date.h>

#include <algorithm>
#include <cmath>

namespace rapport {

std::vector<Interval> MergeIntervals(std::vector<Interval> intervals) {
  std::erase_if(intervals, [](const Interval& i) { return i.end <= i.start; });
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> merged;
  for (const auto& i : intervals) {
    if (!merged.empty() && i.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

std::vector<Interval> IntersectIntervals(const std::vector<Interval>& a,
                                         const std::vector<Interval>& b) {
  std::vector<Interval> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    UnixMs start = std::max(a[i].start, b[j].start);
    UnixMs end = std::min(a[i].end, b[j].end);
    if (start < end) out.push_back({start, end});
    if (a[i].end < b[j].end) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

namespace {

// True when `span` overlaps the merged list `monitored` (binary search: called once per fault).
bool Overlaps(const Interval& span, const std::vector<Interval>& monitored) {
  auto it = std::upper_bound(monitored.begin(), monitored.end(), span.start,
                             [](UnixMs t, const Interval& m) { return t < m.end; });
  return it != monitored.end() && it->start < span.end && span.start < span.end;
}

}  // namespace

double RoundPercent(double value) { return std::round(value * 1000.0) / 1000.0; }

bool CountsAsDowntime(const FaultSpan& f, const UptimeRules& rules) {
  return f.type == "site" && !(rules.ignore_power_outages && f.cause == "Power Outage");
}

UnixMs MonitoredOverlap(const Interval& span, const std::vector<Interval>& monitored) {
  UnixMs counted = 0;
  auto it = std::upper_bound(monitored.begin(), monitored.end(), span.start,
                             [](UnixMs t, const Interval& m) { return t < m.end; });
  for (; it != monitored.end() && it->start < span.end; ++it) {
    counted += std::min(it->end, span.end) - std::max(it->start, span.start);
  }
  return counted;
}

SiteUptime ComputeSiteUptime(const std::vector<FaultSpan>& faults,
                             const std::vector<Interval>& monitored, UnixMs window_end, UnixMs now,
                             const UptimeRules& rules, std::vector<Interval>* downtime) {
  SiteUptime out;
  UnixMs monitored_ms = 0;
  for (const auto& m : monitored) monitored_ms += m.end - m.start;
  std::vector<Interval> spans;
  spans.reserve(faults.size());
  for (const auto& f : faults) {
    if (!CountsAsDowntime(f, rules)) continue;
    UnixMs end = f.end ? *f.end : std::min(window_end, now);
    Interval span{f.start, end};
    if (Overlaps(span, monitored)) ++out.fault_count;
    spans.push_back(span);
  }
  // An outage is one stretch of the merged fault union; only its monitored part counts, so a
  // stretch split by closed business hours is still one outage.
  UnixMs down_ms = 0, longest_ms = 0;
  int64_t outages = 0;
  std::vector<Interval> merged = MergeIntervals(std::move(spans));
  for (const auto& stretch : merged) {
    UnixMs counted = MonitoredOverlap(stretch, monitored);
    if (counted <= 0) continue;
    ++outages;
    down_ms += counted;
    longest_ms = std::max(longest_ms, counted);
  }
  if (downtime != nullptr) *downtime = IntersectIntervals(merged, monitored);
  out.monitored_seconds = monitored_ms / 1000;
  out.downtime_seconds = down_ms / 1000;
  out.longest_outage_seconds = longest_ms / 1000;
  out.mttr_seconds = outages == 0 ? 0 : down_ms / outages / 1000;
  out.uptime_percentage = monitored_ms == 0
                              ? 100.0
                              : RoundPercent(100.0 * static_cast<double>(monitored_ms - down_ms) /
                                             static_cast<double>(monitored_ms));
  out.breached = out.uptime_percentage < rules.sla_target;
  return out;
}

ErrorBudget BudgetOf(int64_t error_budget_seconds, int64_t downtime_seconds) {
  ErrorBudget out;
  out.error_budget_seconds = error_budget_seconds;
  out.budget_remaining_seconds = error_budget_seconds - downtime_seconds;
  if (error_budget_seconds > 0) {
    auto budget = static_cast<double>(error_budget_seconds);
    out.budget_remaining_percent =
        RoundPercent(100.0 * static_cast<double>(out.budget_remaining_seconds) / budget);
    out.burn_rate = RoundPercent(static_cast<double>(downtime_seconds) / budget);
  }
  out.exhausted = downtime_seconds > 0 && downtime_seconds >= error_budget_seconds;
  return out;
}

ErrorBudget ComputeErrorBudget(int64_t monitored_seconds, int64_t downtime_seconds,
                               double sla_target) {
  double allowed = static_cast<double>(monitored_seconds) * (100.0 - sla_target) / 100.0;
  return BudgetOf(std::llround(allowed), downtime_seconds);
}

std::optional<int64_t> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  y = std::stoi(std::string(text.substr(0, 4)));
  m = std::stoi(std::string(text.substr(5, 2)));
  d = std::stoi(std::string(text.substr(8, 2)));
  date::year_month_day ymd{date::year{y}, date::month(unsigned(m)), date::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd}.time_since_epoch().count();
}

Result<Interval> ReportWindow(const std::string& from_date, const std::string& to_date,
                              const std::string& timezone) {
  auto from = ParseDate(from_date);
  auto to = ParseDate(to_date);
  if (!from || !to) return Error(ErrorCode::kValidation, "dates must be YYYY-MM-DD");
  RAPPORT_TRY(UnixMs start, ResolveLocalTime(timezone, *from, 0, 0));
  RAPPORT_TRY(UnixMs end, ResolveLocalTime(timezone, *to + 1, 0, 0));
  return Interval{start, end};
}

Result<std::vector<Interval>> BusinessHoursWithin(const Interval& window,
                                                  const std::vector<OpeningHours>& hours,
                                                  const std::string& timezone) {
  std::vector<Interval> open;
  // Local days covering the window, with a day of margin each side for offsets and midnight spans.
  int64_t first = window.start / 86'400'000 - 2;
  int64_t last = window.end / 86'400'000 + 1;
  for (int64_t day = first; day <= last; ++day) {
    unsigned weekday = date::weekday{date::sys_days{date::days{day}}}.c_encoding();
    for (const auto& h : hours) {
      if (static_cast<unsigned>(h.day) != weekday) continue;
      int64_t end_day = h.end_minute <= h.start_minute ? day + 1 : day;
      RAPPORT_TRY(UnixMs start,
                  ResolveLocalTime(timezone, day, h.start_minute / 60, h.start_minute % 60));
      RAPPORT_TRY(UnixMs end,
                  ResolveLocalTime(timezone, end_day, h.end_minute / 60, h.end_minute % 60));
      open.push_back({start, end});
    }
  }
  return IntersectIntervals(MergeIntervals(std::move(open)), {window});
}

}  // namespace rapport
