// The audit log against the real server (issue 22): writes through an API token and through a
// console session are recorded with their actor, route, resource and status; refused writes as
// refused; reads never; GET /audit-events filters and pages, shows a tenant only its own events,
// is an admin's; rows past audit.retention_days are purged by the janitor.
#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

const char* kSiteBody = R"({"name":"Main","timezone":"UTC"})";

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  std::string CreateSite(Api& api) {
    auto r = api.Send("POST", "/sites", kSiteBody);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(Json(r).at("id").as_string()) : "";
  }

  // The events `query` lists for an admin of `tenant` (newest first).
  json::array Events(const std::string& query = "", const std::string& tenant = "t1") {
    Api admin(server_, Token(tenant, "*", "auditor"));
    auto r = admin.Get("/audit-events" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return Json(r).at("data").as_array();
  }

  struct Session {
    std::vector<std::string> headers;  // the cookie, then its CSRF token
    std::string subject;
  };
  // A console user of t1 with `role`, signed in as the console does.
  Session SignIn(const std::string& email, const std::string& role) {
    auto added = RunCommand("printf '%s' 'console-password-1' | " + std::string(RAPPORT_CLI_PATH) +
                            " users add " + email + " --tenant t1 --role " + role +
                            " --database '" + server_.database_url() + "'");
    EXPECT_EQ(added.exit_code, 0) << added.out << added.err;
    Api anonymous(server_, "");
    auto login = anonymous.Send("POST", "/auth/login",
                                R"({"email":")" + email + R"(","password":"console-password-1"})");
    EXPECT_EQ(login.status, 200) << login.body;
    if (login.status != 200) return {};
    std::string cookie = login.Header("set-cookie").value_or("");
    Session s{{"Cookie: " + cookie.substr(0, cookie.find(';')),
               "X-CSRF-Token: " + std::string(Json(login).at("csrf_token").as_string())},
              ""};
    auto me = anonymous.Send("GET", "/v1/me", "", s.headers);
    EXPECT_EQ(me.status, 200) << me.body;
    if (me.status == 200) s.subject = std::string(Json(me).at("subject").as_string());
    return s;
  }

  static std::string Str(const json::value& event, const char* field) {
    const auto& v = event.at(field);
    return v.is_string() ? std::string(v.as_string()) : "";
  }

  ServerProcess server_;
};

TEST_F(AuditTest, TokenWritesAreRecordedWithActorRouteResourceAndStatusAndReadsAreNot) {
  Api alice(server_, Token("t1", "*", "alice"));
  auto created = alice.Send("POST", "/sites", kSiteBody);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string site(Json(created).at("id").as_string());
  auto patched = alice.Send("PATCH", "/sites/" + site, R"({"name":"Renamed"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  ASSERT_EQ(alice.Get("/sites").status, 200);
  ASSERT_EQ(alice.Get("/sites/" + site).status, 200);
  auto deleted = alice.Send("DELETE", "/sites/" + site);
  ASSERT_EQ(deleted.status, 204) << deleted.body;

  json::array events = Events();
  ASSERT_EQ(events.size(), 3u) << json::serialize(events);
  const char* methods[] = {"DELETE", "PATCH", "POST"};
  const char* routes[] = {"/sites/{site_id}", "/sites/{site_id}", "/sites"};
  int64_t statuses[] = {204, 200, 201};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(Str(events[i], "object"), "audit_event");
    EXPECT_EQ(Str(events[i], "actor"), "alice");
    EXPECT_EQ(Str(events[i], "tenant"), "t1");
    EXPECT_EQ(Str(events[i], "method"), methods[i]);
    EXPECT_EQ(Str(events[i], "route"), routes[i]);
    EXPECT_EQ(Str(events[i], "resource_id"), site);
    EXPECT_EQ(Str(events[i], "outcome"), "succeeded");
    EXPECT_EQ(events[i].at("status").as_int64(), statuses[i]);
    EXPECT_FALSE(Str(events[i], "occurred_at").empty());
  }
  EXPECT_EQ(Str(events[2], "path"), "/sites");
  EXPECT_EQ(Str(events[0], "path"), "/sites/" + site);
  EXPECT_EQ(Str(events[2], "request_id"), created.Header("x-correlation-id").value_or("?"));
  EXPECT_EQ(Str(events[0], "request_id"), deleted.Header("x-correlation-id").value_or("?"));
  EXPECT_EQ(events[2].as_object().find("body"), events[2].as_object().end());
}

