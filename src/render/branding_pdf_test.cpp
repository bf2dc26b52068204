// A tenant's branding on both PDFs: the name (cover and footer), the logo (a PNG is an embedded
// image; an SVG is drawn as vectors), the accent colour; and an unbranded report unchanged.
#include <rapport/brand/brand_report.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/render/pdf.hpp>

#include "pdf_test_util.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

namespace rapport {
namespace {

namespace json = boost::json;
using render::testing::PdfFile;
using render::testing::Run;
using render::testing::Squeeze;

// An 8x4 PNG, red.
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x08\x00\x00"
    "\x00\x04\x08\x02\x00\x00\x00\x3c\xaf\xe9\xa7\x00\x00\x00\x11\x49\x44\x41\x54\x78\xda\x63"
    "\xb8\xa9\xab\x80\x15\x31\x50\x4f\x02\x00\x45\x6d\x24\xc1\x92\x92\x31\x67\x00\x00\x00\x00"
    "\x49\x45\x4e\x44\xae\x42\x60\x82",
    74);

constexpr const char* kSvg =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" )"
    R"(height="20" fill="#0a7b83"/></svg>)";

json::object SlaReport() {
  json::array sites{json::object{{"site_id", "site_1"},
                                 {"site_name", "Berlin POP"},
                                 {"tags", json::object{}},
                                 {"uptime_percentage", 99.9},
                                 {"downtime_seconds", 2592},
                                 {"monitored_seconds", 2'592'000},
                                 {"fault_count", 1},
                                 {"longest_outage_seconds", 2592},
                                 {"mttr_seconds", 2592},
                                 {"breached", false}}};
  return {{"id", "rpt_01JTESTREPORT000000000000000"},
          {"schedule_id", "sla_0123456789abcdefghijklmnopq"},
          {"schedule_name", "Customer network, November"},
          {"trigger", "on_demand"},
          {"from_date", "2026-11-01"},
          {"to_date", "2026-11-30"},
          {"timezone", "Europe/Berlin"},
          {"settings", json::object{{"sla_target", 99.5}}},
          {"uptime_percentage", 99.9},
          {"site_count", 1},
          {"breached_site_count", 0},
          {"sites", std::move(sites)},
          {"groups", json::array{}},
          {"daily", json::array{}},
          {"top_faults", json::array{}},
          {"created_at", "2026-12-01T07:00:00.000Z"}};
}

json::object BrandReport() {
  Brand brand;
  brand.id = "brand_01";
  brand.name = "Acme Analytics";
  RegionConfig config;
  config.id = "rcfg_01";
  config.name = "United States";
  config.country = "US";
  config.language = "en";
  std::string text = "Acme Analytics is a fine choice.";
  std::vector<AskedAnswer> answers{{"p1", "Best analytics tool?", "discovery", "chatgpt", "m", text,
                                    ScoreAnswer(text, {"Acme Analytics", {}}, {})}};
  json::object full{{"id", "rpt_01JBRANDREPORT00000000000000"},
                    {"created_at", "2026-11-30T09:15:00.000Z"}};
  for (auto& [k, v] : BuildBrandReport(brand, config, answers)) full[k] = v;
  full["brand_name"] = "Acme Analytics";
  return full;
}

// A rendered PDF in a temporary file, read with poppler's tools.
class RenderedPdf {
 public:
  explicit RenderedPdf(const std::string& bytes)
      : path_(std::filesystem::temp_directory_path() /
              ("rapport-branding-" + NewUuidV4() + ".pdf")) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~RenderedPdf() { std::filesystem::remove(path_); }
  std::string Text() const { return Run("pdftotext -q '" + path_.string() + "' -"); }
  // The rows of `pdfimages -list` after its two header lines.
  int Images() const {
    std::string list = Run("pdfimages -list '" + path_.string() + "'");
    int lines = 0;
    for (char c : list) lines += c == '\n' ? 1 : 0;
    return lines - 2;
  }

 private:
  std::filesystem::path path_;
};

PdfBranding PngBranding() { return {"Northwind Ops", "#D92D20", "image/png", kPng}; }

TEST(BrandedPdf, SlaReportShowsTheNameInCoverAndFooterAndEmbedsThePngLogo) {
  RenderedPdf pdf(RenderPdfToString(SlaReport(), PngBranding(), RenderSlaPdf).value());
  std::string text = Squeeze(pdf.Text());
  EXPECT_NE(text.find("Northwind Ops SLA REPORT"), std::string::npos) << text;
  EXPECT_NE(text.find("Northwind Ops · SLA report"), std::string::npos) << text;
  EXPECT_EQ(text.find("Rapport · SLA report"), std::string::npos);
  EXPECT_EQ(pdf.Images(), 1);
}

TEST(BrandedPdf, BrandReportShowsTheNameAndEmbedsThePngLogo) {
  RenderedPdf pdf(RenderPdfToString(BrandReport(), PngBranding(), RenderBrandPdf).value());
  std::string text = Squeeze(pdf.Text());
  EXPECT_NE(text.find("Northwind Ops BRAND VISIBILITY REPORT"), std::string::npos) << text;
  EXPECT_EQ(pdf.Images(), 1);
}

TEST(BrandedPdf, SvgLogoIsDrawnAsVectorsWithoutAnImage) {
  PdfBranding svg{"Northwind Ops", "", "image/svg+xml", kSvg};
  std::string bytes = RenderPdfToString(SlaReport(), svg, RenderSlaPdf).value();
  std::string plain =
      RenderPdfToString(SlaReport(), PdfBranding{"Northwind Ops"}, RenderSlaPdf).value();
  EXPECT_NE(bytes, plain);  // the logo was drawn
  RenderedPdf pdf(bytes);
  EXPECT_EQ(pdf.Images(), 0);
  EXPECT_NE(Squeeze(pdf.Text()).find("Northwind Ops"), std::string::npos);
}

TEST(BrandedPdf, AnUndecodableLogoIsLeftOutAndTheReportStillRenders) {
  PdfBranding broken{"Northwind Ops", "", "image/png", "\x89PNG not really"};
  auto bytes = RenderPdfToString(SlaReport(), broken, RenderSlaPdf);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(RenderedPdf(*bytes).Images(), 0);
}

TEST(BrandedPdf, EmptyBrandingGivesTheUnbrandedBytes) {
  EXPECT_EQ(RenderPdfToString(SlaReport(), PdfBranding{}, RenderSlaPdf).value(),
            RenderPdfToString(SlaReport(), RenderSlaPdf).value());
  EXPECT_EQ(RenderPdfToString(BrandReport(), PdfBranding{}, RenderBrandPdf).value(),
            RenderPdfToString(BrandReport(), RenderBrandPdf).value());
  PdfFile unbranded(SlaReport(), RenderSlaPdf);
  EXPECT_NE(Squeeze(unbranded.Text()).find("Rapport · SLA report"), std::string::npos);
}

}  // namespace
}  // namespace rapport
