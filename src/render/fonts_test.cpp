#include "fonts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "pdf_test_util.hpp"
#include "render_pass.hpp"

namespace rapport::render {
namespace {

namespace json = boost::json;

json::object ReportNaming(const std::string& site) {
  return json::object{{"schedule_name", "November"},
                      {"sites", json::array{json::object{{"site_name", site}}}}};
}

TEST(RestrictedFonts, CoverLatinGreekCyrillicAndTheVerdictMarksWithoutCjkFaces) {
  EXPECT_EQ(FontsFor(ReportNaming("Zürich Αθήνα Москва"), ""), FontSet::kRestricted);
  EXPECT_EQ(FontsFor(ReportNaming("✓ met · ✗ breached – 1,234"), "Acme GmbH"),
            FontSet::kRestricted);
  EXPECT_EQ(FontsFor(ReportNaming("line one\nline two"), ""), FontSet::kRestricted);
  // Every non-ASCII character the renderers write themselves.
  EXPECT_EQ(FontsFor(ReportNaming("· × – … “ ” ✓ ✗"), ""), FontSet::kRestricted);
}

TEST(RestrictedFonts, TakeTheCjkFacesOnlyForCjkText) {
  EXPECT_EQ(FontsFor(ReportNaming("東京 edge"), ""), FontSet::kRestrictedCjk);
  EXPECT_EQ(FontsFor(ReportNaming("서울 とうきょう"), ""), FontSet::kRestrictedCjk);
  EXPECT_EQ(FontsFor(ReportNaming("Berlin"), "東京"), FontSet::kRestrictedCjk);
}

TEST(RestrictedFonts, LeaveOtherScriptsAndBadUtf8ToTheSystemFonts) {
  EXPECT_EQ(FontsFor(ReportNaming("กรุงเทพ"), ""), FontSet::kSystem);         // Thai
  EXPECT_EQ(FontsFor(ReportNaming("नई दिल्ली 東京"), ""), FontSet::kSystem);  // Devanagari
  EXPECT_EQ(FontsFor(ReportNaming("Berlin"), "ኢትዮጵያ"), FontSet::kSystem);    // branding
  EXPECT_EQ(FontsFor(ReportNaming(std::string("bad \xff byte")), ""), FontSet::kSystem);
}

TEST(RestrictedFonts, AreFontMapsOfTheirOwnKeptPerThread) {
  PangoFontMap* system = FontMapForThread(FontSet::kSystem);
  PangoFontMap* latin = FontMapForThread(FontSet::kRestricted);
  PangoFontMap* cjk = FontMapForThread(FontSet::kRestrictedCjk);
  ASSERT_NE(system, nullptr);
  EXPECT_NE(latin, system);
  EXPECT_NE(cjk, system);
  EXPECT_NE(cjk, latin);
  EXPECT_EQ(FontMapForThread(FontSet::kRestricted), latin);
  EXPECT_EQ(FontMapForThread(FontSet::kSystem), system);
}

// `text` in regular and bold, laid out with the report's font set, or the system's without one.
std::string Draw(const std::string& text, const json::object* report) {
  std::string out;
  PdfSink sink = [&out](std::string_view bytes) {
    out.append(bytes);
    return true;
  };
  auto layout = [&text](Flow& flow) {
    flow.canvas().Text(kMargin, flow.y(), 300, 14, text, {.size = 8});
    flow.canvas().Text(kMargin, flow.y() + 20, 300, 14, text, {.size = 15, .bold = true});
  };
  DocumentInfo info{"Fonts", "Fonts", "2026-12-01T07:00:00.000Z"};
  return RenderInTwoPasses(sink, info, "Rapport", layout, {}, report).ok() ? out : "";
}

// Same bytes whichever font set lays the text out: the restricted faces draw what the system's
// would.
TEST(RestrictedFonts, DrawWhatTheSystemFontsDraw) {
  std::string text = "Zürich Αθήνα Москва ✓ ✗ – ·";
  json::object report = ReportNaming(text);
  ASSERT_EQ(FontsFor(report, ""), FontSet::kRestricted);
  std::string restricted = Draw(text, &report);
  ASSERT_FALSE(restricted.empty());
  EXPECT_EQ(restricted, Draw(text, nullptr));
}

// A PDF as a reader gets it: its text, its fonts and its page rasterized (150 dpi, grey).
struct Seen {
  std::string text, fonts, pixels;
};

Seen Look(const std::string& pdf) {
  auto path = std::filesystem::temp_directory_path() /
              ("rapport_fonts_test_" + std::to_string(getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  std::string quoted = "'" + path.string() + "'";
  Seen seen{testing::Run("pdftotext -enc UTF-8 " + quoted + " - 2>&1"),
            testing::Run("pdffonts " + quoted + " 2>&1"),
            testing::Run("pdftoppm -r 150 -gray " + quoted + " 2>&1")};
  std::filesystem::remove(path);
  return seen;
}

// With CJK text the bytes differ in one way only: the restricted regular CJK face does not hand
// cairo its whole 15 MB CFF table (face_file.hpp), so its glyphs are embedded from their outlines
// under a generic name. The text and the drawn page are the same.
TEST(RestrictedFonts, DrawCjkTextAsTheSystemFontsDo) {
  std::string text = "Zürich 東京 서울 とうきょう ✓ ✗";
  json::object report = ReportNaming(text);
  ASSERT_EQ(FontsFor(report, ""), FontSet::kRestrictedCjk);
  Seen restricted = Look(Draw(text, &report)), system = Look(Draw(text, nullptr));
  EXPECT_NE(restricted.text.find("東京 서울 とうきょう"), std::string::npos) << restricted.text;
  EXPECT_EQ(restricted.text, system.text);
  EXPECT_GT(restricted.pixels.size(), 100'000u);
  EXPECT_TRUE(restricted.pixels == system.pixels) << "the pages differ";
  EXPECT_NE(system.fonts.find("NotoSansCJKjp-Regular"), std::string::npos) << system.fonts;
  EXPECT_EQ(restricted.fonts.find("NotoSansCJKjp-Regular"), std::string::npos) << restricted.fonts;
  EXPECT_NE(restricted.fonts.find("CairoFont"), std::string::npos) << restricted.fonts;
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
