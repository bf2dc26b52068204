#include <rapport/sla/sla_email.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

json::object Report(int breached_sites) {
  json::array sites;
  for (int i = 0; i < breached_sites; ++i) {
    sites.push_back(json::object{{"site_name", "site " + std::to_string(i)},
                                 {"uptime_percentage", 99.0 - i * 0.5},
                                 {"breached", true}});
  }
  sites.push_back(
      json::object{{"site_name", "fine"}, {"uptime_percentage", 100.0}, {"breached", false}});
  return json::object{{"schedule_name", "Prod <EU> & \"core\""},
                      {"from_date", "2026-01-01"},
                      {"to_date", "2026-01-31"},
                      {"timezone", "Europe/Berlin"},
                      {"uptime_percentage", 99.25},
                      {"settings", json::object{{"sla_target", 99.9}}},
                      {"sites", std::move(sites)}};
}

TEST(SlaReportEmail, NamesTheScheduleThePeriodAndTheUptime) {
  EmailContent c = SlaReportEmail(Report(0)).value();
  EXPECT_EQ(c.subject, "SLA report Prod <EU> & \"core\", 2026-01-01 to 2026-01-31: 99.250 %");
  ASSERT_EQ(c.attachments.size(), 1u);
  EXPECT_EQ(c.attachments[0].name, "sla-report-2026-01-01-to-2026-01-31.pdf");
  EXPECT_EQ(c.attachments[0].artifact, "report.pdf");
  EXPECT_EQ(c.text,
            "SLA report: Prod <EU> & \"core\"\r\nPeriod: 2026-01-01 to 2026-01-31 (Europe/Berlin)"
            "\r\nOverall uptime: 99.250 % (target 99.900 %)\r\nSites breaching the target: 0\r\n"
            "\r\nThe full report is attached as a PDF.\r\n");
  EXPECT_EQ(c.html,
            "<html><body><h2>SLA report: Prod &lt;EU&gt; &amp; &quot;core&quot;</h2><p>Period: "
            "2026-01-01 to 2026-01-31 (Europe/Berlin)<br>Overall uptime: <b>99.250 %</b> (target "
            "99.900 %)<br>Sites breaching the target: <b>0</b></p><p>The full report is attached "
            "as a PDF.</p></body></html>");
}

TEST(SlaReportEmail, ListsTenBreachingSitesLowestUptimeFirst) {
  EmailContent c = SlaReportEmail(Report(12)).value();
  EXPECT_NE(c.text.find("Sites breaching the target: 12\r\n  - site 11: 93.500 %\r\n"),
            std::string::npos);
  EXPECT_NE(c.text.find("  - site 2: 98.000 %\r\n  … and 2 more in the PDF\r\n"),
            std::string::npos);
  EXPECT_EQ(c.text.find("site 1:"), std::string::npos);
  EXPECT_NE(c.html.find("<ul><li>site 11: 93.500 %</li>"), std::string::npos);
  EXPECT_NE(c.html.find("<li>… and 2 more in the PDF</li></ul>"), std::string::npos);
}

TEST(SlaReportEmail, MissingFiguresReadAsADash) {
  EmailContent c = SlaReportEmail(json::object{}).value();
  EXPECT_EQ(c.subject, "SLA report ,  to : – %");
  EXPECT_NE(c.text.find("Overall uptime: – % (target – %)"), std::string::npos);
  EXPECT_EQ(c.attachments.at(0).name, "sla-report--to-.pdf");
}

TEST(SlaReportEmail, AttachesTheExportsTheScheduleNames) {
  json::object report = Report(1);
  report["created_at"] = "2026-02-01T06:00:00Z";
  report["settings"].as_object()["attachments"] = json::array{"csv", "xlsx"};
  EmailContent c = SlaReportEmail(report).value();
  std::vector<std::string> names;
  for (const auto& a : c.attachments) names.push_back(a.name);
  std::string stem = "sla-report-2026-01-01-to-2026-01-31";
  EXPECT_EQ(names,
            (std::vector<std::string>{stem + "-sites.csv", stem + "-groups.csv",
                                      stem + "-faults.csv", stem + "-daily.csv", stem + ".xlsx"}));
  EXPECT_TRUE(c.attachments[0].bytes.starts_with("site_id,site_name,tags,uptime_percentage"));
  EXPECT_TRUE(c.attachments[4].bytes.starts_with("PK"));
  EXPECT_EQ(c.attachments[4].bytes, SlaReportEmail(report).value().attachments[4].bytes);
  EXPECT_NE(c.text.find("Attached: its tables as CSV files, its tables as an XLSX workbook."),
            std::string::npos);
}

}  // namespace
}  // namespace rapport
