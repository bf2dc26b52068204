#include "fonts.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "pdf_test_util.hpp"

namespace rapport::render {
namespace {

namespace json = boost::json;

json::object ReportNaming(const std::string& site) {
  return json::object{{"schedule_name", "November"},
                      {"sites", json::array{json::object{{"site_name", site}}}}};
}

TEST(RestrictedFonts, CoverLatinGreekCyrillicCjkAndTheVerdictMarks) {
  EXPECT_TRUE(RestrictedFontsCover(ReportNaming("Zürich Αθήνα Москва 東京 서울 とうきょう"), ""));
  EXPECT_TRUE(RestrictedFontsCover(ReportNaming("✓ met · ✗ breached – 1,234"), "Acme GmbH"));
  EXPECT_TRUE(RestrictedFontsCover(ReportNaming("line one\nline two"), ""));
}

TEST(RestrictedFonts, LeaveOtherScriptsAndBadUtf8ToTheSystemFonts) {
  EXPECT_FALSE(RestrictedFontsCover(ReportNaming("กรุงเทพ"), ""));       // Thai
  EXPECT_FALSE(RestrictedFontsCover(ReportNaming("नई दिल्ली"), ""));     // Devanagari
  EXPECT_FALSE(RestrictedFontsCover(ReportNaming("Berlin"), "ኢትዮጵያ"));  // in the branding
  EXPECT_FALSE(RestrictedFontsCover(ReportNaming(std::string("bad \xff byte")), ""));
}

TEST(RestrictedFonts, AreAFontMapOfTheirOwnKeptPerThread) {
  PangoFontMap* system = FontMapForThread(false);
  PangoFontMap* restricted = FontMapForThread(true);
  ASSERT_NE(system, nullptr);
  ASSERT_NE(restricted, nullptr);
  EXPECT_NE(restricted, system);
  EXPECT_EQ(FontMapForThread(true), restricted);
  EXPECT_EQ(FontMapForThread(false), system);
}

// A Thai site name (not covered: the system's fonts) renders as well as a covered one.
TEST(RestrictedFonts, ReportsOutsideTheirCoverageStillRenderEveryName) {
  json::object report = ReportNaming("กรุงเทพ edge");
  report["sites"].as_array()[0].as_object()["uptime_percentage"] = 99.9;
  testing::PdfFile pdf(report, RenderSlaPdf);
  EXPECT_NE(testing::WithoutSpacesOrBidiMarks(pdf.Text()).find("กรุงเทพedge"), std::string::npos);
}

}  // namespace
}  // namespace rapport::render
