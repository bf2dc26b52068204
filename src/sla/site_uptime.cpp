#include <rapport/sla/site_uptime.hpp>

#include <rapport/core/time.hpp>

#include <date/date.h>
#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr size_t kSitesPerQuery = 500;
constexpr UnixMs kMaxWindowMs = 366LL * 86'400'000;

UnixMs MonthStart(UnixMs now) {
  auto day = date::floor<date::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now)));
  date::year_month_day ymd{day};
  return date::sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count() * 86'400'000LL;
}

double Mean(double sum, int64_t count) {
  return count == 0 ? 100.0 : RoundPercent(sum / static_cast<double>(count));
}

// The rows of sites [begin, end): their faults streamed by site, then the engine per site.
Status AddRows(FaultStore& store, const std::string& tenant_id, const std::vector<Site>& sites,
               size_t begin, size_t end, const Interval& window, UnixMs now,
               std::vector<SiteUptimeRow>& rows) {
  std::vector<std::string> ids;
  for (size_t i = begin; i < end; ++i) ids.push_back(sites[i].id);
  std::vector<std::vector<FaultSpan>> spans(ids.size());
  std::vector<int64_t> open(ids.size(), 0);
  RAPPORT_CHECK(store.ScanFaultsInWindow(
      tenant_id, ids, "site", window.start, window.end, [&](size_t i, const FaultInWindow& f) {
        spans[i].push_back({f.created_at, f.resolved_at, "site", f.cause});
        if (!f.resolved_at) ++open[i];
      }));
  for (size_t i = begin; i < end; ++i) {
    rows.push_back({sites[i], ComputeSiteUptime(spans[i - begin], {window}, window.end, now, {}),
                    open[i - begin]});
  }
  return Ok{};
}

std::vector<UptimeGroup> Groups(const std::vector<SiteUptimeRow>& rows, const std::string& key) {
  std::map<std::optional<std::string>, std::pair<double, int64_t>> sums;
  for (const auto& r : rows) {
    auto tag = r.site.tags.find(key);
    auto& [sum, count] =
        sums[tag == r.site.tags.end() ? std::nullopt : std::optional<std::string>(tag->second)];
    sum += r.uptime.uptime_percentage;
    ++count;
  }
  std::vector<UptimeGroup> groups;
  for (const auto& [value, s] : sums) groups.push_back({value, s.second, Mean(s.first, s.second)});
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return a.uptime_percentage < b.uptime_percentage;
  });
  return groups;
}

}  // namespace

Result<UptimeSummary> SiteUptimeService::Summarize(const std::string& tenant_id,
                                                   UptimeSummaryRequest request) const {
  UnixMs now = clock_.NowMs();
  Interval window{request.from.value_or(MonthStart(now)), std::min(request.to.value_or(now), now)};
  if (window.end <= window.start || window.end - window.start > kMaxWindowMs) {
    return Error(ErrorCode::kValidation,
                 "The window must end after it starts (and before now), and span at most 366 "
                 "days.");
  }
  RAPPORT_TRY(std::vector<Site> sites, sites_.AllSites(tenant_id));
  std::vector<SiteUptimeRow> rows;
  rows.reserve(sites.size());
  for (size_t begin = 0; begin < sites.size(); begin += kSitesPerQuery) {
    size_t end = std::min(sites.size(), begin + kSitesPerQuery);
    RAPPORT_CHECK(AddRows(faults_, tenant_id, sites, begin, end, window, now, rows));
  }
  UptimeSummary summary{
      .window = window, .site_count = static_cast<int64_t>(rows.size()), .target = request.target};
  double sum = 0;
  for (const auto& r : rows) {
    sum += r.uptime.uptime_percentage;
    summary.open_fault_count += r.open_faults;
    if (r.uptime.uptime_percentage < request.target) ++summary.below_target_count;
  }
  if (!rows.empty()) summary.uptime_percentage = Mean(sum, summary.site_count);
  if (request.group_by) summary.groups = Groups(rows, *request.group_by);
  summary.group_by = request.group_by;
  auto lowest = std::min(rows.size(), static_cast<size_t>(std::max(0, request.lowest)));
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(lowest), rows.end(),
                    [](const auto& a, const auto& b) {
                      return a.uptime.uptime_percentage != b.uptime.uptime_percentage
                                 ? a.uptime.uptime_percentage < b.uptime.uptime_percentage
                                 : a.site.name < b.site.name;
                    });
  rows.resize(lowest);
  summary.lowest = std::move(rows);
  return summary;
}

json::object UptimeSummaryToJson(const UptimeSummary& s) {
  json::array groups;
  for (const auto& g : s.groups) {
    groups.push_back({{"value", g.value ? json::value(*g.value) : json::value(nullptr)},
                      {"site_count", g.site_count},
                      {"uptime_percentage", g.uptime_percentage}});
  }
  json::array lowest;
  for (const auto& r : s.lowest) {
    json::object tags;
    for (const auto& [k, v] : r.site.tags) tags[k] = v;
    lowest.push_back({{"site_id", r.site.id},
                      {"site_name", r.site.name},
                      {"tags", std::move(tags)},
                      {"uptime_percentage", r.uptime.uptime_percentage},
                      {"downtime_seconds", r.uptime.downtime_seconds},
                      {"open_fault_count", r.open_faults}});
  }
  return {{"from", FormatRfc3339(s.window.start)},
          {"to", FormatRfc3339(s.window.end)},
          {"site_count", s.site_count},
          {"uptime_percentage",
           s.uptime_percentage ? json::value(*s.uptime_percentage) : json::value(nullptr)},
          {"open_fault_count", s.open_fault_count},
          {"target", s.target},
          {"below_target_count", s.below_target_count},
          {"group_by", s.group_by ? json::value(*s.group_by) : json::value(nullptr)},
          {"groups", std::move(groups)},
          {"lowest", std::move(lowest)}};
}

}  // namespace rapport
