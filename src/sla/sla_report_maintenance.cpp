// SiteMonitoring: the maintenance windows an SLA report applies, per site.
#include "sla_report_parts.hpp"

#include <rapport/core/time.hpp>

namespace rapport::sla_report {

namespace json = boost::json;

Result<SiteMonitoring> SiteMonitoring::Build(std::vector<MaintenanceWindow> windows,
                                             const Interval& window,
                                             const std::vector<Interval>& base) {
  SiteMonitoring out;
  out.base_ = base;
  out.base_ms_ = TotalMs(base);
  for (auto& w : windows) {
    MaintenanceSpec spec = SpecOf(w);
    RAPPORT_TRY(std::vector<Interval> within, MaintenanceWithin(window, spec));
    within = IntersectIntervals(within, base);
    if (within.empty()) continue;
    out.windows_.push_back({std::move(w), std::move(spec), std::move(within), 0});
  }
  return out;
}

const std::vector<Interval>& SiteMonitoring::For(const Site& site) {
  std::vector<size_t> cover;
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (MaintenanceCovers(windows_[i].spec, site.id, site.tags)) {
      cover.push_back(i);
      ++windows_[i].site_count;
    }
  }
  if (cover.empty()) return base_;
  auto it = by_cover_.find(cover);
  if (it != by_cover_.end()) return it->second;
  std::vector<Interval> planned;
  for (size_t i : cover) {
    planned.insert(planned.end(), windows_[i].within.begin(), windows_[i].within.end());
  }
  std::vector<Interval> monitored = SubtractIntervals(base_, MergeIntervals(std::move(planned)));
  return by_cover_.emplace(std::move(cover), std::move(monitored)).first->second;
}

json::array SiteMonitoring::AppliedToJson() const {
  json::array out;
  for (const auto& a : windows_) {
    if (a.site_count == 0) continue;
    json::value parsed = json::parse(a.window.definition);
    const json::object& def = parsed.as_object();
    out.push_back(json::object{{"id", a.window.id},
                               {"name", a.window.name},
                               {"type", def.at("type")},
                               {"timezone", def.at("timezone")},
                               {"site_count", a.site_count},
                               {"maintenance_seconds", TotalMs(a.within) / 1000},
                               {"first_start", FormatRfc3339(a.within.front().start)},
                               {"last_end", FormatRfc3339(a.within.back().end)}});
  }
  return out;
}

}  // namespace rapport::sla_report
