// The logo checks against hostile input: the SVG sanitiser keeps only its allow-list and refuses
// what is not well-formed SVG; the PNG check reads the signature and IHDR; base64 is strict.
#include "logo_check.hpp"

#include <gtest/gtest.h>

namespace rapport::api {
namespace {

constexpr std::string_view kOpen =
    R"~(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">)~";

std::string Sanitized(std::string_view body) {
  SanitizedSvg out = SanitizeSvg(std::string(kOpen) + std::string(body) + "</svg>");
  EXPECT_EQ(out.problem, "");
  return out.svg;
}

TEST(SvgSanitizer, KeepsShapesGradientsAndPresentationAttributes) {
  std::string svg = Sanitized(
      R"~(<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>)~"
      R"~(<rect x="1" y="1" width="8" height="8" fill="url(#g)" stroke="#000"/>)~"
      R"~(<text x="1" y="9" font-size="3">A &amp; B</text>)~");
  EXPECT_NE(svg.find("<linearGradient id=\"g\">"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"url(#g)\""), std::string::npos);
  EXPECT_NE(svg.find(">A &amp; B</text>"), std::string::npos);
  EXPECT_EQ(svg.rfind(R"~(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">)~", 0), 0u);
}

TEST(SvgSanitizer, DropsScriptsForeignObjectsAndEventHandlers) {
  std::string svg = Sanitized(
      R"~(<script>alert(1)</script><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">)~"
      R"~(<script>alert(2)</script></div></foreignObject>)~"
      R"~(<circle r="3" onload="alert(3)" onclick="x()"/><g onmouseover="y()"><path d="M0 0"/></g>)~");
  EXPECT_EQ(svg.find("script"), std::string::npos);
  EXPECT_EQ(svg.find("alert"), std::string::npos);
  EXPECT_EQ(svg.find("foreignObject"), std::string::npos);
  EXPECT_EQ(svg.find("onload"), std::string::npos);
  EXPECT_EQ(svg.find("onmouseover"), std::string::npos);
  EXPECT_NE(svg.find("<circle r=\"3\">"), std::string::npos);
  EXPECT_NE(svg.find("<path d=\"M0 0\">"), std::string::npos);
}

TEST(SvgSanitizer, DropsExternalHrefsAndUrls) {
  std::string svg = Sanitized(
      R"~(<use href="https://evil.example/x.svg#a"/><use xmlns:xlink="http://www.w3.org/1999/xlink")~"
      R"~( xlink:href="javascript:alert(1)"/><use href="#local"/>)~"
      R"~(<rect fill="url(https://evil.example/p)" stroke="url( 'http://e.example' )"/>)~"
      R"~(<a href="https://evil.example"><rect/></a><image href="https://evil.example/i.png"/>)~");
  EXPECT_EQ(svg.find("evil"), std::string::npos);
  EXPECT_EQ(svg.find("javascript"), std::string::npos);
  EXPECT_NE(svg.find("<use href=\"#local\">"), std::string::npos);
  EXPECT_EQ(svg.find("<image"), std::string::npos);
}

TEST(SvgSanitizer, DropsStylesThatFetchOrImport) {
  std::string svg = Sanitized(
      R"~(<style>@import url(https://evil.example/a.css);</style><style>rect{fill:red}</style>)~"
      R"~(<rect style="background:url(https://evil.example)"/><rect style="fill:blue"/>)~"
      R"~(<rect style="background:u\72l(x)"/>)~");
  EXPECT_EQ(svg.find("evil"), std::string::npos);
  EXPECT_EQ(svg.find("import"), std::string::npos);
  EXPECT_EQ(svg.find("\\72"), std::string::npos);
  EXPECT_NE(svg.find("<style>rect{fill:red}</style>"), std::string::npos);
  EXPECT_NE(svg.find("style=\"fill:blue\""), std::string::npos);
}

TEST(SvgSanitizer, RefusesDoctypeAndEntities) {
  SanitizedSvg out = SanitizeSvg(
      R"~(<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>)~"
      R"~(<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>)~");
  EXPECT_EQ(out.svg, "");
  EXPECT_NE(out.problem.find("DOCTYPE"), std::string::npos);
  out = SanitizeSvg(R"~(<!doctype svg><svg xmlns="http://www.w3.org/2000/svg"/>)~");
  EXPECT_NE(out.problem.find("DOCTYPE"), std::string::npos);
}

TEST(SvgSanitizer, RefusesMalformedXmlNamingLineAndColumn) {
  SanitizedSvg out = SanitizeSvg("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect></svg>");
  EXPECT_EQ(out.svg, "");
  EXPECT_NE(out.problem.find("not well-formed XML at line 2"), std::string::npos) << out.problem;
  EXPECT_NE(SanitizeSvg("<svg xmlns=\"http://www.w3.org/2000/svg\">&undefined;</svg>").problem, "");
  EXPECT_NE(SanitizeSvg("").problem, "");
}

TEST(SvgSanitizer, RefusesARootThatIsNotSvg) {
  EXPECT_NE(SanitizeSvg("<svg><rect/></svg>").problem.find("SVG namespace"), std::string::npos);
  EXPECT_NE(SanitizeSvg(R"~(<html xmlns="http://www.w3.org/2000/svg"/>)~").problem, "");
}

TEST(SvgSanitizer, ComputedOutputIsItselfAcceptedUnchanged) {
  std::string once =
      Sanitized(R"~(<g transform="scale(2)"><ellipse cx="5" cy="5" rx="2" ry="1"/></g>)~");
  SanitizedSvg twice = SanitizeSvg(once);
  EXPECT_EQ(twice.problem, "");
  EXPECT_EQ(twice.svg, once);
}

std::string Png(uint32_t width, uint32_t height, char depth = 8, char color = 6) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  for (uint32_t v : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>((v >> shift) & 0xFF);
  }
  png += depth;
  png += color;
  png += std::string("\0\0\0", 3);
  png += std::string(4, '\0');  // CRC (not checked)
  return png;
}

TEST(PngCheck, AcceptsAWellFormedHeader) { EXPECT_EQ(PngProblem(Png(64, 32)), ""); }

TEST(PngCheck, RefusesWrongSignatureMissingIhdrAndInsaneDimensions) {
  EXPECT_NE(PngProblem("GIF89a...").find("signature"), std::string::npos);
  EXPECT_NE(PngProblem(Png(64, 32).substr(0, 20)).find("IHDR"), std::string::npos);
  EXPECT_NE(PngProblem(Png(0, 32)).find("dimensions"), std::string::npos);
  EXPECT_NE(PngProblem(Png(100000, 32)).find("dimensions"), std::string::npos);
  EXPECT_NE(PngProblem(Png(64, 32, 3, 2)), "");  // bit depth 3 does not exist
}

TEST(Base64, DecodesStandardAlphabetAndRefusesGarbage) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVs\nbG8"), "hello");
  EXPECT_EQ(DecodeBase64("+/+/"), std::string("\xfb\xff\xbf", 3));
  EXPECT_FALSE(DecodeBase64("aGVsbG8*").has_value());
  EXPECT_FALSE(DecodeBase64("aG=Vs").has_value());
  EXPECT_FALSE(DecodeBase64("a").has_value());
}

}  // namespace
}  // namespace rapport::api
