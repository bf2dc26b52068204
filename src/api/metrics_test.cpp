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

}  // namespace
}  // namespace rapport::api
