// Every error of the catalog, produced by a real request, in both dialects.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
  }
  ServerProcess server_{std::map<std::string, std::string>{{"RAPPORT_MAX_BODY_BYTES", "4096"}}};
  std::optional<Api> api_;
};

void ExpectV1Error(const client::HttpResult& r, long status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  auto body = Json(r);
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.at("error").at("code").as_string(), code) << r.body;
  EXPECT_FALSE(body.at("error").at("message").as_string().empty());
  ASSERT_TRUE(r.Header("x-correlation-id"));
  EXPECT_EQ(body.at("request_id").as_string(), *r.Header("x-correlation-id"));
}

void ExpectSlaError(const client::HttpResult& r, long status, const std::string& type,
                    const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  auto body = Json(r);
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.at("type").as_string(), type) << r.body;
  EXPECT_EQ(body.at("code").as_string(), code) << r.body;
  EXPECT_FALSE(body.at("message").as_string().empty());
  EXPECT_TRUE(body.at("doc_url").as_string().ends_with("/docs/errors#" + code));
  EXPECT_FALSE(body.as_object().contains("error"));
}

TEST_F(ErrorsTest, QueryValidationIs400InV1) {
  auto r = api_->Get("/v1/brands?limit=0");
  ExpectV1Error(r, 400, "validation_error");
  auto loc = Json(r).at("error").at("details").at("errors").at(0).at("loc");
  EXPECT_EQ(json::serialize(loc), R"(["query","limit"])");
}

TEST_F(ErrorsTest, QueryValidationIs400ParameterInvalidInSla) {
  ExpectSlaError(api_->Get("/sites?limit=101"), 400, "invalid_request_error", "parameter_invalid");
}

TEST_F(ErrorsTest, BodySchemaErrorIs422WithEveryProblemListed) {
  auto r = api_->Post("/v1/brands", R"({"website":"notaurl","brand_aliases":"x","extra":1})");
  ExpectV1Error(r, 422, "body_validation_error");
  auto errors = Json(r).at("error").at("details").at("errors").as_array();
  std::set<std::string> types;
  for (const auto& e : errors) types.emplace(e.at("type").as_string());
  EXPECT_TRUE(types.count("missing"));          // name
  EXPECT_TRUE(types.count("url_parsing"));      // website
  EXPECT_TRUE(types.count("list_type"));        // brand_aliases
  EXPECT_TRUE(types.count("extra_forbidden"));  // extra
}

TEST_F(ErrorsTest, MissingFieldIs400ParameterMissingInSla) {
  auto r = api_->Send("POST", "/sites", R"({"timezone":"Europe/London"})");
  ExpectSlaError(r, 400, "invalid_request_error", "parameter_missing");
  EXPECT_NE(Json(r).at("message").as_string().find("'name'"), std::string::npos);
}

TEST_F(ErrorsTest, MalformedJsonIsPreciseNot500) {
  auto v1 = api_->Post("/v1/brands", R"({"name": "x",)");
  ExpectV1Error(v1, 422, "body_validation_error");
  EXPECT_EQ(Json(v1).at("error").at("details").at("errors").at(0).at("type").as_string(),
            "json_invalid");
  ExpectSlaError(api_->Send("POST", "/sites", "[1,2"), 400, "invalid_request_error",
                 "parameter_invalid");
  ExpectV1Error(api_->Post("/v1/brands", "[]"), 422, "body_validation_error");
  ExpectV1Error(api_->Post("/v1/brands", R"({"name": 5, "website": true})"), 422,
                "body_validation_error");
}

TEST_F(ErrorsTest, DeepJsonIsRejected) {
  std::string deep = R"({"name":)" + std::string(200, '[') + std::string(200, ']') + "}";
  auto r = api_->Post("/v1/brands", deep);
  ExpectV1Error(r, 422, "body_validation_error");
  EXPECT_NE(r.body.find("nesting"), std::string::npos) << r.body;
}

