#include "metrics.hpp"

#include <gtest/gtest.h>

namespace rapport::api {
namespace {

TEST(Metrics, CountsByRouteMethodAndStatusInSortedOrder) {
  Metrics m;
  m.RecordRequest("/v1/b", "GET", 200, 0.002);
  m.RecordRequest("/v1/a", "POST", 201, 0.0005);
  m.RecordRequest("/v1/b", "DELETE", 204, 0.02);
  m.RecordRequest("/v1/b", "GET", 200, 0.004);
  m.RecordRequest("/v1/b", "GET", 404, 3.0);
  std::string text = m.Render({{"pending", 2}}, 1.5);
  auto at = [&](std::string_view s) { return text.find(s); };
  auto a = at(R"(rapport_http_requests_total{route="/v1/a",method="POST",status="201"} 1)");
  auto b_delete =
      at(R"(rapport_http_requests_total{route="/v1/b",method="DELETE",status="204"} 1)");
  auto b_200 = at(R"(rapport_http_requests_total{route="/v1/b",method="GET",status="200"} 2)");
  auto b_404 = at(R"(rapport_http_requests_total{route="/v1/b",method="GET",status="404"} 1)");
  ASSERT_NE(a, std::string::npos) << text;
  ASSERT_NE(b_delete, std::string::npos) << text;
  ASSERT_NE(b_200, std::string::npos) << text;
  ASSERT_NE(b_404, std::string::npos) << text;
  EXPECT_LT(a, b_delete);
  EXPECT_LT(b_delete, b_200);
  EXPECT_LT(b_200, b_404);
  EXPECT_NE(at(R"(rapport_http_request_duration_seconds_bucket{route="/v1/b",le="0.0025"} 1)"),
            std::string::npos);
  EXPECT_NE(at(R"(rapport_http_request_duration_seconds_bucket{route="/v1/b",le="0.005"} 2)"),
            std::string::npos);
  EXPECT_NE(at(R"(rapport_http_request_duration_seconds_count{route="/v1/b"} 4)"),
            std::string::npos);
  EXPECT_NE(at(R"(rapport_jobs{status="pending"} 2)"), std::string::npos);
}

// Answers StorageByTenant from `figures`, counting the calls; nothing else is asked of it.
class FakeRetentionStore final : public RetentionStore {
 public:
  Result<TenantSettings> GetTenantSettings(const std::string&) override { return TenantSettings{}; }
  Status PutTenantSettings(const TenantSettings&) override { return Ok{}; }
  Result<bool> AnyRetentionSet() override { return false; }
  Result<std::vector<ExpiredReport>> ExpiredReports(UnixMs, const std::string&, int) override {
    return std::vector<ExpiredReport>{};
  }
  Result<int64_t> DeleteReports(const std::vector<ExpiredReport>&) override { return 0; }
  Status ReclaimSpace() override { return Ok{}; }
  Result<std::vector<TenantStorage>> StorageByTenant() override {
    ++calls;
    return figures;
  }
  std::vector<TenantStorage> figures;
  int calls = 0;
};

TEST(StorageGauges, PerTenantGaugesReadOncePerTtl) {
  FakeRetentionStore store;
  store.figures = {{"t\"1", 3, 4096}, {"t2", 0, 0}};
  StorageGauges gauges(store, 30'000);
  std::string text = gauges.Render(1'000'000).value();
  EXPECT_NE(text.find("# TYPE rapport_stored_reports gauge"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(rapport_stored_reports{tenant="t\"1"} 3)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(rapport_stored_artifact_bytes{tenant="t\"1"} 4096)"), std::string::npos);
  EXPECT_NE(text.find(R"(rapport_stored_reports{tenant="t2"} 0)"), std::string::npos);
  store.figures[0].reports = 1;
  EXPECT_EQ(gauges.Render(1'029'999).value(), text);  // within the TTL: not read again
  EXPECT_EQ(store.calls, 1);
  EXPECT_NE(gauges.Render(1'030'000).value().find(R"(rapport_stored_reports{tenant="t\"1"} 1)"),
            std::string::npos);
  EXPECT_EQ(store.calls, 2);
}

}  // namespace
}  // namespace rapport::api
