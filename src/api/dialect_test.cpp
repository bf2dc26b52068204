#include <rapport/api/dialect.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport::api {
namespace {

namespace json = boost::json;

TEST(Dialect, ChosenByPathPrefix) {
  EXPECT_EQ(DialectOf("/v1/brands"), Dialect::kV1);
  EXPECT_EQ(DialectOf("/v1"), Dialect::kV1);
  EXPECT_EQ(DialectOf("/v10/x"), Dialect::kSla);
  EXPECT_EQ(DialectOf("/reports/sla/schedules"), Dialect::kSla);
  EXPECT_EQ(DialectOf(""), Dialect::kSla);
}

TEST(Dialect, V1EnvelopeCarriesRequestIdAndDetails) {
  Error e(ErrorCode::kRateLimitExceeded, "", json::object{{"retry_after", 3}});
  auto r = RenderError(Dialect::kV1, e, "id-1", "http://h");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"error":{"code":"rate_limit_exceeded","message":"Per-minute rate )"
                        R"(limit exceeded","details":{"retry_after":3}},"request_id":"id-1"})"));
}

TEST(Dialect, SlaRequestErrorsAre400WithParameterCodes) {
  auto missing = RenderError(
      Dialect::kSla,
      Error::FromProblems(ErrorCode::kBodyValidation, {{"body.name", "field required", "missing"}}),
      "id", "http://h");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(json::parse(missing.body),
            json::parse(R"({"type":"invalid_request_error","code":"parameter_missing",)"
                        R"("message":"The 'name' parameter is required for this request.",)"
                        R"("doc_url":"http://h/docs/errors#parameter_missing"})"));
  auto not_found = RenderError(Dialect::kSla, Error::NotFound("Schedule"), "id", "http://h");
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(json::parse(not_found.body).at("code").as_string(), "not_found");
}

TEST(Dialect, AKindsOwnErrorRendersItsSpecInBothDialects) {
  static constexpr ErrorSpec kOwn{"widget_missing", 422, "invalid_request_error", "No widget"};
  Error e(kOwn, "", json::object{{"widget", "w1"}});
  EXPECT_EQ(e.code(), ErrorCode::kKind);
  auto v1 = RenderError(Dialect::kV1, e, "id-1", "http://h");
  EXPECT_EQ(v1.status, 422);
  EXPECT_EQ(json::parse(v1.body),
            json::parse(R"({"error":{"code":"widget_missing","message":"No widget",)"
                        R"("details":{"widget":"w1"}},"request_id":"id-1"})"));
  auto sla = RenderError(Dialect::kSla, Error(kOwn, "Add a widget"), "id", "http://h");
  EXPECT_EQ(sla.status, 422);
  EXPECT_EQ(
      json::parse(sla.body),
      json::parse(R"({"type":"invalid_request_error","code":"widget_missing",)"
                  R"("message":"Add a widget","doc_url":"http://h/docs/errors#widget_missing"})"));
}

}  // namespace
}  // namespace rapport::api
