// The API reference at /docs, loaded by a real browser: headless Chromium fetches the page, the
// Redoc bundle rapportd serves and /openapi.json, runs the script and renders every operation.
// Chromium may resolve no host but 127.0.0.1, so the page works without a CDN or the internet.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <rapport/core/ids.hpp>

#include <filesystem>
#include <tuple>

namespace rapport::testing {
namespace {

namespace fs = std::filesystem;

// The DOM Chromium holds once the page's scripts have run (virtual time lets Redoc's fetch of
// /openapi.json and its rendering finish before the dump).
CommandResult DumpDom(const std::string& url) {
  fs::path profile = fs::temp_directory_path() / ("rapport-chromium-" + NewUuidV4());
  std::string command =
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--disable-dev-shm-usage --user-data-dir=" +
      profile.string() +
      " --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"
      " --virtual-time-budget=30000 --dump-dom '" +
      url + "'";
  CommandResult result = RunCommand(command);
  std::error_code ignored;
  fs::remove_all(profile, ignored);
  return result;
}

TEST(DocsPageTest, ChromiumRendersEveryRunEndpointFromTheBundledRedoc) {
  ASSERT_EQ(RunCommand("command -v chromium").exit_code, 0)
      << "chromium is not installed: scripts/setup.sh installs it";
  ServerProcess server;
  server.Start();
  Api anonymous(server, "");

  auto page = anonymous.Get("/docs");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("content-type").value_or(""), "text/html; charset=utf-8");
  // Nothing on the page comes from another host.
  EXPECT_EQ(page.body.find("http://"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("https://"), std::string::npos) << page.body;
  auto docs = Json(anonymous.Get("/openapi.json"));

  if (!RAPPORT_DOCS_UI) {
    EXPECT_NE(page.body.find("RAPPORT_DOCS_UI=OFF"), std::string::npos) << page.body;
    EXPECT_EQ(anonymous.Get("/docs/redoc.standalone.js").status, 404);
    GTEST_SKIP() << "built with -DRAPPORT_DOCS_UI=OFF: no Redoc to render";
  }

  // The bundle is served whole, with a validator that spares a second download.
  auto bundle = anonymous.Get("/docs/redoc.standalone.js");
  ASSERT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.Header("content-type").value_or(""), "text/javascript; charset=utf-8");
  EXPECT_GT(bundle.body.size(), 500'000u);
  EXPECT_NE(bundle.body.find("Redoc"), std::string::npos);
  std::string etag = bundle.Header("etag").value_or("");
  ASSERT_FALSE(etag.empty());
  auto again = anonymous.Send("GET", "/docs/redoc.standalone.js", "", {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());

  CommandResult chromium = DumpDom(server.url() + "/docs");
  ASSERT_EQ(chromium.exit_code, 0) << chromium.err;
  const std::string& dom = chromium.out;
  // Redoc rendered the document: its title, and one section per operation, anchored by the
  // operation's id, with the summary the document gives it.
  EXPECT_NE(dom.find(std::string(docs.at("info").at("title").as_string())), std::string::npos)
      << dom.substr(0, 4000);
  const auto& paths = docs.at("paths").as_object();
  for (const auto& [path, operation, id] :
       {std::tuple{"/reports/sla/schedules/{scheduleId}/run", "post", "runSlaReportOnDemand"},
        std::tuple{"/v1/scheduled-reports/{scheduled_report_id}/executions", "post",
                   "runScheduledReport"}}) {
    const auto& op = paths.at(path).at(operation);
    ASSERT_EQ(op.at("operationId").as_string(), id);
    EXPECT_NE(dom.find(std::string("operation/") + id), std::string::npos) << id;
    EXPECT_NE(dom.find(std::string(op.at("summary").as_string())), std::string::npos) << id;
    EXPECT_NE(dom.find(path), std::string::npos) << path;
  }
  // Every operation of the document made it to the page.
  size_t rendered = 0, operations = 0;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, op] : item.as_object()) {
      if (!op.is_object() || !op.as_object().contains("operationId")) continue;
      ++operations;
      std::string anchor = "operation/" + std::string(op.at("operationId").as_string()) + "\"";
      if (dom.find(anchor) != std::string::npos) ++rendered;
    }
  }
  EXPECT_GT(operations, 50u);
  EXPECT_EQ(rendered, operations);
}

}  // namespace
}  // namespace rapport::testing
