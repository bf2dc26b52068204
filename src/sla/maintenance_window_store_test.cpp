// MaintenanceWindowStore and MaintenanceWindowService on both backends: rows round-trip, lists
// page newest first, tenants never see each other's windows, and a created window's definition
// reads back as the uptime engine's spec.
#include <rapport/core/ids.hpp>
#include <rapport/sla/maintenance_window_service.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

using storetest::BackendName;
using storetest::Backends;

class FixedClock final : public Clock {
 public:
  UnixMs NowMs() const override { return now; }
  UnixMs now = 1'780'000'000'000;
};

class MaintenanceWindowStoreConformance : public storetest::BackendStoreTest {
 protected:
  MaintenanceWindow Window(const std::string& tenant, UnixMs at) {
    return MaintenanceWindow{NewIdAt("mw", at), tenant, "w", R"({"type":"one_off"})", at, at};
  }
};

TEST_P(MaintenanceWindowStoreConformance, RowsRoundTripPageAndStayWithTheirTenant) {
  MaintenanceWindowStore windows(*store_);
  MaintenanceWindow a = Window("t1", 1000), b = Window("t1", 2000), c = Window("t2", 3000);
  for (const auto& w : {a, b, c}) ASSERT_TRUE(windows.Insert(w).ok());
  auto got = windows.Get("t1", a.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->definition, a.definition);
  EXPECT_EQ(got->created_at, 1000);
  EXPECT_EQ(windows.Get("t2", a.id).error().code(), ErrorCode::kNotFound);

  auto first = windows.List("t1", PageRequest{.limit = 1});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->items[0].id, b.id);
  EXPECT_TRUE(first->has_more);
  auto second = windows.List("t1", PageRequest{.limit = 1, .after_id = b.id});
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, a.id);
  EXPECT_FALSE(second->has_more);
  auto all = windows.All("t1");
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, a.id);  // oldest first

  a.name = "renamed";
  a.definition = R"({"type":"weekly"})";
  ASSERT_TRUE(windows.Update(a).ok());
  EXPECT_EQ(windows.Get("t1", a.id)->name, "renamed");
  MaintenanceWindow foreign = a;
  foreign.tenant_id = "t2";
  EXPECT_EQ(windows.Update(foreign).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(windows.Delete("t2", a.id).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(windows.Delete("t1", a.id).ok());
  EXPECT_EQ(windows.Get("t1", a.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(windows.All("t2")->size(), 1u);
}

TEST_P(MaintenanceWindowStoreConformance, ServiceStoresWhatTheEngineReadsBack) {
  MaintenanceWindowStore store(*store_);
  FixedClock clock;
  MaintenanceWindowService service(store, clock);
  auto body = boost::json::parse(R"({"name":"Patching","type":"weekly","timezone":"Europe/Berlin",)"
                                 R"("days":["sunday","wednesday","sunday"],"start":"22:15",)"
                                 R"("duration_minutes":150,"tags":{"region":"eu"}})")
                  .as_object();
  auto created = service.Create("t1", body);
  ASSERT_TRUE(created.ok()) << created.error().message();
  MaintenanceSpec spec = SpecOf(*service.Get("t1", created->id));
  EXPECT_TRUE(spec.weekly);
  EXPECT_EQ(spec.timezone, "Europe/Berlin");
  EXPECT_EQ(spec.days, (std::vector<int>{0, 3}));  // the repeated day once
  EXPECT_EQ(spec.start_minute, 22 * 60 + 15);
  EXPECT_EQ(spec.duration_minutes, 150);
  EXPECT_TRUE(spec.site_ids.empty());
  EXPECT_EQ(spec.tags.at("region"), "eu");
  EXPECT_EQ(service.Get("t2", created->id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service.Get("t1", "not-an-id").error().code(), ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, MaintenanceWindowStoreConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
