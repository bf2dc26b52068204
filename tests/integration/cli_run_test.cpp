// `rapport run sla … --wait -o FILE` against a real rapportd: the job's progress is shown step by
// step (standard error is not a terminal here, so one line per step), the PDF lands in FILE, and
// the exit codes tell a script what happened (0 done, 1 refused, 2 usage, 4 the job did not
// complete).
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

namespace rapport::testing {
namespace {

namespace fs = std::filesystem;

class CliRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
    std::string sites;
    for (const char* name : {"Lisbon", "Porto", "Tokyo"}) {
      auto site = api_->Send("POST", "/sites",
                             R"({"name":")" + std::string(name) + R"(","timezone":"UTC"})");
      ASSERT_EQ(site.status, 201) << site.body;
      sites += (sites.empty() ? "\"" : ",\"") + std::string(Json(site).at("id").as_string()) + "\"";
    }
    auto schedule =
        api_->Send("POST", "/reports/sla/schedules",
                   R"({"name":"monthly","timezone":"UTC","monthly":true,"day_of_month":1,)"
                   R"("sites":[)" +
                       sites + "]}");
    ASSERT_EQ(schedule.status, 201) << schedule.body;
    schedule_ = std::string(Json(schedule).at("id").as_string());
  }

  CommandResult Cli(const std::string& args) { return RunCli(server_, args); }

  std::string RunArgs() const {
    return "run sla " + schedule_ + " --from 2026-01-01 --to 2026-01-31";
  }

  // Each progress step pauses, so the CLI sees the job move.
  ServerProcess server_{{{"RAPPORT_JOB_STEP_DELAY_MS", "400"}}};
  std::optional<Api> api_;
  std::string schedule_;
};

TEST_F(CliRunTest, WaitShowsEachStepAndSavesThePdf) {
  fs::path pdf = server_.data_dir() / "january.pdf";
  CommandResult r = Cli(RunArgs() + " --wait -o " + pdf.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One line per step: the sites being read (of 3), then the rendering, at 100 %.
  EXPECT_NE(r.err.find("loading faults (0/3)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("] 100%  rendering PDF (3/3)"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"report_id\""), std::string::npos) << r.out;
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  auto reports = Json(api_->Get("/reports/sla/reports?schedule_id=" + schedule_)).at("data");
  ASSERT_EQ(reports.as_array().size(), 1u);
  std::string id(reports.at(0).at("id").as_string());
  EXPECT_EQ(bytes, api_->Get("/reports/sla/reports/" + id + "/pdf").body);
}

TEST_F(CliRunTest, JsonPrintsTheFinishedJobAndWithoutWaitOnlyQueues) {
  CommandResult done = Cli("--json " + RunArgs() + " --wait");
  ASSERT_EQ(done.exit_code, 0) << done.err;
  auto job = boost::json::parse(done.out);
  EXPECT_EQ(job.at("status").as_string(), "completed");
  EXPECT_EQ(job.at("attempts").as_int64(), 1);

  CommandResult queued = Cli(RunArgs());
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  EXPECT_EQ(queued.out.rfind("job job_", 0), 0u) << queued.out;
  EXPECT_NE(queued.out.find(" queued"), std::string::npos) << queued.out;
}

TEST_F(CliRunTest, ExitCodesTellRefusedUsageAndAJobThatDidNotComplete) {
  EXPECT_EQ(
      Cli("run sla sla_000000000000000000000000000 --from 2026-01-01 --to 2026-01-31").exit_code,
      1);
  CommandResult backwards = Cli("run sla " + schedule_ + " --from 2026-02-01 --to 2026-01-01");
  EXPECT_EQ(backwards.exit_code, 1);
  EXPECT_NE(backwards.err.find("HTTP 400"), std::string::npos) << backwards.err;
  EXPECT_EQ(Cli("run sla " + schedule_ + " --from 2026-01-01").exit_code, 2);  // --to missing
  EXPECT_EQ(
      Cli("run sla " + schedule_ + " --from 2026-01-01 --to 2026-01-31 --timeout 0").exit_code, 2);

  // The job is cancelled while the CLI follows it: exit 4.
  auto waiting = std::async(std::launch::async, [&] { return Cli(RunArgs() + " --wait"); });
  std::string job_id;
  ASSERT_TRUE(WaitFor([&] {
    auto jobs = Json(api_->Get("/v1/jobs?status=processing")).at("data").as_array();
    if (jobs.empty()) return false;
    job_id = std::string(jobs[0].at("id").as_string());
    return true;
  }));
  EXPECT_EQ(api_->Send("DELETE", "/v1/jobs/" + job_id).status, 200);
  CommandResult cancelled = waiting.get();
  EXPECT_EQ(cancelled.exit_code, 4) << cancelled.err;
  EXPECT_NE(cancelled.err.find("cancelled"), std::string::npos) << cancelled.err;
}

}  // namespace
}  // namespace rapport::testing