TEST_F(AuditTest, RefusedWritesAreRecordedAsRefusedWithTheirStatus) {
  Api writer(server_, Token("t1", "*", "writer"));
  auto invalid = writer.Send("POST", "/sites", R"({"timezone":"Nowhere/Else"})");
  ASSERT_EQ(invalid.status, 400) << invalid.body;
  auto missing = writer.Send("DELETE", "/sites/site_" + std::string(27, 'x'));
  ASSERT_GE(missing.status, 400);
  Api reader(server_, Token("t1", "read:all", "reader"));
  auto forbidden = reader.Send("POST", "/sites", kSiteBody);
  ASSERT_EQ(forbidden.status, 403) << forbidden.body;

  json::array events = Events();
  ASSERT_EQ(events.size(), 3u) << json::serialize(events);
  EXPECT_EQ(Str(events[0], "actor"), "reader");
  EXPECT_EQ(events[0].at("status").as_int64(), 403);
  EXPECT_EQ(Str(events[1], "method"), "DELETE");
  EXPECT_EQ(events[1].at("status").as_int64(), missing.status);
  EXPECT_EQ(Str(events[1], "resource_id"), "site_" + std::string(27, 'x'));
  EXPECT_EQ(Str(events[2], "route"), "/sites");
  EXPECT_EQ(events[2].at("status").as_int64(), 400);
  EXPECT_TRUE(events[2].at("resource_id").is_null());
  for (const auto& e : events) EXPECT_EQ(Str(e, "outcome"), "refused");
  EXPECT_EQ(Events("?outcome=succeeded").size(), 0u);
}

TEST_F(AuditTest, V1WritesAreRecordedInTheirDialectToo) {
  Api api(server_, Token("t1", "*", "carol"));
  auto brand = api.Post("/v1/brands", R"({"name":"Acme","website":"https://acme.example"})");
  ASSERT_EQ(brand.status, 201) << brand.body;
  std::string id(Json(brand).at("id").as_string());
  auto invalid = api.Post("/v1/brands", R"({"website":"notaurl"})");
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  auto no_key = api.Send("POST", "/v1/brands", R"({"name":"B","website":"https://b.example"})");
  ASSERT_EQ(no_key.status, 400) << no_key.body;
  ASSERT_EQ(api.Send("DELETE", "/v1/brands/" + id).status, 200);

  json::array events = Events();
  ASSERT_EQ(events.size(), 4u) << json::serialize(events);
  EXPECT_EQ(Str(events[0], "route"), "/v1/brands/{brand_id}");
  EXPECT_EQ(Str(events[0], "resource_id"), id);
  EXPECT_EQ(events[1].at("status").as_int64(), 400);
  EXPECT_EQ(events[2].at("status").as_int64(), 422);
  EXPECT_EQ(Str(events[2], "outcome"), "refused");
  EXPECT_EQ(Str(events[3], "route"), "/v1/brands");
  EXPECT_EQ(Str(events[3], "resource_id"), id);
  EXPECT_EQ(Str(events[3], "outcome"), "succeeded");
  EXPECT_EQ(events[3].at("status").as_int64(), 201);
  EXPECT_EQ(Events("?actor=carol&resource_id=" + id).size(), 2u);
}

TEST_F(AuditTest, AnIdempotentReplayIsRecordedAsReplayedAndWritesOnce) {
  Api api(server_, Token("t1"));
  std::string key = "Idempotency-Key: " + NewUuidV4();
  auto first = api.Send("POST", "/sites", kSiteBody, {key});
  auto again = api.Send("POST", "/sites", kSiteBody, {key});
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(again.status, 201);
  json::array events = Events();
  ASSERT_EQ(events.size(), 2u) << json::serialize(events);
  EXPECT_EQ(Str(events[0], "outcome"), "replayed");
  EXPECT_EQ(Str(events[1], "outcome"), "succeeded");
}

TEST_F(AuditTest, ConsoleSessionWritesNameTheUserAndAdminsListThemInTheConsole) {
  Session editor = SignIn("ops@example.com", "editor");
  Session admin = SignIn("boss@example.com", "admin");
  ASSERT_TRUE(editor.subject.starts_with("user:")) << editor.subject;
  Api cookie_only(server_, "");
  auto created = cookie_only.Send("POST", "/sites", kSiteBody, editor.headers);
  ASSERT_EQ(created.status, 201) << created.body;
  auto no_csrf = cookie_only.Send("POST", "/sites", kSiteBody, {editor.headers[0]});
  ASSERT_EQ(no_csrf.status, 403) << no_csrf.body;

  json::array events = Events();
  ASSERT_EQ(events.size(), 1u) << json::serialize(events);
  EXPECT_EQ(Str(events[0], "actor"), editor.subject);
  EXPECT_EQ(Str(events[0], "route"), "/sites");
  EXPECT_EQ(Str(events[0], "resource_id"), std::string(Json(created).at("id").as_string()));
  EXPECT_EQ(events[0].at("status").as_int64(), 201);

  auto listed = cookie_only.Send("GET", "/audit-events", "", admin.headers);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Json(listed).at("data").as_array().size(), 1u);
  EXPECT_EQ(cookie_only.Send("GET", "/audit-events", "", editor.headers).status, 403);
}

TEST_F(AuditTest, FiltersAndCursorPagination) {
  Api alice(server_, Token("t1", "*", "alice"));
  Api bob(server_, Token("t1", "*", "bob"));
  std::string first = CreateSite(alice);
  for (int i = 0; i < 3; ++i) CreateSite(bob);
  ASSERT_EQ(alice.Send("PATCH", "/sites/" + first, R"({"name":"Other"})").status, 200);

  EXPECT_EQ(Events("?actor=bob").size(), 3u);
  EXPECT_EQ(Events("?actor=alice").size(), 2u);
  EXPECT_EQ(Events("?resource_id=" + first).size(), 2u);
  EXPECT_EQ(Events("?method=PATCH").size(), 1u);
  EXPECT_EQ(Events("?actor=alice&method=POST").size(), 1u);
  EXPECT_EQ(Events("?from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z").size(), 0u);
  EXPECT_EQ(Events("?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z").size(), 5u);

  Api admin(server_, Token("t1", "*", "auditor"));
  std::vector<std::string> seen;
  std::string query = "?limit=2";
  for (int page = 0; page < 5; ++page) {
    auto r = admin.Get("/audit-events" + query);
    ASSERT_EQ(r.status, 200) << r.body;
    auto v = Json(r);
    for (const auto& e : v.at("data").as_array()) seen.push_back(Str(e, "id"));
    const auto& meta = v.at("meta");
    if (!meta.at("has_more").as_bool()) break;
    query = "?limit=2&cursor=" + std::string(meta.at("cursor").as_string());
  }
  ASSERT_EQ(seen.size(), 5u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i - 1], seen[i]);

  auto bad = admin.Get("/audit-events?outcome=maybe");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(admin.Get("/audit-events?from=yesterday").status, 400);
}

