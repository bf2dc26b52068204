// Tenants' branding against a real rapportd: GET/PATCH /v1/white-label round-trip, every bad
// field named in one 422, the 256 KiB logo limit, the PNG check, a hostile SVG stored
// sanitised, scopes and tenants; and the branding drawn on the next report's PDF while an earlier
// report keeps its own.
#include "server_process.hpp"

#include <rapport/core/encoding.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;

// An 8x4 PNG, red.
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x08\x00\x00"
    "\x00\x04\x08\x02\x00\x00\x00\x3c\xaf\xe9\xa7\x00\x00\x00\x11\x49\x44\x41\x54\x78\xda\x63"
    "\xb8\xa9\xab\x80\x15\x31\x50\x4f\x02\x00\x45\x6d\x24\xc1\x92\x92\x31\x67\x00\x00\x00\x00"
    "\x49\x45\x4e\x44\xae\x42\x60\x82",
    74);

// Standard base64 (the API's data_base64), from the project's base64url.
std::string Base64(const std::string& bytes) {
  std::string out = Base64UrlEncode(bytes);
  for (char& c : out) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::string LogoBody(const std::string& type, const std::string& bytes) {
  return json::serialize(
      json::object{{"logo", json::object{{"content_type", type}, {"data_base64", Base64(bytes)}}}});
}

class WhiteLabelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    api_.emplace(server_, Token("t1"));
    other_.emplace(server_, Token("t2"));
  }

  client::HttpResult Patch(const std::string& body) {
    return api_->Send("PATCH", "/v1/white-label", body);
  }

  // The `loc`s of a 422's details.errors.
  static std::vector<std::string> Locs(const client::HttpResult& r) {
    EXPECT_EQ(r.status, 422) << r.body;
    std::vector<std::string> out;
    json::value body = Json(r);
    for (const auto& e : body.at("error").at("details").at("errors").as_array()) {
      std::string loc;  // ["body","logo","content_type"] -> "body.logo.content_type"
      for (const auto& part : e.at("loc").as_array()) {
        loc += (loc.empty() ? "" : ".") + std::string(part.as_string());
      }
      out.push_back(loc);
    }
    return out;
  }

  // A completed SLA report's PDF, rendered now.
  std::string SlaPdf() {
    auto site = api_->Send("POST", "/sites", R"~({"name":"Lisbon","timezone":"UTC"})~");
    auto schedule = api_->Send("POST", "/reports/sla/schedules",
                               R"({"name":"Branded","timezone":"UTC","disabled":true,"sites":[")" +
                                   std::string(Json(site).at("id").as_string()) + R"("]})");
    auto run = api_->Send(
        "POST",
        "/reports/sla/schedules/" + std::string(Json(schedule).at("id").as_string()) + "/run",
        R"~({"from_date":"2026-11-01","to_date":"2026-11-02"})~");
    EXPECT_EQ(run.status, 202) << run.body;
    auto job = WaitJob(*api_, std::string(Json(run).at("job_id").as_string()));
    last_report_ = std::string(job.at("result").at("report_id").as_string());
    return api_->Get("/reports/sla/reports/" + last_report_ + "/pdf").body;
  }

  // The number of images `pdfimages -list` finds in `pdf`.
  int PdfImages(const std::string& pdf) {
    auto path = server_.data_dir() / "images.pdf";
    std::ofstream(path, std::ios::binary) << pdf;
    std::string list = CommandOutput("pdfimages -list '" + path.string() + "'");
    return static_cast<int>(std::count(list.begin(), list.end(), '\n')) - 2;
  }

  ServerProcess server_{{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}}};
  std::optional<Api> api_;
  std::optional<Api> other_;
  std::string last_report_;
};

