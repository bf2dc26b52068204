#include "demo.hpp"

#include <rapport/core/time.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>
#include <set>

namespace rapport::cli {
namespace {

const std::vector<DemoSite> kSites = {{"site_a", "emea", "gold"},
                                      {"site_b", "amer", "silver"},
                                      {"site_c", "amer", "bronze"},
                                      {"site_d", "apac", "gold"},
                                      {"site_e", "apac", "bronze"}};
constexpr int64_t kToday = 20'787;  // 2026-11-30

TEST(DemoFaults, NinetyDaysWithMaintenanceIncidentsAndOneOpenFault) {
  boost::json::array faults = DemoFaults(kSites, kToday);
  EXPECT_EQ(faults, DemoFaults(kSites, kToday));  // deterministic
  int64_t first = (kToday - kDemoFaultDays) * 86'400'000, end = kToday * 86'400'000;
  std::map<std::string, int> per_site;
  int maintenance = 0, open = 0, long_ones = 0;
  for (const auto& v : faults) {
    const auto& f = v.as_object();
    UnixMs created = ParseRfc3339(f.at("created_at").as_string()).value();
    EXPECT_GE(created, first);
    EXPECT_LT(created, end);
    std::string cause(f.at("cause").as_string());
    if (cause == "Planned maintenance") {
      ++maintenance;
      EXPECT_EQ(FormatRfc3339(created).substr(11, 5), "02:00");
    } else {
      ++per_site[std::string(f.at("resource_id").as_string())];
    }
    if (!f.contains("resolved_at")) {
      ++open;
      EXPECT_EQ(f.at("resource_id"), "site_e");
      continue;
    }
    UnixMs resolved = ParseRfc3339(f.at("resolved_at").as_string()).value();
    EXPECT_GT(resolved, created);
    if (resolved - created > 3'600'000) ++long_ones;
  }
  EXPECT_EQ(open, 1);
  EXPECT_EQ(maintenance, 2 * 13);  // two gold sites, 13 Sundays in 90 days
  EXPECT_GE(long_ones, 3);         // the incidents and a few long background faults
  // Lower tiers fail more often (unplanned faults).
  EXPECT_LT(per_site["site_a"], per_site["site_c"]);
  EXPECT_EQ(per_site.size(), kSites.size());
}

TEST(DemoFaults, ARegionalIncidentHitsEverySiteOfItsRegionAtOnce) {
  std::map<std::string, std::set<std::string>> sites_by_start;
  for (const auto& v : DemoFaults(kSites, kToday)) {
    const auto& f = v.as_object();
    if (f.at("cause") != "Submarine cable fault") continue;
    sites_by_start[std::string(f.at("created_at").as_string())].insert(
        std::string(f.at("resource_id").as_string()));
  }
  ASSERT_EQ(sites_by_start.size(), 1u);
  EXPECT_EQ(sites_by_start.begin()->second, (std::set<std::string>{"site_d", "site_e"}));
}

}  // namespace
}  // namespace rapport::cli
