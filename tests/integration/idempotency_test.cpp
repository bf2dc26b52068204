// Idempotency keys: replay, reuse with another body, in-flight, and survival across restarts;
// and the burst rate limit.
#include "server_process.hpp"

#include <rapport/core/encoding.hpp>

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

const std::string kBrand = R"({"name":"Acme","website":"https://acme.example"})";

TEST(IdempotencyTest, ReplayReturnsStoredResponseAndCreatesNothingTwice) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  auto first = api.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: k-1"});
  ASSERT_EQ(first.status, 201);
  EXPECT_FALSE(first.Header("idempotent-replayed"));
  auto again = api.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: k-1"});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(Json(api.Get("/v1/brands")).at("data").as_array().size(), 1u);
}

TEST(IdempotencyTest, SameKeyWithDifferentBodyIs409Reused) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  ASSERT_EQ(api.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: k-2"}).status, 201);
  auto other = api.Send("POST", "/v1/brands", R"({"name":"Other","website":"https://o.example"})",
                        {"Idempotency-Key: k-2"});
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(Json(other).at("error").at("code").as_string(), "idempotency_key_reused");
  EXPECT_EQ(Json(api.Get("/v1/brands")).at("data").as_array().size(), 1u);
}

TEST(IdempotencyTest, KeysAreScopedToTheTenant) {
  ServerProcess server;
  server.Start();
  Api alice(server, Token("alice"));
  Api bob(server, Token("bob"));
  ASSERT_EQ(alice.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: shared"}).status, 201);
  auto b = bob.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: shared"});
  EXPECT_EQ(b.status, 201);
  EXPECT_FALSE(b.Header("idempotent-replayed"));
}

TEST(IdempotencyTest, ReplaySurvivesRestart) {
  ServerProcess server;
  server.Start();
  std::string first_body;
  {
    Api api(server, Token("t1"));
    auto first = api.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: durable"});
    ASSERT_EQ(first.status, 201);
    first_body = first.body;
    auto site = api.Send("POST", "/sites", R"({"name":"HQ","timezone":"UTC"})",
                         {"Idempotency-Key: durable-site"});
    ASSERT_EQ(site.status, 201);
  }
  ASSERT_EQ(server.Stop(), 0);
  server.Start();
  Api api(server, Token("t1"));
  auto replay = api.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: durable"});
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first_body);
  EXPECT_EQ(replay.Header("idempotent-replayed"), "true");
  auto reuse = api.Send("POST", "/v1/brands", R"({"name":"X","website":"https://x.example"})",
                        {"Idempotency-Key: durable"});
  EXPECT_EQ(reuse.status, 409);
  auto site = api.Send("POST", "/sites", R"({"name":"HQ","timezone":"UTC"})",
                       {"Idempotency-Key: durable-site"});
  EXPECT_EQ(site.Header("idempotent-replayed"), "true");
  EXPECT_EQ(Json(api.Get("/v1/brands")).at("data").as_array().size(), 1u);
  EXPECT_EQ(Json(api.Get("/sites")).at("data").as_array().size(), 1u);
}

TEST(IdempotencyTest, RequestStillInFlightIs409InUse) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  ASSERT_EQ(api.Get("/v1/brands").status, 200);
  // Another node (or a request on another thread) has claimed the key and not finished yet.
  std::string fingerprint = HexEncode(Sha256("POST /v1/brands\n" + kBrand));
  std::string now = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
  Sql(server.database_url(),
      "INSERT INTO idempotency_keys (tenant_id, key, fingerprint, state, created_at, updated_at)"
      " VALUES ('t1', 'busy', '" +
          fingerprint + "', 'started', " + now + ", " + now + ")");
  auto r = api.Send("POST", "/v1/brands", kBrand, {"Idempotency-Key: busy"});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Json(r).at("error").at("code").as_string(), "idempotency_key_in_use");
}

