// The example kind, registered in example_rapportd as rapportd registers its own, against a real
// server over loopback: it fires from a schedule exactly once per period, runs on demand, stores
// its report with a PDF, and its event reaches the tenant's example webhook, signed.
#include "delivery_peers.hpp"
#include "server_process.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/time.hpp>

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rapport::testing {
namespace {

namespace json = boost::json;

constexpr const char* kScopes = "read:example write:example read:webhooks write:webhooks";

class ExampleKindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.emplace(std::map<std::string, std::string>{{"RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "1"},
                                                       {"RAPPORT_WEBHOOKS_RETRY_BASE_MS", "100"},
                                                       {"RAPPORT_SCHEDULER_INTERVAL_MS", "50"},
                                                       {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
    server_->UseBinary(EXAMPLE_RAPPORTD_PATH);
    server_->Start();
    api_.emplace(*server_, Token("t1", kScopes));
  }

  // The report an accepted delivery announces, after checking the envelope and signature.
  std::string ReportOf(const ReceivedRequest& r, const std::string& secret) {
    EXPECT_EQ(r.headers.at("x-rapport-event"), "example_report.completed");
    std::string header = r.headers.at("x-rapport-signature");  // t=<unix>,v1=<hex>
    std::string t = header.substr(2, header.find(',') - 2);
    EXPECT_EQ(header.substr(header.find("v1=") + 3),
              HexEncode(HmacSha256(secret, t + "." + r.body)));
    auto envelope = json::parse(r.body);
    EXPECT_EQ(envelope.at("type").as_string(), "example_report.completed");
    return std::string(envelope.at("data").at("report_id").as_string());
  }

  WebhookReceiver receiver_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_;
};

TEST_F(ExampleKindTest, FiresFromAScheduleRunsOnDemandStoresAPdfAndReachesItsWebhook) {
  auto hook =
      api_->Send("POST", "/example/webhooks",
                 R"({"url":")" + receiver_.url() + R"(","events":["example_report.completed"]})");
  ASSERT_EQ(hook.status, 201) << hook.body;
  std::string secret(Json(hook).at("secret").as_string());
  // Another kind's event is not one of this owner's.
  auto wrong =
      api_->Send("POST", "/example/webhooks",
                 R"({"url":")" + receiver_.url() + R"(","events":["sla_report.completed"]})");
  EXPECT_EQ(wrong.status, 400) << wrong.body;

  // Due a second ago: the next scheduler tick runs it, for the day before.
  int64_t first = NowMs() - 1000;
  auto created =
      api_->Send("POST", "/example/schedules",
                 R"({"greeting":"Hello","first_run_at":")" + FormatRfc3339(first) + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string schedule(Json(created).at("id").as_string());
  ASSERT_TRUE(receiver_.WaitAccepted(1));
  std::string scheduled_report = ReportOf(receiver_.received().at(0), secret);

  auto report = api_->Get("/example/reports/" + scheduled_report);
  ASSERT_EQ(report.status, 200) << report.body;
  auto body = Json(report);
  EXPECT_EQ(body.at("schedule_id").as_string(), schedule);
  EXPECT_EQ(body.at("trigger").as_string(), "scheduled");
  EXPECT_EQ(body.at("body").at("greeting").as_string(), "Hello");
  std::string yesterday = FormatRfc3339(first - 86'400'000).substr(0, 10);
  EXPECT_EQ(body.at("date").as_string(), yesterday);
  EXPECT_TRUE(body.at("has_pdf").as_bool());
  auto pdf = api_->Get("/example/reports/" + scheduled_report + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  // The schedule moved a day on, in the kind's own table, and fired that period once.
  auto next = ParseRfc3339(
      std::string(Json(api_->Get("/example/schedules/" + schedule)).at("next_run_at").as_string()));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next / 1000, (first + 86'400'000) / 1000);

  // On demand, for a chosen day: a job the generic /v1/jobs route shows with the kind's scope.
  auto run =
      api_->Send("POST", "/example/schedules/" + schedule + "/run", R"({"date":"2026-01-15"})");
  ASSERT_EQ(run.status, 202) << run.body;
  auto job = WaitJob(*api_, std::string(Json(run).at("id").as_string()));
  EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
  ASSERT_TRUE(receiver_.WaitAccepted(2));
  std::string on_demand = ReportOf(receiver_.received().at(1), secret);
  auto second = Json(api_->Get("/example/reports/" + on_demand));
  EXPECT_EQ(second.at("trigger").as_string(), "on_demand");
  EXPECT_EQ(second.at("date").as_string(), "2026-01-15");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a few more ticks: no refire
  EXPECT_EQ(receiver_.received().size(), 2u);
  EXPECT_EQ(Sql(server_->database_url(),
                "SELECT COUNT(*) FROM schedule_runs WHERE schedule_id = '" + schedule + "'"),
            "2");

  // Bad input is the caller's mistake, in the path's dialect; another tenant sees nothing.
  auto bad = api_->Send("POST", "/example/schedules/" + schedule + "/run", R"({"date":"soon"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Json(bad).at("code").as_string(), "parameter_invalid");
  EXPECT_NE(std::string(Json(bad).at("message").as_string()).find("date"), std::string::npos);
  Api other(*server_, Token("t2", kScopes));
  EXPECT_EQ(other.Get("/example/reports/" + scheduled_report).status, 404);
  EXPECT_EQ(other.Get("/example/schedules/" + schedule).status, 404);
  // A kind's report is not another kind's: the SLA routes do not find it.
  EXPECT_EQ(Api(*server_, Token("t1", "read:sla")).Get("/reports/sla/reports/" + on_demand).status,
            404);
}

}  // namespace
}  // namespace rapport::testing
