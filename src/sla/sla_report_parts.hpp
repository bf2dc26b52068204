// Private to the SLA report (sla_report.cpp): the site rows it computes, the groups and error
// budgets built from them, the maintenance windows applied per site, and the
// "sla.budget.exhausted" event.
#pragma once

#include <rapport/sla/maintenance_window_service.hpp>
#include <rapport/sla/sla_report.hpp>
#include <rapport/sla/uptime.hpp>

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <vector>

namespace rapport::sla_report {

struct SiteRow {
  const Site* site;
  SiteUptime uptime;
  int64_t maintenance_seconds = 0;  // monitored time the site's maintenance windows removed
  ErrorBudget budget;
};

// Writes the budget's fields (error_budget_seconds, budget_remaining_seconds,
// budget_remaining_percent, burn_rate, budget_exhausted) into `out`.
void AddBudget(boost::json::object& out, const ErrorBudget& budget);

// One row per `grouping_rules` entry and tag value: the aggregated uptime and the pooled budget.
boost::json::array GroupRows(const SlaScheduleSpec& spec, const std::vector<SiteRow>& rows);

// The report's pooled budget over all rows, and the counts of exhausted sites and groups.
boost::json::object BudgetTotals(const std::vector<SiteRow>& rows,
                                 const boost::json::array& groups);

// The "sla.budget.exhausted" event of a report `full` (its JSON) where a site or a
// group has no budget left; nullopt otherwise.
std::optional<Event> BudgetExhaustedEvent(const SlaReportRequest& request,
                                          const boost::json::object& full, UnixMs now);

// Each site's monitored time: the report's (window, or its business hours) minus the
// maintenance windows covering the site. Sites covered by the same windows share one list.
class SiteMonitoring {
 public:
  // `windows`: the tenant's; `base`: the report's monitored time inside `window`.
  static Result<SiteMonitoring> Build(std::vector<MaintenanceWindow> windows,
                                      const Interval& window, const std::vector<Interval>& base);

  // The monitored time of `site`; valid as long as this object. Not thread-safe.
  const std::vector<Interval>& For(const Site& site);
  const std::vector<Interval>& base() const { return base_; }
  UnixMs base_ms() const { return base_ms_; }
  // The windows that removed time from at least one site asked about, oldest first.
  boost::json::array AppliedToJson() const;

 private:
  struct Applied {
    MaintenanceWindow window;
    MaintenanceSpec spec;
    std::vector<Interval> within;  // inside the report's monitored time
    int64_t site_count = 0;
  };
  std::vector<Interval> base_;
  UnixMs base_ms_ = 0;
  std::vector<Applied> windows_;
  std::map<std::vector<size_t>, std::vector<Interval>> by_cover_;
};

}  // namespace rapport::sla_report
