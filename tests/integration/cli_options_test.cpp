// The CLI as scripts and people call it, against a real rapportd: global options (--server,
// --token, --json) before, between or after the command words, `--` still ending options; and
// tables whose columns line up by display width whatever the script of the names (Cyrillic, CJK,
// combining accents, emoji), long names cut at a character boundary.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <utility>
#include <vector>

namespace rapport::testing {
namespace {

namespace json = boost::json;

// The CLI with `args` and no RAPPORT_URL/RAPPORT_TOKEN from the environment.
CommandResult RunBare(const std::string& args) {
  return RunCommand(std::string("env -u RAPPORT_URL -u RAPPORT_TOKEN ") + RAPPORT_CLI_PATH + " " +
                    args);
}

size_t DataSize(const std::string& list_json) {
  return json::parse(list_json).at("data").as_array().size();
}

TEST(CliOptionsTest, GlobalOptionsGoBeforeBetweenOrAfterTheCommand) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  std::string connect = "--server " + server.url() + " --token " + Token("t1");
  ASSERT_EQ(RunBare(connect + " sites create --name HQ --timezone UTC").exit_code, 0);
  ASSERT_EQ(RunBare("sites create --name Annex --timezone UTC " + connect).exit_code, 0);

  for (const std::string& args :
       {"--json " + connect + " sites list", "sites list --json " + connect,
        "sites --json list " + connect, connect + " sites list --limit 5 --json",
        "--json sites list --limit 5 " + connect}) {
    auto list = RunBare(args);
    ASSERT_EQ(list.exit_code, 0) << args << "\n" << list.err;
    EXPECT_EQ(DataSize(list.out), 2u) << args << "\n" << list.out;
  }
  // `--limit` is the command's own, wherever the globals are.
  EXPECT_EQ(DataSize(RunBare("sites list --limit 1 --json " + connect).out), 1u);

  // After the command, --token and --server override the environment's.
  auto bad_token = RunCli(server, "sites list --token not-a-token");
  EXPECT_EQ(bad_token.exit_code, 1);
  EXPECT_NE(bad_token.err.find("HTTP 401"), std::string::npos) << bad_token.err;
  EXPECT_EQ(RunCli(server, "sites list --server http://127.0.0.1:1").exit_code, 3);

  // `--` ends options: a --json after it is the SITE_ID, not the flag (so the 404 is for people).
  auto marked = RunCli(server, "sites get -- --json");
  EXPECT_EQ(marked.exit_code, 1);
  EXPECT_NE(marked.err.find("HTTP 404"), std::string::npos) << marked.err;
  EXPECT_EQ(marked.out, "");
  // An option no command knows is still a usage error, after the command as before it.
  EXPECT_EQ(RunCli(server, "sites list --no-such-option").exit_code, 2);
  EXPECT_EQ(RunCli(server, "--no-such-option sites list").exit_code, 2);
}

TEST(CliOptionsTest, SchedulePreviewTakesJsonAfterTheCommand) {
  const std::string preview = "schedule preview --frequency daily --from 2026-03-01T08:00:00Z -n 2";
  for (const std::string& args : {"--json " + preview, preview + " --json",
                                  std::string("schedule preview --json --frequency daily "
                                              "--from 2026-03-01T08:00:00Z -n 2")}) {
    auto out = RunBare(args);
    ASSERT_EQ(out.exit_code, 0) << args << "\n" << out.err;
    auto runs = json::parse(out.out).as_array();
    ASSERT_EQ(runs.size(), 2u) << out.out;
    EXPECT_EQ(runs[1].at("run_at").as_string(), "2026-03-02T08:00:00Z");
  }
}

TEST(CliOptionsTest, HelpIsTheCommandsOwnAndSaysGlobalOptionsGoAnywhere) {
  auto help = RunBare("sites list --help");
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("List sites"), std::string::npos) << help.out;  // not the root's help
  EXPECT_NE(help.out.find("--limit"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("may go anywhere"), std::string::npos) << help.out;
  EXPECT_NE(RunBare("--help").out.find("may go anywhere"), std::string::npos);
}

// Where each cell of an ASCII table line starts: column 0 and after every run of 2+ spaces.
std::vector<size_t> CellStarts(const std::string& line) {
  std::vector<size_t> starts{0};
  for (size_t i = 2; i < line.size(); ++i) {
    if (line[i] != ' ' && line[i - 1] == ' ' && line[i - 2] == ' ') starts.push_back(i);
  }
  return starts;
}

TEST(CliOptionsTest, SiteTableColumnsLineUpByDisplayWidth) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  std::string long_name;
  for (int i = 0; i < 15; ++i) long_name += "東京";  // 60 columns: cut to fit 48
  std::string cut;  // 23 wide characters (46 columns) and "~": 47 columns, no half character
  for (int i = 0; i < 11; ++i) cut += "東京";
  cut += "東~";
  // Each name with how many columns it takes; the cut long name as the table shows it.
  const std::vector<std::pair<std::string, size_t>> names = {
      {"HQ", 2},
      {"Москва", 6},
      {"東京オフィス", 12},
      {"Cafe\u0301 Paris", 10},  // e + combining acute accent
      {"Caf\u00e9 Lisboa", 11},  // precomposed é
      {"\U0001F680 Launch", 9},  // an emoji, 4 bytes in UTF-8
      {cut, 47}};
  int n = 0;
  for (const std::string& name : {names[0].first, names[1].first, names[2].first, names[3].first,
                                  names[4].first, names[5].first, long_name}) {
    auto created = RunCli(server, "sites create --name '" + name +
                                      "' --timezone Europe/Paris --tag k=v" + std::to_string(++n));
    ASSERT_EQ(created.exit_code, 0) << name << ": " << created.err;
  }

  auto table = RunCli(server, "sites list");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(cut), std::string::npos) << table.out;
  std::istringstream lines(table.out);
  std::string line, header;
  std::getline(lines, header);
  ASSERT_EQ(header.rfind("ID", 0), 0u) << table.out;
  std::vector<size_t> expected = CellStarts(header);
  ASSERT_EQ(expected.size(), 4u) << header;  // ID NAME TIMEZONE TAGS
  int rows = 0;
  while (std::getline(lines, line) && !line.empty()) {
    for (const auto& [name, width] : names) {
      if (size_t at = line.find(name); at != std::string::npos) {
        line.replace(at, name.size(), std::string(width, 'x'));
      }
    }
    EXPECT_EQ(CellStarts(line), expected) << "row " << rows << " of\n" << table.out;
    ++rows;
  }
  EXPECT_EQ(rows, 7) << table.out;
}

}  // namespace
}  // namespace rapport::testing
