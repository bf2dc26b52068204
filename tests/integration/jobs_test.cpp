// /v1/jobs against the real server. Jobs are written straight into the database here, as a
// report run would enqueue them, since no report kind exists yet to start one through the API.
#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace rapport::testing {
namespace {

// Inserts a job row; returns its id.
std::string InsertJob(const ServerProcess& server, const std::string& tenant,
                      const std::string& kind, int64_t run_after,
                      const std::string& status = "pending", int64_t finished_at = 0) {
  std::string id = NewId("job");
  std::string finished = finished_at ? std::to_string(finished_at) : "NULL";
  std::string sql =
      "INSERT INTO jobs (id, tenant_id, kind, status, run_after, created_at, "
      "updated_at, finished_at) VALUES ('" +
      id + "', '" + tenant + "', '" + kind + "', '" + status + "', " + std::to_string(run_after) +
      ", " + std::to_string(NowMs()) + ", " + std::to_string(NowMs()) + ", " + finished + ")";
  Sql(server.database_url(), sql);
  return id;
}

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
  }
  ServerProcess server_;
  std::optional<Api> api_;
};

TEST_F(JobsTest, PendingJobIsCancelledAndStaysCancelled) {
  std::string id = InsertJob(server_, "t1", "sla_report", NowMs() + 3'600'000);
  auto got = Json(api_->Get("/v1/jobs/" + id));
  EXPECT_EQ(got.at("object").as_string(), "job");
  EXPECT_EQ(got.at("status").as_string(), "pending");
  EXPECT_EQ(got.at("progress_pct").as_int64(), 0);
  auto cancelled = api_->Send("DELETE", "/v1/jobs/" + id);
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(Json(cancelled).at("status").as_string(), "cancelled");
  EXPECT_FALSE(Json(cancelled).at("finished_at").is_null());
  auto again = api_->Send("DELETE", "/v1/jobs/" + id);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Json(again).at("updated_at"), Json(cancelled).at("updated_at"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Json(api_->Get("/v1/jobs/" + id)).at("status").as_string(), "cancelled");
}

TEST_F(JobsTest, AJobWithoutAHandlerFailsWithAClearError) {
  std::string id = InsertJob(server_, "t1", "no_such_kind", 0);
  boost::json::value job;
  for (int i = 0; i < 200; ++i) {
    job = Json(api_->Get("/v1/jobs/" + id));
    if (job.at("status").as_string() == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(job.at("status").as_string(), "failed");
  EXPECT_EQ(job.at("result").at("error").at("code").as_string(), "unknown_job_kind");
  EXPECT_EQ(job.at("attempts").as_int64(), 1);
}

TEST_F(JobsTest, AnotherTenantsJobIs404AndUntouched) {
  std::string id = InsertJob(server_, "t2", "sla_report", NowMs() + 3'600'000);
  EXPECT_EQ(api_->Get("/v1/jobs/" + id).status, 404);
  EXPECT_EQ(api_->Send("DELETE", "/v1/jobs/" + id).status, 404);
  Api owner(server_, Token("t2"));
  EXPECT_EQ(Json(owner.Get("/v1/jobs/" + id)).at("status").as_string(), "pending");
}

TEST_F(JobsTest, ListFiltersByStatusAndRejectsUnknownStatus) {
  InsertJob(server_, "t1", "sla_report", NowMs() + 3'600'000);
  std::string done = InsertJob(server_, "t1", "sla_report", 0, "completed", NowMs());
  auto completed = Json(api_->Get("/v1/jobs?status=completed"));
  ASSERT_EQ(completed.at("data").as_array().size(), 1u);
  EXPECT_EQ(completed.at("data").at(0).at("id").as_string(), done);
  EXPECT_EQ(completed.at("data").at(0).at("progress_pct").as_int64(), 100);
  EXPECT_EQ(Json(api_->Get("/v1/jobs")).at("data").as_array().size(), 2u);
  auto bad = api_->Get("/v1/jobs?status=done");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad).at("error").at("code").as_string(), "validation_error");
}

TEST_F(JobsTest, FinishedJobsPastTheRetentionAre404) {
  int64_t eight_days = 8LL * 24 * 3600 * 1000;
  std::string old = InsertJob(server_, "t1", "sla_report", 0, "completed", NowMs() - eight_days);
  EXPECT_EQ(api_->Get("/v1/jobs/" + old).status, 404);
  EXPECT_TRUE(Json(api_->Get("/v1/jobs")).at("data").as_array().empty());
}

TEST_F(JobsTest, ScopesApply) {
  std::string id = InsertJob(server_, "t1", "sla_report", NowMs() + 3'600'000);
  Api reader(server_, Token("t1", "read:jobs"));
  EXPECT_EQ(reader.Get("/v1/jobs/" + id).status, 200);
  EXPECT_EQ(reader.Send("DELETE", "/v1/jobs/" + id).status, 403);
}

}  // namespace
}  // namespace rapport::testing