TEST_F(AuditTest, ATenantSeesOnlyItsOwnEventsAndOnlyAdminsSeeThem) {
  Api t1(server_, Token("t1"));
  CreateSite(t1);
  Api t2(server_, Token("t2"));
  CreateSite(t2);
  CreateSite(t2);
  EXPECT_EQ(Events("", "t1").size(), 1u);
  EXPECT_EQ(Events("", "t2").size(), 2u);
  EXPECT_EQ(Events("", "t3").size(), 0u);

  for (const char* scope : {"read:all", "write:sla", "read:users"}) {
    Api other(server_, Token("t1", scope));
    auto r = other.Get("/audit-events");
    EXPECT_EQ(r.status, 403) << scope << ": " << r.body;
    EXPECT_EQ(Str(Json(r), "code"), "insufficient_scope") << r.body;
  }
  Api auditor(server_, Token("t1", "read:audit"));
  EXPECT_EQ(auditor.Get("/audit-events").status, 200);
  EXPECT_EQ(Api(server_, "").Get("/audit-events").status, 401);
}

TEST_F(AuditTest, EventsPastTheRetentionArePurgedByTheJanitor) {
  Api api(server_, Token("t1"));
  CreateSite(api);
  CreateSite(api);
  json::array events = Events();
  ASSERT_EQ(events.size(), 2u);
  std::string old_id = Str(events[1], "id");
  int64_t old_ms = NowMs() - 31LL * 86'400'000;
  Sql(server_.database_url(), "UPDATE audit_events SET occurred_at = " + std::to_string(old_ms) +
                                  " WHERE id = '" + old_id + "'");
  ASSERT_EQ(server_.Stop(), 0);
  server_.SetEnv("RAPPORT_AUDIT_RETENTION_DAYS", "30");
  server_.Start();  // the janitor runs at start, then hourly
  ASSERT_TRUE(WaitFor([&] { return Events().size() == 1; })) << json::serialize(Events());
  EXPECT_NE(Str(Events()[0], "id"), old_id);
}

}  // namespace
}  // namespace rapport::testing
