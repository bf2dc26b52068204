#include <rapport/core/ids.hpp>
#include <rapport/sla/sla_webhooks.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace rapport {
namespace {

namespace json = boost::json;

class SlaWebhookOwnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-slahook-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "t.db").string()}).value());
    SlaSchedule s;
    s.id = schedule_id_ = NewId("sla");
    s.tenant_id = "t1";
    s.name = "weekly";
    s.timezone = "UTC";
    s.settings = R"({"recipients":["a@x.test",7,"b@x.test"]})";
    ASSERT_TRUE(store_->InsertSlaSchedule(s).ok());
    owner_ = SlaWebhookOwner(*store_);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  EmailRecipients RecipientsOf(const std::string& type, const json::object& data) {
    return owner_.email_recipients(Event{"evt_1", "t1", type, "{}", 0}, data).value();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::string schedule_id_;
  WebhookOwnerType owner_;
};

TEST_F(SlaWebhookOwnerTest, IsTheTenantsSlaSide) {
  EXPECT_EQ(owner_.kind, "sla");
  EXPECT_EQ(owner_.owner_field, "");
  EXPECT_EQ(owner_.events, (std::vector<std::string>{"sla_report.completed", "sla_report.failed",
                                                     "schedule.run.missed", "delivery.failed",
                                                     "sla.breached", "sla.budget.exhausted"}));
  EXPECT_FALSE(owner_.check_owner);
}

TEST_F(SlaWebhookOwnerTest, ACompletedReportGoesToItsSchedulesRecipients) {
  EmailRecipients to =
      RecipientsOf("sla_report.completed", {{"schedule_id", schedule_id_}, {"report_id", "rpt_1"}});
  EXPECT_EQ(to.report_id, "rpt_1");
  EXPECT_EQ(to.schedule_id, schedule_id_);
  EXPECT_EQ(to.recipients, (std::vector<std::string>{"a@x.test", "b@x.test"}));
}

TEST_F(SlaWebhookOwnerTest, NothingElseIsEmailed) {
  json::object data{{"schedule_id", schedule_id_}, {"report_id", "rpt_1"}};
  EXPECT_TRUE(RecipientsOf("sla_report.failed", data).recipients.empty());
  EXPECT_TRUE(RecipientsOf("sla_report.completed", {{"report_id", "rpt_1"}}).recipients.empty());
  EXPECT_TRUE(
      RecipientsOf("sla_report.completed", {{"schedule_id", NewId("sla")}, {"report_id", "rpt_1"}})
          .recipients.empty());  // deleted since
}

}  // namespace
}  // namespace rapport
