// GET /reports/sla/uptime against a real rapportd: live uptime per site and per tag group over a
// window, worked out by hand below.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class SlaUptimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
  }

  std::string Site(const std::string& name, const std::string& region) {
    auto r = api_->Send(
        "POST", "/sites",
        R"({"name":")" + name + R"(","timezone":"UTC","tags":{"region":")" + region + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  void Fault(const std::string& site, const std::string& type, const std::string& from,
             const std::string& to) {
    std::string end = to.empty() ? "" : R"(,"resolved_at":")" + to + "\"";
    auto r = api_->Send("POST", "/faults",
                        R"({"resource_id":")" + site + R"(","type":")" + type +
                            R"(","severity":"HIGH","created_at":")" + from + "\"" + end + "}");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  ServerProcess server_{{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}};
  std::optional<Api> api_;
};

TEST_F(SlaUptimeTest, SitesAndGroupsOverAWindowLowestFirst) {
  std::string lisbon = Site("Lisbon", "emea");
  std::string paris = Site("Paris", "emea");
  std::string austin = Site("Austin", "amer");
  Site("Untagged", "x");
  // Window: 2026-11-01 .. 2026-11-02 (86,400 s). Lisbon: 2 h 24 min down (two overlapping
  // faults: 01:00-03:00 and 02:00-03:24) = 8,640 s = 90 %. Paris: a wantunnel fault never
  // counts = 100 %. Austin: down from 12:00 and still open = 50 %.
  Fault(lisbon, "site", "2026-11-01T01:00:00Z", "2026-11-01T03:00:00Z");
  Fault(lisbon, "site", "2026-11-01T02:00:00Z", "2026-11-01T03:24:00Z");
  Fault(paris, "wantunnel", "2026-11-01T05:00:00Z", "2026-11-01T09:00:00Z");
  Fault(austin, "site", "2026-11-01T12:00:00Z", "");
  auto r = api_->Send("GET",
                      "/reports/sla/uptime?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&"
                      "group_by=region&lowest=2&target=95");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  EXPECT_EQ(body.at("site_count").as_int64(), 4);
  EXPECT_EQ(body.at("open_fault_count").as_int64(), 1);
  EXPECT_EQ(body.at("below_target_count").as_int64(), 2);  // Lisbon 90 and Austin 50
  EXPECT_DOUBLE_EQ(body.at("uptime_percentage").to_number<double>(), 85.0);  // (90+100+50+100)/4
  const auto& lowest = body.at("lowest").as_array();
  ASSERT_EQ(lowest.size(), 2u) << r.body;
  EXPECT_EQ(lowest[0].at("site_name").as_string(), "Austin");
  EXPECT_DOUBLE_EQ(lowest[0].at("uptime_percentage").to_number<double>(), 50.0);
  EXPECT_EQ(lowest[0].at("open_fault_count").as_int64(), 1);
  EXPECT_EQ(lowest[1].at("site_name").as_string(), "Lisbon");
  EXPECT_EQ(lowest[1].at("downtime_seconds").as_int64(), 8640);
  const auto& groups = body.at("groups").as_array();
  ASSERT_EQ(groups.size(), 3u) << r.body;
  EXPECT_EQ(groups[0].at("value").as_string(), "amer");
  EXPECT_EQ(groups[1].at("value").as_string(), "emea");
  EXPECT_DOUBLE_EQ(groups[1].at("uptime_percentage").to_number<double>(), 95.0);
  EXPECT_EQ(groups[1].at("site_count").as_int64(), 2);
  EXPECT_EQ(groups[2].at("value").as_string(), "x");
}

TEST_F(SlaUptimeTest, DefaultsToThisMonthAndRefusesBadWindows) {
  auto empty = api_->Send("GET", "/reports/sla/uptime");
  ASSERT_EQ(empty.status, 200) << empty.body;
  auto body = Json(empty);
  EXPECT_EQ(body.at("site_count").as_int64(), 0);
  EXPECT_TRUE(body.at("uptime_percentage").is_null());
  EXPECT_EQ(std::string(body.at("from").as_string()).substr(8), "01T00:00:00.000Z");
  EXPECT_TRUE(body.at("groups").as_array().empty());
  EXPECT_EQ(
      api_->Send("GET", "/reports/sla/uptime?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")
          .status,
      400);
  EXPECT_EQ(
      api_->Send("GET", "/reports/sla/uptime?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")
          .status,
      400);
  EXPECT_EQ(api_->Send("GET", "/reports/sla/uptime?from=yesterday").status, 400);
  EXPECT_EQ(api_->Send("GET", "/reports/sla/uptime?lowest=101").status, 400);
  EXPECT_EQ(api_->Send("GET", "/reports/sla/uptime?target=50").status, 400);
}

TEST_F(SlaUptimeTest, OnlyTheCallersTenantAndAReadScope) {
  Site("Lisbon", "emea");
  Api other(server_, Token("t2", "read:sla"));
  auto r = other.Send("GET", "/reports/sla/uptime");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("site_count").as_int64(), 0);
  Api brands(server_, Token("t1", "read:brands"));
  EXPECT_EQ(brands.Send("GET", "/reports/sla/uptime").status, 403);
}

}  // namespace
}  // namespace rapport::testing
