// `rapport schedule preview` as operators run it: JSON output across a DST change, errors.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdio>
#include <string>

namespace {

std::pair<int, std::string> RunCli(const std::string& args) {
  std::string cmd = std::string(RAPPORT_CLI_PATH) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WEXITSTATUS(status), out};
}

TEST(SchedulePreviewCli, SlaWeeklyAcrossLondonSpringForward) {
  auto [code, out] = RunCli(
      "--json schedule preview --sla --weekly --day-of-week sunday --timezone Europe/London "
      "--at 01:30 --from 2026-03-20T00:00:00Z -n 2");
  ASSERT_EQ(code, 0) << out;
  auto runs = boost::json::parse(out).as_array();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].at("run_at").as_string(), "2026-03-22T01:30:00Z");
  EXPECT_EQ(runs[0].at("local").as_string(), "2026-03-22T01:30:00+00:00");
  // 01:30 does not exist on 2026-03-29: the first valid instant after it is 02:00 BST.
  EXPECT_EQ(runs[1].at("run_at").as_string(), "2026-03-29T01:00:00Z");
  EXPECT_EQ(runs[1].at("local").as_string(), "2026-03-29T02:00:00+01:00");
  EXPECT_EQ(runs[1].at("from_date").as_string(), "2026-03-22");
  EXPECT_EQ(runs[1].at("to_date").as_string(), "2026-03-28");
}

TEST(SchedulePreviewCli, FrequencyMonthlyClampsAtMonthEnd) {
  auto [code, out] =
      RunCli("--json schedule preview --frequency monthly --from 2026-01-31T09:00:00Z -n 3");
  ASSERT_EQ(code, 0) << out;
  auto runs = boost::json::parse(out).as_array();
  EXPECT_EQ(runs[1].at("run_at").as_string(), "2026-02-28T09:00:00Z");
  EXPECT_EQ(runs[2].at("run_at").as_string(), "2026-03-31T09:00:00Z");
}

TEST(SchedulePreviewCli, BadInputIsAUsageErrorWithAReason) {
  auto [code, out] = RunCli("schedule preview --sla --daily --timezone Nowhere/City");
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("Nowhere/City"), std::string::npos);
  auto both = RunCli("schedule preview --sla --daily --frequency daily");
  EXPECT_EQ(both.first, 2);
  auto bad_from = RunCli("schedule preview --frequency daily --from yesterday");
  EXPECT_EQ(bad_from.first, 2);
}

}  // namespace
