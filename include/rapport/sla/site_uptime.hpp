// Live uptime of a tenant's sites over a window (the console's Overview: "uptime this month by
// group and site"), with the uptime engine of rapport/sla/uptime.hpp: faults of type `site`,
// around the clock, no schedule's business hours or rules. Cost: one scan of the sites and
// one fault query per 500 sites; no report is stored.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/sla/uptime.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rapport {

struct UptimeSummaryRequest {
  std::optional<UnixMs> from;           // default: the first instant of this month (UTC)
  std::optional<UnixMs> to;             // default and cap: now
  std::optional<std::string> group_by;  // a tag key
  int lowest = 10;                      // how many sites, lowest uptime first
  double target = 99.9;                 // sites below it are counted (percent)
};

struct SiteUptimeRow {
  Site site;
  SiteUptime uptime;
  int64_t open_faults = 0;  // unresolved `site` faults active in the window
};

struct UptimeGroup {
  std::optional<std::string> value;  // nullopt: sites without the tag
  int64_t site_count = 0;
  double uptime_percentage = 100.0;  // the mean of its sites
};

struct UptimeSummary {
  Interval window;
  int64_t site_count = 0;
  std::optional<double> uptime_percentage;  // the mean of all sites; nullopt without sites
  int64_t open_fault_count = 0;
  double target = 99.9;
  int64_t below_target_count = 0;
  std::optional<std::string> group_by;
  std::vector<UptimeGroup> groups;    // lowest uptime first
  std::vector<SiteUptimeRow> lowest;  // lowest uptime first, then name
};

class SiteUptimeService {
 public:
  SiteUptimeService(SiteStore& sites, FaultStore& faults, const Clock& clock)
      : sites_(sites), faults_(faults), clock_(clock) {}

  // kValidation when the window is empty or longer than 366 days.
  Result<UptimeSummary> Summarize(const std::string& tenant_id, UptimeSummaryRequest request) const;

 private:
  SiteStore& sites_;
  FaultStore& faults_;
  const Clock& clock_;
};

boost::json::object UptimeSummaryToJson(const UptimeSummary& summary);

}  // namespace rapport
