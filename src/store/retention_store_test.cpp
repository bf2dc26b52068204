// The RetentionStore part of the Store contract, on both backends: tenants' settings, which
// reports are past their retention (the schedule's, else the tenant's default, else kept), their
// deletion with their PDFs, the per-tenant storage figures, and the daily job's id taken once.
#include <rapport/core/ids.hpp>
#include <rapport/reports/retention.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

namespace rapport {
namespace {

using storetest::BackendName;
using storetest::Backends;

constexpr int64_t kDay = 86'400'000;
constexpr UnixMs kNow = 1'780'000'000'000;  // mid 2026

class RetentionStoreConformance : public storetest::BackendStoreTest {
 protected:
  // An SLA schedule of `tenant` whose settings set `days` (nullopt: none).
  std::string Schedule(const std::string& tenant, std::optional<int64_t> days) {
    SlaSchedule s;
    s.id = NewId("sla");
    s.tenant_id = tenant;
    s.name = "s";
    s.timezone = "UTC";
    s.settings = days ? "{\"report_retention_days\":" + std::to_string(*days) + "}" : "{}";
    EXPECT_TRUE(store_->InsertSlaSchedule(s).ok());
    return s.id;
  }

  // A report of `schedule` created `age_days` before kNow, with a PDF of `pdf_bytes`.
  std::string Report(const std::string& tenant, const std::string& schedule, int64_t age_days,
                     size_t pdf_bytes = 100) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = tenant;
    job.kind = "sla_report";
    EXPECT_TRUE(store_->InsertJob(job).ok());
    EXPECT_TRUE(store_->ClaimJob("w1", 1000, {1000, 60'000}).value().has_value());
    rapport::Report r;
    r.id = NewIdAt("rpt", kNow - age_days * kDay);
    r.kind = "sla";
    r.schedule_id = schedule;
    r.trigger = "on_demand";
    r.from_date = r.to_date = "2026-01-01";
    r.body = "{}";
    r.created_at = kNow - age_days * kDay;
    Artifact pdf{"report.pdf", "application/pdf", std::string(pdf_bytes, 'x')};
    EXPECT_TRUE(store_->CompleteJob(job.id, "w1", "{}", {pdf}, {r}, {}, 2000).ok());
    return r.id;
  }

  std::vector<std::string> ExpiredIds() {
    std::vector<std::string> ids;
    std::vector<ExpiredReport> expired = store_->ExpiredReports(kNow, "", 100).value();
    for (const auto& r : expired) ids.push_back(r.id);
    return ids;
  }
};

TEST_P(RetentionStoreConformance, SettingsDefaultThenRoundTrip) {
  TenantSettings none = store_->GetTenantSettings("t1").value();
  EXPECT_FALSE(none.report_retention_days);
  EXPECT_EQ(none.updated_at, 0);
  ASSERT_TRUE(store_->PutTenantSettings({"t1", 30, 5}).ok());
  ASSERT_TRUE(store_->PutTenantSettings({"t2", std::nullopt, 6}).ok());
  EXPECT_EQ(store_->GetTenantSettings("t1").value().report_retention_days, 30);
  EXPECT_EQ(store_->GetTenantSettings("t2").value().updated_at, 6);
  ASSERT_TRUE(store_->PutTenantSettings({"t1", std::nullopt, 7}).ok());
  EXPECT_FALSE(store_->GetTenantSettings("t1").value().report_retention_days);
}

TEST_P(RetentionStoreConformance, ScheduleThenTenantDefaultElseKept) {
  EXPECT_FALSE(store_->AnyRetentionSet().value());
  std::string own = Schedule("t1", 30);
  std::string follows = Schedule("t1", std::nullopt);
  std::string forever = Schedule("t2", std::nullopt);
  EXPECT_TRUE(store_->AnyRetentionSet().value());
  ASSERT_TRUE(store_->PutTenantSettings({"t1", 10, 1}).ok());
  std::string own_old = Report("t1", own, 31), own_young = Report("t1", own, 29);
  std::string default_old = Report("t1", follows, 11), default_young = Report("t1", follows, 9);
  std::string orphan_old = Report("t1", "sla_deleted", 11);
  std::string kept = Report("t2", forever, 3650);
  std::vector<std::string> expected{own_old, default_old, orphan_old};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ExpiredIds(), expected);
  auto after_first = store_->ExpiredReports(kNow, expected[0], 100).value();
  EXPECT_EQ(after_first.size(), 2u);
  (void)own_young, (void)default_young, (void)kept;
}

TEST_P(RetentionStoreConformance, DeletionTakesThePdfAndTheFiguresFollow) {
  std::string schedule = Schedule("t1", 5);
  std::string old = Report("t1", schedule, 6, 1000);
  std::string young = Report("t1", schedule, 1, 300);
  Report("t2", Schedule("t2", std::nullopt), 6, 50);
  auto before = store_->StorageByTenant().value();
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].tenant_id, "t1");
  EXPECT_EQ(before[0].reports, 2);
  EXPECT_EQ(before[0].artifact_bytes, 1300);
  EXPECT_EQ(before[1].artifact_bytes, 50);
  auto expired = store_->ExpiredReports(kNow, "", 100).value();
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].artifact_bytes, 1000);
  EXPECT_EQ(store_->DeleteReports(expired).value(), 1);
  EXPECT_EQ(store_->DeleteReports(expired).value(), 0);  // already gone
  EXPECT_EQ(store_->GetReport("t1", old).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->GetReportArtifact("t1", young, "report.pdf").ok());
  EXPECT_TRUE(store_->ReclaimSpace().ok());
  auto after = store_->StorageByTenant().value();
  EXPECT_EQ(after[0].reports, 1);
  EXPECT_EQ(after[0].artifact_bytes, 300);
}

TEST_P(RetentionStoreConformance, TheDailyJobIdIsTakenOnce) {
  ASSERT_TRUE(store_->PutTenantSettings({"t1", 1, 1}).ok());
  ReportRetention first(*store_, *store_);
  ReportRetention second(*store_, *store_);  // another node
  EXPECT_TRUE(first.EnqueueDaily(kNow).value());
  EXPECT_FALSE(second.EnqueueDaily(kNow + 1000).value());
  EXPECT_FALSE(first.EnqueueDaily(kNow + 2000).value());
  EXPECT_TRUE(second.EnqueueDaily(kNow + kDay).value());
  EXPECT_EQ(ReportRetention::DailyJobId(kNow).size(), 4 + kIdBodyLength);
  EXPECT_EQ(ReportRetention::DailyJobId(kNow), ReportRetention::DailyJobId(kNow + 1000));
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionStoreConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