TEST_F(WhiteLabelTest, UnsetTenantHasNothingAndPatchRoundTrips) {
  auto empty = api_->Get("/v1/white-label");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(Json(empty), (json::object{{"object", "white_label"},
                                       {"name", nullptr},
                                       {"accent_color", nullptr},
                                       {"logo", nullptr},
                                       {"updated_at", nullptr}}));
  EXPECT_EQ(api_->Get("/v1/white-label/logo").status, 404);

  auto patched = Patch(R"~({"name":"Northwind Ops","accent_color":"#0a7b83"})~");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched).at("name").as_string(), "Northwind Ops");
  EXPECT_FALSE(Json(patched).at("updated_at").is_null());
  ASSERT_EQ(Patch(LogoBody("image/png", kPng)).status, 200);
  json::value got = Json(api_->Get("/v1/white-label"));
  EXPECT_EQ(got.at("name").as_string(), "Northwind Ops");  // untouched by the second patch
  EXPECT_EQ(got.at("accent_color").as_string(), "#0a7b83");
  EXPECT_EQ(got.at("logo"),
            (json::object{
                {"content_type", "image/png"}, {"url", "/v1/white-label/logo"}, {"bytes", 74}}));
  auto logo = api_->Get("/v1/white-label/logo");
  EXPECT_EQ(logo.body, kPng);
  EXPECT_EQ(logo.Header("content-type").value_or(""), "image/png");
  EXPECT_EQ(logo.Header("x-content-type-options").value_or(""), "nosniff");

  ASSERT_EQ(Patch(R"~({"logo":null,"accent_color":null})~").status, 200);
  got = Json(api_->Get("/v1/white-label"));
  EXPECT_TRUE(got.at("logo").is_null());
  EXPECT_TRUE(got.at("accent_color").is_null());
  EXPECT_EQ(got.at("name").as_string(), "Northwind Ops");
}

TEST_F(WhiteLabelTest, EveryBadFieldIsNamedInOne422) {
  auto r = Patch(R"({"name":")" + std::string(101, 'x') +
                 R"(","accent_color":"blue","logo":{"content_type":"image/gif","data_base64":"x"},)"
                 R"("extra":1})");
  std::vector<std::string> locs = Locs(r);
  for (const char* loc :
       {"body.name", "body.accent_color", "body.logo.content_type", "body.extra"}) {
    EXPECT_NE(std::find(locs.begin(), locs.end(), loc), locs.end()) << loc << " " << r.body;
  }
  EXPECT_EQ(Locs(Patch(R"~({"accent_color":"#12345"})~")),
            std::vector<std::string>{"body.accent_color"});
  EXPECT_EQ(Locs(Patch(R"~({"logo":{"content_type":"image/png","data_base64":"@@@"}})~")),
            std::vector<std::string>{"body.logo.data_base64"});
  EXPECT_EQ(Locs(Patch(R"~({"logo":"x"})~")), std::vector<std::string>{"body.logo"});
  EXPECT_TRUE(Json(api_->Get("/v1/white-label")).at("updated_at").is_null());  // nothing stored
}

TEST_F(WhiteLabelTest, LogoIsLimitedTo256KiBAndAPngMustBeOne) {
  std::string big = kPng + std::string(256 * 1024 - kPng.size() + 1, '\0');
  auto r = Patch(LogoBody("image/png", big));
  EXPECT_EQ(Locs(r), std::vector<std::string>{"body.logo.data_base64"});
  EXPECT_NE(r.body.find("262144"), std::string::npos) << r.body;
  std::string at_limit = kPng + std::string(256 * 1024 - kPng.size(), '\0');
  EXPECT_EQ(Patch(LogoBody("image/png", at_limit)).status, 200);
  auto fake = Patch(LogoBody("image/png", "GIF89a not a png at all, honestly"));
  EXPECT_EQ(Locs(fake), std::vector<std::string>{"body.logo.data_base64"});
  EXPECT_NE(fake.body.find("signature"), std::string::npos) << fake.body;
}

TEST_F(WhiteLabelTest, HostileSvgIsStoredSanitisedAndServedUnderACsp) {
  std::string hostile =
      R"~(<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" viewBox="0 0 10 10">)~"
      R"~(<script>alert(2)</script><rect width="10" height="10" fill="#0a7b83" )~"
      R"~(onclick="alert(3)"/><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" )~"
      R"~(src="https://evil.example"/></foreignObject><use href="https://evil.example/x#a"/></svg>)~";
  ASSERT_EQ(Patch(LogoBody("image/svg+xml", hostile)).status, 200);
  auto logo = api_->Get("/v1/white-label/logo");
  EXPECT_EQ(logo.body, R"~(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">)~"
                       R"~(<rect width="10" height="10" fill="#0a7b83"></rect><use></use></svg>)~");
  EXPECT_EQ(logo.Header("content-security-policy").value_or(""),
            "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  auto doctype = Patch(
      LogoBody("image/svg+xml",
               R"~(<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>)~"));
  EXPECT_EQ(Locs(doctype), std::vector<std::string>{"body.logo.data_base64"});
  auto broken = Patch(LogoBody("image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g>"));
  EXPECT_NE(Json(broken).at("error").at("details").at("errors").at(0).at("msg").as_string().find(
                "not well-formed XML at line 1"),
            std::string::npos)
      << broken.body;
}

TEST_F(WhiteLabelTest, ScopesAndTenantsAreKeptApart) {
  Api reader(server_, Token("t1", "read:white-label"));
  Api writer(server_, Token("t1", "write:white-label"));
  Api stranger(server_, Token("t1", "read:sla"));
  EXPECT_EQ(reader.Get("/v1/white-label").status, 200);
  EXPECT_EQ(reader.Send("PATCH", "/v1/white-label", R"~({"name":"X"})~").status, 403);
  EXPECT_EQ(writer.Send("PATCH", "/v1/white-label", R"~({"name":"Mine"})~").status, 200);
  EXPECT_EQ(writer.Get("/v1/white-label").status, 200);  // write implies read
  EXPECT_EQ(stranger.Get("/v1/white-label").status, 403);
  EXPECT_EQ(stranger.Get("/v1/white-label/logo").status, 403);
  EXPECT_TRUE(Json(other_->Get("/v1/white-label")).at("name").is_null());
  ASSERT_EQ(Patch(LogoBody("image/png", kPng)).status, 200);
  EXPECT_EQ(other_->Get("/v1/white-label/logo").status, 404);
}

TEST_F(WhiteLabelTest, NextReportsPdfIsBrandedAndEarlierOnesKeepTheirs) {
  std::string before = SlaPdf();
  std::string before_id = last_report_;
  ASSERT_EQ(Patch(R"~({"name":"Northwind Ops","accent_color":"#D92D20"})~").status, 200);
  ASSERT_EQ(Patch(LogoBody("image/png", kPng)).status, 200);
  std::string branded = SlaPdf();
  EXPECT_NE(PdfText(branded).find("Northwind Ops SLA REPORT"), std::string::npos)
      << PdfText(branded);
  EXPECT_NE(PdfText(branded).find("Northwind Ops · SLA report"), std::string::npos);
  EXPECT_EQ(PdfImages(branded), 1);
  EXPECT_EQ(PdfText(before).find("Northwind Ops"), std::string::npos);
  EXPECT_EQ(PdfImages(before), 0);
  EXPECT_EQ(api_->Get("/reports/sla/reports/" + before_id + "/pdf").body, before);  // immutable
}

}  // namespace
}  // namespace rapport::testing
