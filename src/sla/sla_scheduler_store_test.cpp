// SlaScheduler over a real (SQLite) store: the settings it fires with are the schedule's current
// ones, whatever it parsed on earlier ticks.
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/sla/sla_scheduler.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace rapport {
namespace {

class FixedClock final : public Clock {
 public:
  UnixMs NowMs() const override { return now; }
  UnixMs now = 0;
};

class SlaSchedulerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-slasched-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "t.db").string()}).value());
    ASSERT_TRUE(
        store_->InsertSite(Site{.id = "site_a", .tenant_id = "t1", .timezone = "UTC"}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string Settings(const std::string& site) {
    SlaScheduleSpec spec;
    spec.name = "daily";
    spec.daily = true;
    spec.timezone = "UTC";
    spec.sites = {site};
    return ToJson(SpecToJson(spec));
  }

  SlaSchedule Insert(const std::string& settings, UnixMs next_run_at) {
    SlaSchedule s;
    s.id = NewId("sla");
    s.tenant_id = "t1";
    s.name = "daily";
    s.timezone = "UTC";
    s.settings = settings;
    s.next_run_at = next_run_at;
    EXPECT_TRUE(store_->InsertSlaSchedule(s).ok());
    return s;
  }

  std::vector<ScheduleRun> Runs(const std::string& schedule_id) {
    return store_->ListScheduleRuns("t1", schedule_id, {.limit = 50}).value().items;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  FixedClock clock_;
};

// Two schedules with the same settings text; a PATCH of one changes its text, and its next period
// follows the new settings while the other keeps its own.
TEST_F(SlaSchedulerStoreTest, APatchedScheduleFiresWithItsNewSettings) {
  UnixMs due = ParseRfc3339("2026-06-01T08:00:00Z").value();
  SlaSchedule patched = Insert(Settings("site_a"), due);
  SlaSchedule kept = Insert(Settings("site_a"), due);
  SlaScheduler scheduler(*store_, *store_, *store_, *store_, clock_);
  clock_.now = due + 1000;
  EXPECT_EQ(scheduler.Tick().value(), 2);

  patched = store_->GetSlaSchedule("t1", patched.id).value();
  patched.settings = Settings("site_gone");  // no such site: its periods cannot start
  ASSERT_TRUE(store_->UpdateSlaSchedule(patched).ok());
  clock_.now = due + 86'400'000 + 1000;  // the next daily period of both
  EXPECT_EQ(scheduler.Tick().value(), 1);

  auto runs = Runs(patched.id);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].status, "failed");  // newest first
  EXPECT_EQ(runs[0].error, "No site matches the schedule's site selection");
  EXPECT_EQ(runs[1].status, "pending");
  auto others = Runs(kept.id);
  ASSERT_EQ(others.size(), 2u);
  EXPECT_EQ(others[0].status, "pending");
  EXPECT_EQ(others[1].status, "pending");
}

}  // namespace
}  // namespace rapport
