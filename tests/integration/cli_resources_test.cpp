// The table-driven resource commands of the CLI against a real rapportd: create from --data
// (inline, @FILE, standard input), list with filters as a table or JSON, update, children
// (a schedule's runs), and jobs' cancel; errors come back with exit code 1.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;

TEST(CliResourcesTest, FaultsAndSchedulesRoundTripThroughTheCli) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  auto site = RunCli(server, "--json sites create --name HQ --timezone UTC");
  ASSERT_EQ(site.exit_code, 0) << site.err;
  std::string site_id(json::parse(site.out).at("id").as_string());
  std::string fault = R"({"resource_id":")" + site_id +
                      R"(","type":"site","severity":"HIGH","created_at":"2026-10-01T01:00:00Z"})";

  // Inline, from a file and from standard input.
  auto inline_fault = RunCli(server, "--json faults create -d '" + fault + "'");
  ASSERT_EQ(inline_fault.exit_code, 0) << inline_fault.err;
  std::string fault_id(json::parse(inline_fault.out).at("id").as_string());
  std::string file = (server.data_dir() / "fault.json").string();
  std::ofstream(file) << fault;
  EXPECT_EQ(RunCli(server, "faults create -d @" + file).exit_code, 0);
  std::string tunnel = fault;
  tunnel.replace(tunnel.find("\"site\""), 6, "\"wantunnel\"");
  EXPECT_EQ(RunCommand("echo '" + tunnel + "' | RAPPORT_URL=" + server.url() + " RAPPORT_TOKEN=" +
                       Token("t1") + " " + RAPPORT_CLI_PATH + " faults create -d -")
                .exit_code,
            0);
  EXPECT_EQ(RunCli(server, "faults create -d @/nonexistent.json").exit_code, 2);

  // A PATCH resolves one; the filtered table shows exactly that one.
  auto resolved = RunCli(
      server, "faults update " + fault_id + R"( -d '{"resolved_at":"2026-10-01T02:00:00Z"}')");
  ASSERT_EQ(resolved.exit_code, 0) << resolved.err;
  auto table = RunCli(server, "faults list --filter status=resolved");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("RESOLVED"), std::string::npos) << table.out;  // the header
  EXPECT_NE(table.out.find(fault_id), std::string::npos) << table.out;
  auto all = json::parse(RunCli(server, "--json faults list").out);
  EXPECT_EQ(all.at("data").as_array().size(), 3u);

  // An invalid body: the API's error and exit code 1.
  auto bad = RunCli(server, R"(faults create -d '{"resource_id":"x"}')");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("HTTP 400"), std::string::npos) << bad.err;

  // A schedule, run on demand; its runs through the child command; the job through `jobs`.
  auto schedule = RunCli(server, R"(--json sla-schedules create -d '{"name":"m","timezone":"UTC",)"
                                 R"("monthly":true,"day_of_month":1,"sites":[")" +
                                     site_id + R"("]}')");
  ASSERT_EQ(schedule.exit_code, 0) << schedule.err;
  std::string schedule_id(json::parse(schedule.out).at("id").as_string());
  auto run = RunCli(server, "run sla " + schedule_id + " --from 2026-10-01 --to 2026-10-31 --wait");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto runs = json::parse(RunCli(server, "--json sla-schedules runs " + schedule_id).out);
  ASSERT_EQ(runs.at("data").as_array().size(), 1u);
  EXPECT_EQ(runs.at("data").at(0).at("status").as_string(), "completed");
  auto jobs = RunCli(server, "jobs list --filter status=completed");
  EXPECT_NE(jobs.out.find("sla_report"), std::string::npos) << jobs.out;
  std::string job_id(runs.at("data").at(0).at("job_id").as_string());
  EXPECT_EQ(json::parse(RunCli(server, "--json jobs cancel " + job_id).out).at("status"),
            "completed");  // a finished job stays as it is
  EXPECT_EQ(RunCli(server, "jobs get job_000000000000000000000000000").exit_code, 1);
}

}  // namespace
}  // namespace rapport::testing
