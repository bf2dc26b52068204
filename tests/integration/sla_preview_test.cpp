// POST /reports/sla/schedules/preview against a real rapportd: the next runs of a schedule body,
// validated as creating one is, with nothing stored.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class SlaPreviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
    auto r = api_->Send("POST", "/sites", R"({"name":"Lisbon","timezone":"UTC"})");
    EXPECT_EQ(r.status, 201) << r.body;
    sites_ = R"("sites":[")" + std::string(Json(r).at("id").as_string()) + R"("])";
  }

  std::string sites_;

  ServerProcess server_{{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}};
  std::optional<Api> api_;
};

TEST_F(SlaPreviewTest, WeeklyBodyAnswersTheNextRunsInItsZoneAndStoresNothing) {
  auto r = api_->Send("POST", "/reports/sla/schedules/preview?count=3",
                      R"({"name":"Weekly","timezone":"Europe/Paris","weekly":true,)"
                      R"("day_of_week":"monday",)" +
                          sites_ + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  const auto& runs = body.at("data").as_array();
  ASSERT_EQ(runs.size(), 3u) << r.body;
  EXPECT_FALSE(body.at("disabled").as_bool());
  std::string previous;
  for (const auto& run : runs) {
    EXPECT_EQ(run.at("cadence").as_string(), "weekly");
    std::string local(run.at("local").as_string());
    EXPECT_NE(local.find("T08:00:00+0"), std::string::npos) << local;
    std::string at(run.at("run_at").as_string());
    EXPECT_GT(at, previous);
    previous = at;
  }
  auto list = api_->Send("GET", "/reports/sla/schedules");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(Json(list).at("data").as_array().empty()) << list.body;
}

TEST_F(SlaPreviewTest, MonthlyRunCoversThePreviousCalendarMonth) {
  auto r =
      api_->Send("POST", "/reports/sla/schedules/preview?count=1",
                 R"({"name":"M","timezone":"UTC","monthly":true,"day_of_month":3,)" + sites_ + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  const auto& run = body.at("data").as_array().at(0);
  std::string from(run.at("from_date").as_string());
  std::string to(run.at("to_date").as_string());
  std::string local(run.at("local").as_string());
  EXPECT_EQ(from.substr(8), "01");
  EXPECT_EQ(local.substr(8, 2), "03");
  EXPECT_LT(to, local.substr(0, 10));
}

TEST_F(SlaPreviewTest, InvalidBodiesAreRefusedNamingTheField) {
  auto none = api_->Send("POST", "/reports/sla/schedules/preview",
                         R"({"name":"No cadence","timezone":"UTC",)" + sites_ + "}");
  EXPECT_EQ(none.status, 400) << none.body;
  EXPECT_NE(none.body.find("daily, weekly, monthly"), std::string::npos) << none.body;
  auto zone = api_->Send("POST", "/reports/sla/schedules/preview",
                         R"({"name":"Z","timezone":"Mars/Olympus","daily":true,)" + sites_ + "}");
  EXPECT_EQ(zone.status, 400) << zone.body;
  EXPECT_NE(zone.body.find("timezone"), std::string::npos) << zone.body;
  auto count = api_->Send("POST", "/reports/sla/schedules/preview?count=51",
                          R"({"name":"C","timezone":"UTC","daily":true,)" + sites_ + "}");
  EXPECT_EQ(count.status, 400) << count.body;
  EXPECT_NE(count.body.find("count"), std::string::npos) << count.body;
}

TEST_F(SlaPreviewTest, AReadScopeIsEnough) {
  Api reader(server_, Token("t1", "read:sla"));
  auto r =
      reader.Send("POST", "/reports/sla/schedules/preview",
                  R"({"name":"D","timezone":"UTC","daily":true,"disabled":true,)" + sites_ + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Json(r).at("disabled").as_bool());
  EXPECT_EQ(Json(r).at("data").as_array().size(), 5u);
}

}  // namespace
}  // namespace rapport::testing
