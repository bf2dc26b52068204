// `rapport demo`: loads a small realistic data set through the public API. Idempotent: items
// whose name already exists are skipped.
#pragma once

#include "output.hpp"

#include <boost/json/array.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rapport::cli {

int LoadDemo(Session& session);

struct DemoSite {
  std::string id;
  std::string region;  // tag "region": emea, amer, apac
  std::string tier;    // tag "tier": gold, silver, bronze
};

// The demo's faults over the kDemoFaultDays days before `today_days` (days since the epoch,
// UTC), deterministic: background faults more frequent on lower tiers and in working hours,
// mostly minutes long, a few hours; planned maintenance on gold sites every Sunday 02:00 UTC;
// two regional incidents hitting every site of a region at once (amer 41 days ago, apac 12);
// WAN-tunnel faults (never downtime); and one fault still open on the last bronze site.
constexpr int64_t kDemoFaultDays = 90;
boost::json::array DemoFaults(const std::vector<DemoSite>& sites, int64_t today_days);

}  // namespace rapport::cli