TEST_F(ErrorsTest, NumbersBeyondADoubleAreRejectedNotStoredAsNull) {
  auto v1 = api_->Post("/v1/brands", R"({"name":"a","website":"https://a.example","x":1e400})");
  ExpectV1Error(v1, 422, "body_validation_error");
  EXPECT_NE(v1.body.find("beyond the range of a double"), std::string::npos) << v1.body;
  auto sla = api_->Send("POST", "/sites", R"({"name":"a","timezone":"UTC","tags":[-1e999]})");
  ExpectSlaError(sla, 400, "invalid_request_error", "parameter_invalid");
  EXPECT_EQ(Json(api_->Get("/v1/brands")).at("data").as_array().size(), 0u);
}

TEST_F(ErrorsTest, OversizeStringIsRejected) {
  auto r = api_->Post(
      "/v1/brands", R"({"name":")" + std::string(81, 'a') + R"(","website":"https://a.example"})");
  ExpectV1Error(r, 422, "body_validation_error");
  EXPECT_EQ(Json(r).at("error").at("details").at("errors").at(0).at("type").as_string(),
            "string_too_long");
}

TEST_F(ErrorsTest, IdempotencyKeyRequiredOnV1Post) {
  auto r = api_->Send("POST", "/v1/brands", R"({"name":"a","website":"https://a.example"})");
  ExpectV1Error(r, 400, "idempotency_key_required");
}

TEST_F(ErrorsTest, UnauthorizedInBothDialects) {
  Api anonymous(server_, "");
  ExpectV1Error(anonymous.Get("/v1/brands"), 401, "unauthorized");
  ExpectSlaError(anonymous.Get("/sites"), 401, "authentication_error", "unauthorized");
}

// Seed 000 writes its 403 as `forbidden` with its own message; the SLA side names the scope.
TEST_F(ErrorsTest, MissingScopeIsForbiddenOnV1AndNamesTheScope) {
  Api reader(server_, Token("t1", "read:brands read:sla"));
  auto r = reader.Post("/v1/brands", R"({"name":"a","website":"https://a.example"})");
  ExpectV1Error(r, 403, "forbidden");
  EXPECT_EQ(Json(r).at("error").at("message").as_string(),
            "You do not have permission to access this resource");
  EXPECT_EQ(Json(r).at("error").at("details").at("required_scope").as_string(), "write:brands");
  auto sla = reader.Send("POST", "/sites", R"({"name":"a","timezone":"UTC"})");
  ExpectSlaError(sla, 403, "permission_error", "insufficient_scope");
  EXPECT_NE(Json(sla).at("message").as_string().find("write:sla"), std::string::npos);
  EXPECT_EQ(reader.Get("/v1/brands").status, 200);
}

TEST_F(ErrorsTest, WriteScopeImpliesRead) {
  Api writer(server_, Token("t1", "write:sla"));
  EXPECT_EQ(writer.Get("/sites").status, 200);
  ExpectV1Error(writer.Get("/v1/brands"), 403, "forbidden");
  Api all(server_, Token("t1", "read:all"));
  EXPECT_EQ(all.Get("/v1/brands").status, 200);
  ExpectV1Error(all.Post("/v1/brands", R"({"name":"a","website":"https://a.example"})"), 403,
                "forbidden");
}

TEST_F(ErrorsTest, NotFoundInBothDialects) {
  ExpectV1Error(api_->Get("/v1/brands/brand_000000000000000000000000000"), 404, "not_found");
  ExpectV1Error(api_->Get("/v1/brands/not-an-id"), 404, "not_found");
  ExpectV1Error(api_->Get("/v1/nothing-here"), 404, "not_found");
  ExpectSlaError(api_->Get("/sites/site_000000000000000000000000000"), 404, "invalid_request_error",
                 "not_found");
  ExpectSlaError(api_->Get("/nothing-here"), 404, "invalid_request_error", "not_found");
}

TEST_F(ErrorsTest, MethodNotAllowedListsAllowedMethods) {
  auto r = api_->Send("PUT", "/v1/brands");
  ExpectV1Error(r, 405, "method_not_allowed");
  ASSERT_TRUE(r.Header("allow"));
  EXPECT_NE(r.Header("allow")->find("POST"), std::string::npos);
  ExpectSlaError(api_->Send("PUT", "/sites"), 405, "invalid_request_error", "method_not_allowed");
}

TEST_F(ErrorsTest, OversizeBodyIs413InThePathsDialect) {
  std::string big = R"({"name":")" + std::string(8000, 'a') + R"("})";
  auto r = api_->Post("/v1/brands", big);
  ExpectV1Error(r, 413, "payload_too_large");
  auto sla = api_->Send("POST", "/sites", big);
  ExpectSlaError(sla, 413, "invalid_request_error", "payload_too_large");
}

TEST_F(ErrorsTest, OversizeHeaderIs431) {
  auto r = api_->Send("GET", "/v1/brands", "", {"X-Filler: " + std::string(20000, 'x')});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(Json(r).at("error").at("code").as_string(), "header_too_large");
}

TEST_F(ErrorsTest, MalformedHttpIs400AndCloses) {
  std::string reply = RawExchange(server_.address(), "GARBAGE\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
}

TEST_F(ErrorsTest, SmugglingAttemptsAre400) {
  std::string both =
      "POST /sites HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n";
  EXPECT_TRUE(RawExchange(server_.address(), both).starts_with("HTTP/1.1 400"));
  std::string gzip_te =
      "POST /sites HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n";
  EXPECT_TRUE(RawExchange(server_.address(), gzip_te).starts_with("HTTP/1.1 400"));
  std::string two_cl =
      "POST /sites HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x";
  EXPECT_TRUE(RawExchange(server_.address(), two_cl).starts_with("HTTP/1.1 400"));
  std::string negative = "POST /sites HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n";
  EXPECT_TRUE(RawExchange(server_.address(), negative).starts_with("HTTP/1.1 400"));
}

TEST_F(ErrorsTest, DocUrlLeadsToAnAnchorForTheCode) {
  auto error = Json(api_->Get("/sites?limit=0"));
  std::string doc_url(error.at("doc_url").as_string());
  std::string path = doc_url.substr(doc_url.find("/docs/errors"));
  auto page = api_->Get(path.substr(0, path.find('#')));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("id=\"parameter_invalid\""), std::string::npos);
  EXPECT_NE(page.body.find("id=\"rate_limit_exceeded\""), std::string::npos);
}

TEST_F(ErrorsTest, CorrelationIdIsEchoedWhenValidAndReplacedOtherwise) {
  const std::string mine = "0b7c2f0e-8f5e-4c49-9d0e-6a1f2b3c4d5e";
  auto echoed = api_->Send("GET", "/v1/brands/brand_000000000000000000000000000", "",
                           {"X-Correlation-ID: " + mine});
  EXPECT_EQ(*echoed.Header("x-correlation-id"), mine);
  EXPECT_EQ(Json(echoed).at("request_id").as_string(), mine);
  auto replaced = api_->Send("GET", "/healthz", "", {"X-Correlation-ID: not-a-uuid"});
  ASSERT_TRUE(replaced.Header("x-correlation-id"));
  EXPECT_NE(*replaced.Header("x-correlation-id"), "not-a-uuid");
  EXPECT_EQ(replaced.Header("x-correlation-id")->size(), 36u);
}

}  // namespace
}  // namespace rapport::testing