// A node that dies after enqueueing a report's job but before recording the response leaves a
// started, unrefreshed key; the client's retry (after idempotency.in_flight_seconds) must find
// that job, not enqueue a second report. Simulated by rewinding the key to that state.
TEST(IdempotencyTest, ARetryAfterTheNodeDiedFindsTheJobItsRequestEnqueued) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_IDEMPOTENCY_IN_FLIGHT_SECONDS", "1"}});
  server.Start();
  Api api(server, Token("t1"));
  auto site = Json(api.Send("POST", "/sites", R"({"name":"HQ","timezone":"UTC"})"));
  auto schedule = Json(api.Send("POST", "/reports/sla/schedules",
                                R"({"name":"S","timezone":"UTC","disabled":true,"sites":[")" +
                                    std::string(site.at("id").as_string()) + R"("]})"));
  std::string path =
      "/reports/sla/schedules/" + std::string(schedule.at("id").as_string()) + "/run";
  const std::string body = R"({"from_date":"2026-10-01","to_date":"2026-10-02"})";
  auto first = api.Send("POST", path, body, {"Idempotency-Key: run-once"});
  ASSERT_EQ(first.status, 202) << first.body;
  Sql(server.database_url(),
      "UPDATE idempotency_keys SET state = 'started', status = NULL, body = NULL, updated_at = 0 "
      "WHERE key = 'run-once'");
  auto retry = api.Send("POST", path, body, {"Idempotency-Key: run-once"});
  ASSERT_EQ(retry.status, 202) << retry.body;
  EXPECT_EQ(Json(retry).at("job_id"), Json(first).at("job_id"));
  EXPECT_EQ(Sql(server.database_url(), "SELECT COUNT(*) FROM jobs WHERE kind = 'sla_report'"), "1");
  EXPECT_EQ(Sql(server.database_url(), "SELECT COUNT(*) FROM schedule_runs"), "1");
  // Another key is another request: a second report.
  auto other = api.Send("POST", path, body, {"Idempotency-Key: run-twice"});
  ASSERT_EQ(other.status, 202) << other.body;
  EXPECT_NE(Json(other).at("job_id"), Json(first).at("job_id"));
}

TEST(IdempotencyTest, DeleteAndPatchHonourTheKey) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  auto created = api.Post("/v1/brands", kBrand);
  std::string id(Json(created).at("id").as_string());
  auto patch =
      api.Send("PATCH", "/v1/brands/" + id, R"({"country":"DE"})", {"Idempotency-Key: p1"});
  EXPECT_EQ(patch.status, 200);
  EXPECT_EQ(api.Send("PATCH", "/v1/brands/" + id, R"({"country":"DE"})", {"Idempotency-Key: p1"})
                .Header("idempotent-replayed"),
            "true");
  auto del = api.Send("DELETE", "/v1/brands/" + id, "", {"Idempotency-Key: d1"});
  EXPECT_EQ(del.status, 200);
  auto del_again = api.Send("DELETE", "/v1/brands/" + id, "", {"Idempotency-Key: d1"});
  EXPECT_EQ(del_again.status, 200);
  EXPECT_EQ(del_again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(api.Send("DELETE", "/v1/brands/" + id, "", {"Idempotency-Key: d2"}).status, 404);
}

TEST(RateLimitTest, BurstLimitGives429WithRetryAfter) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "5"}});
  server.Start();
  Api api(server, Token("t1"));
  for (int i = 0; i < 5; ++i) {
    auto ok = api.Get("/v1/brands");
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(ok.Header("ratelimit-limit"), "5");
    EXPECT_EQ(ok.Header("ratelimit-remaining"), std::to_string(4 - i));
  }
  auto limited = api.Get("/v1/brands");
  EXPECT_EQ(limited.status, 429);
  auto body = Json(limited);
  EXPECT_EQ(body.at("error").at("code").as_string(), "rate_limit_exceeded");
  EXPECT_EQ(body.at("error").at("details").at("scope").as_string(), "burst");
  int64_t retry = body.at("error").at("details").at("retry_after").as_int64();
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(limited.Header("retry-after"), std::to_string(retry));
  auto sla = api.Get("/sites");
  EXPECT_EQ(sla.status, 429);
  EXPECT_EQ(Json(sla).at("type").as_string(), "rate_limit_error");
  // Another subject of the same tenant has its own budget.
  Api other(server, Token("t1", "*", "someone-else"));
  EXPECT_EQ(other.Get("/v1/brands").status, 200);
}

TEST(RateLimitTest, ZeroTurnsTheLimitOff) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  for (int i = 0; i < 150; ++i) ASSERT_EQ(api.Get("/v1/brands").status, 200);
}

}  // namespace
}  // namespace rapport::testing
