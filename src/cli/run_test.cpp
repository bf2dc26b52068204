#include "run.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport::cli {
namespace {

TEST(ProgressLine, DrawsTheShareDoneAndTheStep) {
  EXPECT_EQ(ProgressLine("loading faults", 1, 4, 8), "[##......]  25%  loading faults (1/4)");
  EXPECT_EQ(ProgressLine("rendering PDF", 3, 3, 8), "[########] 100%  rendering PDF (3/3)");
  EXPECT_EQ(ProgressLine("x", 0, 3, 4), "[....]   0%  x (0/3)");
  // Out-of-range counts are clamped; no total yet shows the step alone.
  EXPECT_EQ(ProgressLine("x", 9, 3, 4), "[####] 100%  x (3/3)");
  EXPECT_EQ(ProgressLine("queued", 0, 0, 4), "queued");
  EXPECT_EQ(ProgressLine("", 0, 0, 4), "waiting for a worker");
}

TEST(PdfDownloads, OneReportGoesToTheFileSeveralGetTheirIdInTheName) {
  auto sla = PdfDownloads(boost::json::parse(R"({"report_id":"rpt_a"})"), false, "out/x.pdf");
  ASSERT_EQ(sla.size(), 1u);
  EXPECT_EQ(sla[0].first, "/reports/sla/reports/rpt_a/pdf");
  EXPECT_EQ(sla[0].second, "out/x.pdf");

  auto one = PdfDownloads(boost::json::parse(R"({"report_ids":["rpt_b"]})"), true, "x.pdf");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].first, "/v1/reports/rpt_b/pdf");
  EXPECT_EQ(one[0].second, "x.pdf");

  auto two =
      PdfDownloads(boost::json::parse(R"({"report_ids":["rpt_b","rpt_c"]})"), true, "out/x.pdf");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].second, "out/x-rpt_b.pdf");
  EXPECT_EQ(two[1].second, "out/x-rpt_c.pdf");
  EXPECT_EQ(PdfDownloads(boost::json::parse(R"({"report_ids":["a","b"]})"), true, "-")[1].second,
            "-");
}

}  // namespace
}  // namespace rapport::cli
