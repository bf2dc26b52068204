// Brands and sites end to end: CRUD, merge patch, pagination; plus the server's own routes and
// lifecycle (keep-alive, metrics, graceful shutdown).
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <set>
#include <thread>

namespace rapport::testing {
namespace {

namespace json = boost::json;

TEST(BrandsTest, CreateGetPatchDelete) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  auto created = api.Post("/v1/brands", R"({"name":"Acme 株式会社","website":"https://acme.example",
      "brand_aliases":["ACME"],"competitors":["Globex",{"name":"Initech","aliases":["ITC"]}],
      "categories":["tools"],"country":"JP","language":"ja"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto brand = Json(created);
  EXPECT_EQ(brand.at("object").as_string(), "brand");
  EXPECT_EQ(brand.at("name").as_string(), "Acme 株式会社");
  EXPECT_EQ(brand.at("competitors").at(0).at("name").as_string(), "Globex");
  EXPECT_EQ(brand.at("competitors").at(1).at("aliases").at(0).as_string(), "ITC");
  std::string id(brand.at("id").as_string());
  EXPECT_TRUE(id.starts_with("brand_") && id.size() == 33);

  EXPECT_EQ(Json(api.Get("/v1/brands/" + id)), brand);
  auto patched = api.Send("PATCH", "/v1/brands/" + id,
                          R"({"country":null,"brand_aliases":["A","B"],"name":"Acme"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto p = Json(patched);
  EXPECT_TRUE(p.at("country").is_null());
  EXPECT_EQ(p.at("language").as_string(), "ja");
  EXPECT_EQ(p.at("brand_aliases").as_array().size(), 2u);
  EXPECT_EQ(p.at("name").as_string(), "Acme");
  EXPECT_EQ(api.Send("PATCH", "/v1/brands/" + id, R"({"name":null})").status, 422);
  EXPECT_EQ(Json(api.Get("/v1/brands/" + id)).at("name").as_string(), "Acme");

  auto deleted = api.Send("DELETE", "/v1/brands/" + id);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(Json(deleted).at("deleted").as_bool(), true);
  EXPECT_EQ(api.Get("/v1/brands/" + id).status, 404);
}

TEST(SitesTest, CreateGetPatchDelete) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  auto created = api.Send(
      "POST", "/sites", R"({"name":"Москва","timezone":"Europe/Moscow","tags":{"region":"emea"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto site = Json(created);
  std::string id(site.at("id").as_string());
  EXPECT_TRUE(id.starts_with("site_"));
  EXPECT_EQ(site.at("tags").at("region").as_string(), "emea");
  auto patched = api.Send("PATCH", "/sites/" + id, R"({"tags":{"tier":"gold"}})");
  ASSERT_EQ(patched.status, 200);
  EXPECT_FALSE(Json(patched).at("tags").as_object().contains("region"));
  EXPECT_EQ(Json(patched).at("name").as_string(), "Москва");
  EXPECT_EQ(api.Send("DELETE", "/sites/" + id).status, 204);
  EXPECT_EQ(api.Get("/sites/" + id).status, 404);
}

TEST(PaginationTest, PagesAreNewestFirstWithoutGapsOrDuplicates) {
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  std::vector<std::string> created;
  for (int i = 0; i < 25; ++i) {
    auto r = api.Send("POST", "/sites",
                      R"({"name":"site )" + std::to_string(i) + R"(","timezone":"UTC"})");
    ASSERT_EQ(r.status, 201);
    created.emplace_back(Json(r).at("id").as_string());
  }
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = api.Get("/sites?limit=10" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200);
    auto body = Json(r);
    for (const auto& item : body.at("data").as_array())
      seen.emplace_back(item.at("id").as_string());
    EXPECT_EQ(body.at("meta").at("count").as_int64(),
              static_cast<int64_t>(body.at("data").as_array().size()));
    cursor = body.at("meta").at("cursor").is_null()
                 ? ""
                 : std::string(body.at("meta").at("cursor").as_string());
    EXPECT_EQ(body.at("meta").at("has_more").as_bool(), !cursor.empty());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  std::vector<std::string> expected(created.rbegin(), created.rend());
  EXPECT_EQ(seen, expected);

  auto v1 = Json(api.Get("/v1/brands?limit=1"));
  EXPECT_EQ(v1.at("object").as_string(), "list");
  EXPECT_TRUE(v1.at("next_cursor").is_null());
}

TEST(PaginationTest, TamperedCursorsAre400) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  for (const std::string& cursor :
       std::vector<std::string>{"x", "%00", "YzE6", "YzE6c2l0ZV8x", std::string(500, 'A')}) {
    EXPECT_EQ(api.Get("/sites?cursor=" + cursor).status, 400) << cursor;
    EXPECT_EQ(api.Get("/v1/brands?cursor=" + cursor).status, 400) << cursor;
  }
  // A well-formed cursor of another resource type.
  const std::string brand_cursor = "YzE6YnJhbmRfMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw";
  EXPECT_EQ(api.Get("/sites?cursor=" + brand_cursor).status, 400);
  EXPECT_EQ(api.Get("/v1/brands?cursor=" + brand_cursor).status, 200);
}

TEST(ServerTest, HealthReadinessMetricsAndOpenApiArePublic) {
  ServerProcess server;
  server.Start();
  Api anonymous(server, "");
  EXPECT_EQ(anonymous.Get("/healthz").status, 200);
  auto ready = anonymous.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_GE(Json(ready).at("schema_version").as_int64(), 1);
  auto doc = anonymous.Get("/openapi.json");
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(Json(doc).at("openapi").as_string(), "3.1.0");
  Api api(server, Token("t1"));
  api.Get("/v1/brands");
  api.Get("/v1/brands/brand_000000000000000000000000000");
  auto metrics = anonymous.Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(
                R"(rapport_http_requests_total{route="/v1/brands",method="GET",status="200"} 1)"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(R"(route="/v1/brands/{brand_id}",method="GET",status="404"} 1)"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("rapport_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find(R"(rapport_jobs{status="pending"} 0)"), std::string::npos);
}

TEST(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  ServerProcess server;
  server.Start();
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n";
  std::string reply = RawExchange(server.address(), two);
  size_t first = reply.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(reply.find("HTTP/1.1 200", first + 1), std::string::npos) << reply;
}

TEST(ServerTest, SigtermExitsZeroQuickly) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  ASSERT_EQ(api.Get("/v1/brands").status, 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(ServerTest, IdleConnectionIsClosedAtTheTimeout) {
  ServerProcess server({}, {"--idle-timeout", "1"});
  server.Start();
  auto started = std::chrono::steady_clock::now();
  std::string reply = RawExchange(server.address(), "GET /heal", 5000);
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply, "");
  EXPECT_LT(waited, std::chrono::milliseconds(3500));
}

TEST(ServerTest, ReadsSettingsFromTomlWithEnvAndFlagsOverriding) {
  auto dir = std::filesystem::temp_directory_path() / ("rapport-cfg-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "rapport.toml";
  std::ofstream(file) << "[rate_limit]\nburst_per_min = 2\n[http]\nmax_body_bytes = 2048\n";
  ServerProcess server({}, {"--config", file.string(), "--max-body-bytes", "100000"});
  server.Start();
  Api api(server, Token("t1"));
  std::string body = R"({"name":")" + std::string(3000, 'a') + R"(","timezone":"UTC"})";
  EXPECT_EQ(api.Send("POST", "/sites", body).status, 400);  // flag beat the file: not 413
  EXPECT_EQ(api.Get("/sites").status, 200);
  EXPECT_EQ(api.Get("/sites").status, 429);  // the file's burst limit of 2
  std::filesystem::remove_all(dir);
}

TEST(ServerTest, BadConfigurationFailsWithAClearMessage) {
  ServerProcess server({}, {"--max-json-depth", "abc"});
  // Start() fails the test if the process exits; run the binary directly instead.
  std::string cmd = std::string(RAPPORTD_PATH) + " --max-json-depth abc 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[512] = {0};
  size_t n = fread(buf, 1, sizeof(buf) - 1, p);
  int status = pclose(p);
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_NE(std::string(buf, n).find("--max-json-depth"), std::string::npos) << buf;
}

}  // namespace
}  // namespace rapport::testing
