// The table-driven resource commands of the CLI against a real rapportd: create from --data
// (inline, @FILE, standard input), list with filters as a table or JSON, update, children
// (a schedule's runs), jobs' cancel, and the actions beyond those (bulk faults, prompts,
// attaching region configs, facts, webhook endpoints); errors come back with exit code 1.
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

// The operations beyond list/get/create/update/delete: sub-resources and actions of both
// dialects, each checked through the API afterwards.
TEST(CliResourcesTest, ActionsAndSubResourcesOfBothDialects) {
  ServerProcess server(std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                                                          {"RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "1"}});
  server.Start();
  Api api(server, Token("t1"));
  auto json_of = [&](const std::string& args) {
    auto r = RunCli(server, "--json " + args);
    EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::value();
  };

  // Sites and faults.
  std::string site(json_of("sites create --name HQ --timezone UTC").at("id").as_string());
  EXPECT_EQ(json_of("sites update " + site + R"( -d '{"name":"Head office"}')").at("name"),
            "Head office");
  auto bulk = json_of(
      R"(faults bulk -d '{"faults":[{"resource_id":")" + site +
      R"(","type":"site","severity":"LOW","created_at":"2026-10-01T01:00:00Z"},)"
      R"({"resource_id":")" +
      site + R"(","type":"site","severity":"HIGH","created_at":"2026-10-02T01:00:00Z"}]}')");
  EXPECT_EQ(bulk.at("meta").at("count").as_int64(), 2);
  EXPECT_EQ(Json(api.Get("/faults")).at("data").as_array().size(), 2u);

  // Brands: update, facts.
  std::string brand(
      json_of("brands create --name Acme --website https://acme.example.com").at("id").as_string());
  EXPECT_EQ(json_of("brands update " + brand + R"( -d '{"competitors":["Globex"]}')")
                .at("competitors")
                .at(0)
                .at("name"),
            "Globex");
  json_of("brands set-facts " + brand + R"( -d '{"founded_year":2011}')");
  EXPECT_EQ(json_of("brands facts " + brand).at("founded_year").as_int64(), 2011);

  // Region configs and their prompts; a schedule that runs them.
  std::string schedule(json_of(R"(brand-schedules create -d '{"brand_id":")" + brand +
                               R"(","name":"Weekly","frequency":"weekly"}')")
                           .at("id")
                           .as_string());
  std::string config(json_of(R"(region-configs create -d '{"brand_id":")" + brand +
                             R"(","name":"US","country":"US","language":"en",)"
                             R"("ai_platforms":["chatgpt"]}')")
                         .at("id")
                         .as_string());
  auto prompts = json_of("region-configs add-prompts " + config +
                         R"( -d '{"prompts":[{"prompt_text":"Best analytics tool?"},)"
                         R"({"prompt_text":"Cheapest analytics tool?"}]}')");
  ASSERT_EQ(prompts.at("data").as_array().size(), 2u);
  std::string first(prompts.at("data").at(0).at("id").as_string());
  std::string second(prompts.at("data").at(1).at("id").as_string());
  EXPECT_EQ(json_of("region-configs update-prompt " + config + " " + first +
                    R"( -d '{"category":"discovery"}')")
                .at("category"),
            "discovery");
  EXPECT_EQ(RunCli(server, "region-configs delete-prompt " + config + " " + second).exit_code, 0);
  EXPECT_EQ(Json(api.Get("/v1/region-configs/" + config + "/prompts")).at("data").as_array().size(),
            1u);
  EXPECT_EQ(RunCli(server, "brand-schedules attach " + schedule + " " + config).exit_code, 0);
  auto attached = json_of("brand-schedules region-configs " + schedule);
  ASSERT_EQ(attached.at("data").as_array().size(), 1u);
  EXPECT_EQ(attached.at("data").at(0).at("id").as_string(), config);
  EXPECT_TRUE(json_of("brand-schedules analytics " + schedule).is_object());
  // A wrong id is the API's 404: exit code 1, the message on standard error.
  auto missing = RunCli(server, "brand-reports summary rpt_000000000000000000000000000");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("404"), std::string::npos) << missing.err;

  // Webhook endpoints, SLA side and a brand's: create, show, change, rotate, delete.
  auto hook = json_of(
      "webhooks create --url http://127.0.0.1:9/in --event "
      "sla_report.completed --event sla_report.failed");
  std::string hook_id(hook.at("id").as_string());
  EXPECT_EQ(hook.at("secret").as_string().rfind("whsec_", 0), 0u);
  EXPECT_EQ(json_of("webhooks get " + hook_id).at("events").as_array().size(), 2u);
  EXPECT_FALSE(
      json_of("webhooks update " + hook_id + R"( -d '{"enabled":false}')").at("enabled").as_bool());
  EXPECT_NE(json_of("webhooks rotate-secret " + hook_id).at("secret"), hook.at("secret"));
  EXPECT_EQ(RunCli(server, "webhooks delete " + hook_id).exit_code, 0);
  EXPECT_EQ(api.Get("/reports/sla/webhooks/" + hook_id).status, 404);
  auto brand_hook = json_of("webhooks create --brand " + brand +
                            " --url http://127.0.0.1:9/b --event report.completed");
  EXPECT_EQ(brand_hook.at("brand_id").as_string(), brand);
  EXPECT_EQ(Json(api.Get("/v1/brands/" + brand + "/webhooks")).at("data").as_array().size(), 1u);
  auto unknown =
      RunCli(server, "webhooks redeliver " + std::string(brand_hook.at("id").as_string()) +
                         " dlv_000000000000000000000000000 --brand " + brand);
  EXPECT_EQ(unknown.exit_code, 1) << unknown.out;
}

}  // namespace
}  // namespace rapport::testing
