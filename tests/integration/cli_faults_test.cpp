// `rapport faults import FILE.csv` against a real rapportd: the count on success, each bad row
// on its own line and exit code 1 on refusal, nothing stored then.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;

TEST(CliFaultsTest, ImportPrintsTheCountOrEachBadRow) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  auto site = RunCli(server, "--json sites create --name HQ --timezone UTC");
  ASSERT_EQ(site.exit_code, 0) << site.err;
  std::string site_id(json::parse(site.out).at("id").as_string());

  std::string good = (server.data_dir() / "good.csv").string();
  std::ofstream(good) << "external_id,resource_id,type,severity,created_at,cause\n"
                      << "t-1," << site_id << ",site,HIGH,2026-10-01T01:00:00Z,\"Fibre cut, A1\"\n"
                      << "t-2," << site_id << ",site,LOW,2026-10-02T01:00:00Z,Power\n";
  auto r = RunCli(server, "faults import " + good);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 of 2 rows (0 already there)\n");
  r = RunCli(server, "faults import " + good);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 0 of 2 rows (2 already there)\n");
  r = RunCli(server, "--json faults import " + good);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("rows").as_int64(), 2);

  std::string bad = (server.data_dir() / "bad.csv").string();
  std::ofstream(bad) << "resource_id,type,severity\n"
                     << site_id << ",site,HIGH\n"
                     << site_id << ",site,URGENT\n"
                     << "site_nowhere,site,LOW\n";
  r = RunCli(server, "faults import " + bad);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\n  row 3, column severity: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\n  row 4, column resource_id: "), std::string::npos) << r.err;
  auto all = json::parse(RunCli(server, "--json faults list").out);
  EXPECT_EQ(all.at("data").as_array().size(), 2u);

  EXPECT_EQ(RunCli(server, "faults import /nonexistent.csv").exit_code, 2);
  auto help = RunCli(server, "faults import --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("external_id"), std::string::npos) << help.out;
  auto completion = RunCli(server, "completion bash");
  EXPECT_NE(completion.out.find("import"), std::string::npos);
}

}  // namespace
}  // namespace rapport::testing
