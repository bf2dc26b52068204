#include <rapport/render/format.hpp>
#include <rapport/render/pdf.hpp>

#include "pdf_test_util.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

namespace rapport {
namespace {

namespace json = boost::json;
using render::testing::PdfFile;
using render::testing::Squeeze;
using render::testing::WithoutSpacesOrBidiMarks;

struct TestSite {
  std::string name;
  double uptime;
  int64_t downtime_seconds;
  int64_t faults;
};

json::object Report(const std::vector<TestSite>& sites, bool only_breached = false,
                    double target = 99.5) {
  json::array rows;
  int64_t breached = 0;
  double sum = 0;
  int i = 0;
  for (const auto& s : sites) {
    bool b = s.uptime < target;
    breached += b ? 1 : 0;
    sum += s.uptime;
    rows.push_back(json::object{{"site_id", fmt::format("site_{:04}", i++)},
                                {"site_name", s.name},
                                {"tags", json::object{}},
                                {"uptime_percentage", s.uptime},
                                {"downtime_seconds", s.downtime_seconds},
                                {"monitored_seconds", 2'592'000},
                                {"fault_count", s.faults},
                                {"longest_outage_seconds", s.downtime_seconds / 2},
                                {"mttr_seconds", s.faults ? s.downtime_seconds / s.faults : 0},
                                {"breached", b}});
  }
  json::array daily;
  for (int d = 1; d <= 30; ++d) {
    daily.push_back(json::object{{"date", fmt::format("2026-11-{:02}", d)},
                                 {"uptime_percentage", d == 12 ? 97.25 : 99.9}});
  }
  json::array top{json::object{{"fault_id", "flt_1"},
                               {"site_id", "site_0000"},
                               {"site_name", sites.empty() ? "x" : sites[0].name},
                               {"cause", "fiber_cut"},
                               {"started_at", "2026-11-12T03:00:00.000Z"},
                               {"resolved_at", "2026-11-12T05:30:00.000Z"},
                               {"downtime_seconds", 9000}}};
  return json::object{
      {"id", "rpt_01JTESTREPORT000000000000000"},
      {"schedule_id", "sla_0123456789abcdefghijklmnopq"},
      {"schedule_name", "Customer network, November"},
      {"trigger", "on_demand"},
      {"from_date", "2026-11-01"},
      {"to_date", "2026-11-30"},
      {"timezone", "Europe/Berlin"},
      {"settings",
       json::object{{"sla_target", target}, {"show_only_breached_sites_in_pdf", only_breached}}},
      {"uptime_percentage",
       sites.empty() ? json::value(nullptr)
                     : json::value(std::round(sum / double(sites.size()) * 1000) / 1000)},
      {"site_count", static_cast<int64_t>(sites.size())},
      {"breached_site_count", breached},
      {"sites", std::move(rows)},
      {"groups", json::array{}},
      {"daily", std::move(daily)},
      {"top_faults", std::move(top)},
      {"tenant_id", "acme"},
      {"methodology_version", 1},
      {"created_at", "2026-12-01T07:00:00.000Z"}};
}

std::vector<TestSite> ManySites(int n) {
  std::vector<TestSite> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({fmt::format("Site {:04}", i), 100.0 - (i % 7) * 0.125, (i % 7) * 3240, i % 7});
  }
  return out;
}

TEST(SlaPdf, WritesThePageCountItPrintsInEveryFooter) {
  PdfFile pdf(Report(ManySites(300)), RenderSlaPdf);
  int pages = pdf.Pages();
  EXPECT_GT(pages, 5);
  for (int p = 1; p <= pages; ++p) {
    EXPECT_NE(pdf.Text(p).find(fmt::format("page {} of {}", p, pages)), std::string::npos) << p;
  }
}

TEST(SlaPdf, ShowsTheKpisAndEverySiteRowWithTheJsonNumbers) {
  json::object report = Report(ManySites(120));
  PdfFile pdf(report, RenderSlaPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  EXPECT_NE(text.find(FormatPercent(*report.at("uptime_percentage").if_double()) + " %"),
            std::string::npos);
  int64_t breached = report.at("breached_site_count").as_int64();
  // The tiles read across: labels, then values, then notes.
  EXPECT_NE(text.find(fmt::format("Overall uptime Sites meeting the target Sites breaching the "
                                  "target {} % {} of 120 {}",
                                  FormatPercent(report.at("uptime_percentage").as_double()),
                                  FormatCount(120 - breached), breached)),
            std::string::npos)
      << text.substr(0, 1200);
  for (const auto& s : report.at("sites").as_array()) {
    const auto& site = s.as_object();
    std::string row = fmt::format("{} {} {} {} {} {}", site.at("site_name").as_string().c_str(),
                                  FormatPercent(site.at("uptime_percentage").as_double()),
                                  FormatHoursMinutes(site.at("downtime_seconds").as_int64()),
                                  site.at("fault_count").as_int64(),
                                  FormatHoursMinutes(site.at("longest_outage_seconds").as_int64()),
                                  FormatHoursMinutes(site.at("mttr_seconds").as_int64()));
    EXPECT_NE(text.find(row), std::string::npos) << row;
  }
}

TEST(SlaPdf, ListsSitesWorstFirst) {
  PdfFile pdf(Report({{"Best", 100.0, 0, 0}, {"Worst", 97.5, 64800, 3}, {"Middle", 99.9, 2592, 1}}),
              RenderSlaPdf);
  std::string text = pdf.Text(0, true);
  auto worst = text.find("Worst "), middle = text.find("Middle "), best = text.find("Best ");
  ASSERT_NE(best, std::string::npos);
  EXPECT_LT(text.find("Worst ", text.find("Sites, worst first")), middle);
  EXPECT_LT(middle, best);
  (void)worst;
}

TEST(SlaPdf, BreachedOnlyModeListsOnlyBreachedSitesWhileTotalsCoverAll) {
  std::vector<TestSite> sites{{"Alpha ok", 100.0, 0, 0},
                              {"Bravo down", 98.0, 51840, 2},
                              {"Charlie ok", 99.9, 2592, 1},
                              {"Delta down", 99.0, 25920, 4}};
  PdfFile pdf(Report(sites, /*only_breached=*/true), RenderSlaPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  EXPECT_NE(text.find("Bravo down 98.000"), std::string::npos);
  EXPECT_NE(text.find("Delta down 99.000"), std::string::npos);
  EXPECT_EQ(text.find("Alpha ok 100.000"), std::string::npos);
  EXPECT_EQ(text.find("Charlie ok 99.900"), std::string::npos);
  EXPECT_NE(text.find("Only the 2 sites that breached the target are listed"), std::string::npos);
  // Means and sums over all four sites: (100 + 98 + 99.9 + 99) / 4, 0 + 51840 + 2592 + 25920 s.
  EXPECT_NE(text.find("99.225 % 2 of 4 2 mean of 4 sites"), std::string::npos);
  EXPECT_NE(text.find("Total downtime Faults Worst site 22:19 7 98.000 %"), std::string::npos)
      << text.substr(0, 900);

  PdfFile none(Report({{"Alpha ok", 100.0, 0, 0}}, true), RenderSlaPdf);
  EXPECT_NE(none.Text().find("No site breached the target."), std::string::npos);
}

TEST(SlaPdf, NamesInAnyScriptComeOutIntact) {
  const std::vector<std::string> names{
      "Zürich Hauptbahnhof", "Москва-Сити",  "Αθήνα Κέντρο", "東京データセンター",
      "서울 본사",           "תל אביב מרכז", "مركز دبي"};
  std::vector<TestSite> sites;
  for (const auto& n : names) sites.push_back({n, 99.0, 25920, 1});
  PdfFile pdf(Report(sites), RenderSlaPdf);
  std::string text = WithoutSpacesOrBidiMarks(pdf.Text());
  for (const auto& n : names) {
    EXPECT_NE(text.find(WithoutSpacesOrBidiMarks(n)), std::string::npos) << n;
  }
  // Left-to-right names also keep their spaces.
  for (const auto& n : {names[0], names[1], names[2], names[4]}) {
    EXPECT_NE(pdf.Text().find(n), std::string::npos) << n;
  }
  // Every glyph came from an embedded font: no font is substituted when the PDF is viewed.
  std::string fonts = render::testing::Run("pdffonts '" + pdf.path().string() + "'");
  EXPECT_EQ(fonts.find(" no  "), std::string::npos) << fonts;
}

TEST(SlaPdf, LongNamesAreEllipsizedInsideTheirCell) {
  std::string long_name = "Very long site name " + std::string(200, 'x') + " TAILMARK";
  PdfFile pdf(Report({{long_name, 99.0, 25920, 1}}), RenderSlaPdf);
  // Drawn, the name ends in an ellipsis within its cell (190 pt at most); the ellipsis carries the
  // elided text as /ActualText, so extracting or copying it still gives the whole name.
  std::string words =
      render::testing::Run("pdftotext -bbox -enc UTF-8 '" + pdf.path().string() + "' -");
  int seen = 0;
  for (size_t at = words.find("TAILMARK</word>"); at != std::string::npos;
       at = words.find("TAILMARK</word>", at + 1)) {
    size_t word = words.rfind("<word ", at);
    double x_min = std::stod(words.substr(words.find("xMin=\"", word) + 6));
    double x_max = std::stod(words.substr(words.find("xMax=\"", word) + 6));
    EXPECT_LT(x_max - x_min, 190.0);
    ++seen;
  }
  EXPECT_EQ(seen, 3);  // the worst-site tile, the table row, the appendix row
}

TEST(SlaPdf, SameReportGivesTheSameBytesAndCarriesItsMetadata) {
  json::object report = Report(ManySites(40));
  PdfFile first(report, RenderSlaPdf);
  PdfFile second(report, RenderSlaPdf);
  ASSERT_FALSE(first.bytes().empty());
  EXPECT_EQ(first.bytes(), second.bytes());
  auto info = first.Info();
  EXPECT_EQ(info["Author"], "Rapport");
  EXPECT_EQ(info["Title"], "SLA report: Customer network, November (2026-11-01 to 2026-11-30)");
  EXPECT_EQ(info["CreationDate"].substr(0, 19), "2026-12-01T07:00:00");
}

TEST(SlaPdf, HasGroupRowsAndTheTopFaultsAppendix) {
  json::object report = Report(ManySites(10));
  report["groups"] = json::array{json::object{{"key", "region"},
                                              {"value", "north"},
                                              {"aggregation", "avg"},
                                              {"uptime_percentage", 99.321},
                                              {"site_count", 6},
                                              {"breached_site_count", 4},
                                              {"breached", true}}};
  PdfFile pdf(report, RenderSlaPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  EXPECT_NE(text.find("region = north avg 99.321 6 4 ✗ breached"), std::string::npos) << text;
  std::string last = Squeeze(pdf.Text(pdf.Pages(), true));
  EXPECT_NE(last.find("Appendix: the faults that cost the most downtime"), std::string::npos);
  // 03:00Z is 04:00 in Berlin; 9000 s is 2:30.
  EXPECT_NE(last.find("1 Site 0000 fiber_cut 2026-11-12 04:00 2026-11-12 06:30 2:30"),
            std::string::npos)
      << last;
}

// `report` as methodology 2 writes it: error budgets per site, group and in total (target 99.5 %
// over 2,592,000 monitored seconds allows 12,960 s per site) and one maintenance window.
json::object WithBudgets(json::object report) {
  int64_t budget = 0, down = 0, exhausted = 0;
  for (auto& s : report.at("sites").as_array()) {
    auto& site = s.as_object();
    int64_t d = site.at("downtime_seconds").as_int64();
    site["maintenance_seconds"] = 0;
    site["error_budget_seconds"] = 12'960;
    site["budget_remaining_seconds"] = 12'960 - d;
    site["budget_remaining_percent"] = std::round(100000.0 * (12'960 - d) / 12'960) / 1000;
    site["burn_rate"] = std::round(1000.0 * d / 12'960) / 1000;
    site["budget_exhausted"] = d >= 12'960;
    budget += 12'960;
    down += d;
    exhausted += d >= 12'960 ? 1 : 0;
  }
  report["error_budget_seconds"] = budget;
  report["budget_remaining_seconds"] = budget - down;
  report["budget_remaining_percent"] = std::round(100000.0 * (budget - down) / budget) / 1000;
  report["burn_rate"] = std::round(1000.0 * down / budget) / 1000;
  report["budget_exhausted_site_count"] = exhausted;
  report["budget_exhausted_group_count"] = 0;
  report["maintenance_windows"] =
      json::array{json::object{{"id", "mw_1"},
                               {"name", "Sunday patching"},
                               {"type", "weekly"},
                               {"timezone", "Europe/Berlin"},
                               {"site_count", 12},
                               {"maintenance_seconds", 14'400},
                               {"first_start", "2026-11-01T01:00:00.000Z"},
                               {"last_end", "2026-11-29T03:00:00.000Z"}}};
  report["methodology_version"] = 2;
  return report;
}

TEST(SlaPdf, ShowsErrorBudgetsPerSiteAndInTotalAndTheMaintenanceWindows) {
  // Bravo: 51,840 s down of 12,960 allowed: -10:48 left, burn 4.00×. Alpha: 12,960 left, 3:36.
  json::object report =
      WithBudgets(Report({{"Alpha ok", 100.0, 0, 0}, {"Bravo down", 98.0, 51840, 2}}));
  PdfFile pdf(report, RenderSlaPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  EXPECT_NE(text.find("Bravo down 98.000 14:24 2 7:12 7:12 -10:48 4.00× ✗ breached"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Alpha ok 100.000 0:00 0 0:00 0:00 3:36 0.00× ✓ met"), std::string::npos);
  // Pooled: 25,920 s allowed, 51,840 spent: -7:12 left (-100 %), burn 2.00×, 1 site out.
  EXPECT_NE(text.find("Error budget left Burn rate Sites out of budget -7:12 2.00× 1"),
            std::string::npos)
      << text.substr(0, 1500);
  EXPECT_NE(text.find("of 7:12 allowed (-100.000 %)"), std::string::npos);
  // 01:00Z is 02:00 in Berlin (CET); 14,400 s is 4:00.
  EXPECT_NE(text.find("Sunday patching weekly 12 4:00 2026-11-01 02:00 2026-11-29 04:00"),
            std::string::npos)
      << text;
}

TEST(SlaPdf, MethodologyOneReportsRenderWithoutBudgets) {
  PdfFile pdf(Report({{"Alpha ok", 100.0, 0, 0}}), RenderSlaPdf);
  std::string text = Squeeze(pdf.Text(0, true));
  EXPECT_EQ(text.find("Error budget"), std::string::npos);
  EXPECT_EQ(text.find("Maintenance windows"), std::string::npos);
  EXPECT_NE(text.find("Alpha ok 100.000 0:00 0 0:00 0:00 ✓ met"), std::string::npos);
}

TEST(SlaPdf, AReportWithoutSitesStillRenders) {
  PdfFile pdf(Report({}), RenderSlaPdf);
  EXPECT_EQ(pdf.Pages(), 2);  // summary, then the appendix
  EXPECT_NE(pdf.Text(1).find("The schedule selected no sites."), std::string::npos);
}

TEST(SlaPdf, ThreadsRenderingAtOnceGetTheSameBytes) {
  json::object report = Report(ManySites(150));
  auto expected = RenderPdfToString(report, RenderSlaPdf);
  ASSERT_TRUE(expected.ok());
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  for (auto& out : outputs) {
    threads.emplace_back([&report, &out] {
      for (int i = 0; i < 3; ++i) {
        auto pdf = RenderPdfToString(report, RenderSlaPdf);
        out = pdf.ok() ? *pdf : "";
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& out : outputs) EXPECT_TRUE(out == *expected);
}

TEST(SlaPdf, ASinkThatRefusesBytesFailsTheRenderWithoutCrashing) {
  for (int refuse_after : {0, 1, 5}) {
    int calls = 0;
    PdfSink refusing = [&](std::string_view) { return calls++ < refuse_after; };
    Status status = RenderSlaPdf(Report(ManySites(5)), refusing);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code(), ErrorCode::kInternal);
    EXPECT_EQ(calls, refuse_after + 1);  // nothing offered after the refusal
  }
}

}  // namespace
}  // namespace rapport
