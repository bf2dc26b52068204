// FaultStore::ScanFaultsInWindow on both backends: the faults FaultsInWindow returns (of the
// tenant, the type and the sites, active in the window), streamed site after site in the order of
// the site ids with the index of each fault's site, and only their id, cause and times.
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace rapport {
namespace {

using storetest::BackendName;
using storetest::Backends;

Fault MakeFault(std::string id, std::string tenant, std::string site, std::string type,
                UnixMs start, std::optional<UnixMs> end, std::string cause = "Link down") {
  Fault f;
  f.id = std::move(id);
  f.tenant_id = std::move(tenant);
  f.resource_id = std::move(site);
  f.type = std::move(type);
  f.severity = "HIGH";
  f.cause = std::move(cause);
  f.created_at = start;
  f.resolved_at = end;
  return f;
}

class FaultScanConformance : public storetest::BackendStoreTest {
 protected:
  void SetUp() override {
    BackendStoreTest::SetUp();
    ASSERT_TRUE(store_
                    ->InsertFaults({
                        MakeFault("flt_a1", "t1", "site_a", "site", 100, 200),
                        MakeFault("flt_a2", "t1", "site_a", "site", 150, std::nullopt, "Power"),
                        MakeFault("flt_a3", "t1", "site_a", "site", 10, 50),      // ended before
                        MakeFault("flt_a4", "t1", "site_a", "site", 1000, 1100),  // starts after
                        MakeFault("flt_a5", "t1", "site_a", "wantunnel", 100, 200),
                        MakeFault("flt_b1", "t1", "site_b", "site", 90, 120),
                        MakeFault("flt_c1", "t1", "site_c", "site", 100, 200),  // not asked
                        MakeFault("flt_x1", "t2", "site_a", "site", 100, 200),  // other tenant
                    })
                    .ok());
  }

  // (site index, id, cause, start, end) of every fault the scan visits, in visiting order.
  using Seen = std::tuple<size_t, std::string, std::string, UnixMs, std::optional<UnixMs>>;
  std::vector<Seen> Scan(const std::vector<std::string>& sites) {
    std::vector<Seen> seen;
    auto status = store_->ScanFaultsInWindow(
        "t1", sites, "site", 100, 1000, [&](size_t site, const FaultInWindow& f) {
          seen.emplace_back(site, f.id, f.cause, f.created_at, f.resolved_at);
        });
    EXPECT_TRUE(status.ok());
    return seen;
  }
};

TEST_P(FaultScanConformance, VisitsTheWindowsFaultsSiteAfterSiteWithTheSiteIndex) {
  auto seen = Scan({"site_b", "site_a", "site_none"});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], Seen(0, "flt_b1", "Link down", 90, 120));
  std::vector<Seen> a(seen.begin() + 1, seen.end());
  std::sort(a.begin(), a.end());
  EXPECT_EQ(a[0], Seen(1, "flt_a1", "Link down", 100, 200));
  EXPECT_EQ(a[1], Seen(1, "flt_a2", "Power", 150, std::nullopt));
}

TEST_P(FaultScanConformance, VisitsWhatFaultsInWindowReturns) {
  std::vector<std::string> sites{"site_a", "site_b"};
  auto listed = store_->FaultsInWindow("t1", sites, "site", 100, 1000).value();
  std::vector<std::string> listed_ids, scanned_ids;
  for (const auto& f : listed) listed_ids.push_back(f.id);
  for (const auto& s : Scan(sites)) scanned_ids.push_back(std::get<1>(s));
  std::sort(listed_ids.begin(), listed_ids.end());
  std::sort(scanned_ids.begin(), scanned_ids.end());
  EXPECT_EQ(scanned_ids, listed_ids);
}

TEST_P(FaultScanConformance, NoSitesVisitNothing) { EXPECT_TRUE(Scan({}).empty()); }

INSTANTIATE_TEST_SUITE_P(Backends, FaultScanConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
