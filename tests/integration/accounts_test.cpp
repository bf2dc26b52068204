// Console users, sessions and API tokens against the real server: the cookie and its flags, one
// message for every failed sign-in, the throttle, CSRF, logout and idle expiry, what each role
// may do, users and tokens managed by an admin, tenant isolation, JWTs unchanged, and the
// `rapport users` bootstrap path.
#include "server_process.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/core/time.hpp>

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

namespace json = boost::json;

const char* kSiteBody = R"({"name":"Main","timezone":"UTC"})";

struct SignedIn {
  std::string cookie;  // "rapport_session=…"
  std::string csrf;
};

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  // `rapport users …` on the server's database; `input` is piped to it ("": /dev/null).
  CommandResult Users(const std::string& args, const std::string& input = "") {
    std::string feed = input.empty() ? "" : "printf '%s' '" + input + "' | ";
    return RunCommand(feed + RAPPORT_CLI_PATH + " users " + args + " --database '" +
                      server_.database_url() + "'" + (input.empty() ? " </dev/null" : ""));
  }
  void AddUser(const std::string& email, const std::string& tenant, const std::string& role) {
    auto r = Users("add " + email + " --tenant " + tenant + " --role " + role, Password(email));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  static std::string Password(const std::string& email) { return "pw-of-" + email; }

  client::HttpResult LoginRaw(const std::string& email, const std::string& password) {
    Api anonymous(server_, "");
    return anonymous.Send("POST", "/auth/login",
                          json::serialize(json::object{{"email", email}, {"password", password}}));
  }
  SignedIn Login(const std::string& email) {
    auto r = LoginRaw(email, Password(email));
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie = r.Header("set-cookie").value_or("");
    auto v = Json(r);
    return {cookie.substr(0, cookie.find(';')),
            v.is_object() ? std::string(v.at("csrf_token").as_string()) : ""};
  }
  // A request made with the session's cookie; its CSRF token unless `csrf` says otherwise, and
  // a fresh Idempotency-Key on POSTs.
  client::HttpResult AsUser(const SignedIn& s, const std::string& method, const std::string& path,
                            const std::string& body = "",
                            std::optional<std::string> csrf = std::nullopt) {
    std::vector<std::string> headers{"Cookie: " + s.cookie};
    std::string token = csrf.value_or(s.csrf);
    if (!token.empty()) headers.push_back("X-CSRF-Token: " + token);
    if (method == "POST") headers.push_back("Idempotency-Key: " + NewUuidV4());
    Api cookie_only(server_, "");
    return cookie_only.Send(method, path, body, headers);
  }
  static std::string Message(const client::HttpResult& r) {
    auto v = Json(r);
    const auto& o = v.as_object();
    return std::string(o.contains("error") ? o.at("error").at("message").as_string()
                                           : o.at("message").as_string());
  }
  static std::string Code(const client::HttpResult& r) {
    auto v = Json(r);
    const auto& o = v.as_object();
    return std::string(o.contains("error") ? o.at("error").at("code").as_string()
                                           : o.at("code").as_string());
  }

  ServerProcess server_;
};

TEST_F(AccountsTest, LoginSetsAnHttpOnlyStrictCookieAndAnswersTheSession) {
  AddUser("ann@example.com", "t1", "admin");
  auto r = LoginRaw("ANN@example.com", Password("ann@example.com"));
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.Header("set-cookie").value_or("");
  EXPECT_TRUE(cookie.starts_with("rapport_session=")) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
  auto v = Json(r);
  EXPECT_EQ(v.at("user").at("email"), "ann@example.com");
  EXPECT_EQ(v.at("user").at("role"), "admin");
  EXPECT_EQ(v.at("user").at("tenant"), "t1");
  EXPECT_GE(v.at("csrf_token").as_string().size(), 40u);
  EXPECT_TRUE(ParseRfc3339(v.at("idle_expires_at").as_string()).has_value());
  EXPECT_TRUE(ParseRfc3339(v.at("expires_at").as_string()).has_value());

  SignedIn s{cookie.substr(0, cookie.find(';')), std::string(v.at("csrf_token").as_string())};
  auto session = AsUser(s, "GET", "/auth/session");
  ASSERT_EQ(session.status, 200) << session.body;
  auto info = Json(session);
  EXPECT_EQ(info.at("tenant"), "t1");
  EXPECT_EQ(info.at("role"), "admin");
  EXPECT_EQ(info.at("csrf_token"), v.at("csrf_token"));
  EXPECT_FALSE(info.at("scopes").as_array().empty());
  auto me = AsUser(s, "GET", "/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me).at("subject").as_string(),
            "user:" + std::string(v.at("user").at("id").as_string()));
}

TEST(AccountsSecureCookieTest, CookieIsSecureWithAnHttpsPublicUrl) {
  ServerProcess server{{{"RAPPORT_PUBLIC_URL", "https://rapport.example.com"}}};
  server.Start();
  auto added = RunCommand("printf 'pw-of-s@example.com' | " + std::string(RAPPORT_CLI_PATH) +
                          " users add s@example.com --tenant t1 --role viewer --database '" +
                          server.database_url() + "'");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  Api anonymous(server, "");
  auto r = anonymous.Send("POST", "/auth/login",
                          R"({"email":"s@example.com","password":"pw-of-s@example.com"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("set-cookie").value_or("").find("; Secure"), std::string::npos);
}

TEST_F(AccountsTest, OneMessageForUnknownEmailWrongPasswordAndDisabledUser) {
  AddUser("ann@example.com", "t1", "viewer");
  AddUser("dis@example.com", "t1", "viewer");
  ASSERT_EQ(Users("disable dis@example.com").exit_code, 0);
  std::vector<client::HttpResult> failures{
      LoginRaw("nobody@example.com", "whatever-password"),
      LoginRaw("ann@example.com", "wrong-password"),
      LoginRaw("dis@example.com", Password("dis@example.com"))};
  for (const auto& r : failures) {
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(Message(r), "Incorrect e-mail or password");
    EXPECT_FALSE(r.Header("set-cookie"));
  }
  EXPECT_EQ(failures[0].body.size(), failures[1].body.size());
  EXPECT_EQ(LoginRaw("ann@example.com", "").status, 400);  // missing field: the dialect's 400
  Api anonymous(server_, "");
  EXPECT_EQ(anonymous.Send("POST", "/auth/login", R"({"email":"ann@example.com"})").status, 400);
}

TEST_F(AccountsTest, SignInIsJsonOnlySoNoOtherSiteCanPostIt) {
  AddUser("ann@example.com", "t1", "viewer");
  std::string body = R"({"email":"ann@example.com","password":"pw-of-ann@example.com"})";
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", ""}) {
    std::string reply =
        RawExchange(server_.address(),
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                        (type.empty() ? "" : "Content-Type: " + type + "\r\n") +
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << type << "\n" << reply;
    EXPECT_NE(reply.find("application/json (a sign-in"), std::string::npos) << reply;
    EXPECT_EQ(reply.find("rapport_session="), std::string::npos) << reply;
  }
}

TEST_F(AccountsTest, RepeatedFailuresAreThrottledWithRetryAfter) {
  AddUser("ann@example.com", "t1", "viewer");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(LoginRaw("ann@example.com", "wrong").status, 401);
  auto throttled = LoginRaw("ann@example.com", Password("ann@example.com"));
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  int retry = std::stoi(throttled.Header("retry-after").value_or("0"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 15 * 60);
  EXPECT_EQ(Code(throttled), "rate_limit_exceeded");
  AddUser("bob@example.com", "t1", "viewer");  // another account from the same address: fine
  EXPECT_EQ(LoginRaw("bob@example.com", Password("bob@example.com")).status, 200);
}

TEST_F(AccountsTest, CsrfTokenIsRequiredForChangesMadeWithTheCookie) {
  AddUser("ann@example.com", "t1", "editor");
  SignedIn s = Login("ann@example.com");
  for (const std::string& bad : {std::string("-"), std::string("wrong-token")}) {
    auto r = AsUser(s, "POST", "/sites", kSiteBody, bad == "-" ? "" : bad);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(Code(r), "csrf_token_invalid");
    EXPECT_NE(Message(r).find("X-CSRF-Token"), std::string::npos) << r.body;
  }
  auto v1 = AsUser(s, "POST", "/v1/brands", R"({"name":"B","website":"https://b.example"})", "");
  EXPECT_EQ(v1.status, 403) << v1.body;
  Api jwt(server_, Token("t1"));
  EXPECT_TRUE(Json(jwt.Get("/sites")).at("data").as_array().empty());
  EXPECT_EQ(AsUser(s, "GET", "/sites", "", "").status, 200);  // reads need no CSRF token
  EXPECT_EQ(AsUser(s, "POST", "/sites", kSiteBody).status, 201);
  EXPECT_EQ(Json(jwt.Get("/sites")).at("data").as_array().size(), 1u);
}

TEST_F(AccountsTest, LogoutEndsTheSessionAndClearsTheCookie) {
  AddUser("ann@example.com", "t1", "viewer");
  SignedIn s = Login("ann@example.com");
  EXPECT_EQ(AsUser(s, "POST", "/auth/logout", "", "").status, 403);  // CSRF applies here too
  auto out = AsUser(s, "POST", "/auth/logout");
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.Header("set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(AsUser(s, "GET", "/auth/session").status, 401);
  EXPECT_EQ(AsUser(s, "GET", "/sites").status, 401);
}

TEST_F(AccountsTest, AnIdleSessionExpires) {
  AddUser("ann@example.com", "t1", "viewer");
  SignedIn s = Login("ann@example.com");
  ASSERT_EQ(AsUser(s, "GET", "/auth/session").status, 200);
  // 31 minutes without a request (the default idle limit is 30).
  Sql(server_.database_url(), "UPDATE user_sessions SET last_seen_at = last_seen_at - 1860000");
  auto r = AsUser(s, "GET", "/auth/session");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_NE(Message(r).find("inactivity"), std::string::npos) << r.body;
}

TEST_F(AccountsTest, ViewerReadsAndIsRefusedWrites) {
  AddUser("view@example.com", "t1", "viewer");
  SignedIn s = Login("view@example.com");
  EXPECT_EQ(AsUser(s, "GET", "/sites").status, 200);
  EXPECT_EQ(AsUser(s, "GET", "/v1/brands").status, 200);
  EXPECT_EQ(AsUser(s, "POST", "/sites", kSiteBody).status, 403);
  auto brand = AsUser(s, "POST", "/v1/brands", R"({"name":"B","website":"https://b.example"})");
  EXPECT_EQ(brand.status, 403) << brand.body;
  EXPECT_EQ(Code(brand), "forbidden");
  // Who may sign in and which tokens exist are for admins only, even to read.
  EXPECT_EQ(AsUser(s, "GET", "/v1/users").status, 403);
  EXPECT_EQ(AsUser(s, "GET", "/v1/tokens").status, 403);
}

TEST_F(AccountsTest, EditorWritesButCannotManageWebhooksUsersOrTokens) {
  AddUser("ed@example.com", "t1", "editor");
  SignedIn s = Login("ed@example.com");
  EXPECT_EQ(AsUser(s, "POST", "/sites", kSiteBody).status, 201);
  auto hook = AsUser(s, "POST", "/reports/sla/webhooks",
                     R"({"url":"https://hooks.example/x","events":["sla_report.completed"]})");
  EXPECT_EQ(hook.status, 403) << hook.body;
  EXPECT_EQ(AsUser(s, "POST", "/v1/users", R"({"email":"x@example.com","role":"viewer"})").status,
            403);
  EXPECT_EQ(AsUser(s, "POST", "/v1/tokens", R"({"name":"t","scopes":["read:all"]})").status, 403);
}

TEST_F(AccountsTest, AdminManagesTheTenantsUsers) {
  AddUser("admin@example.com", "t1", "admin");
  AddUser("other@example.com", "t2", "admin");
  SignedIn s = Login("admin@example.com");
  auto created = AsUser(s, "POST", "/v1/users", R"({"email":"new@example.com","role":"viewer"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto user = Json(created);
  std::string id(user.at("id").as_string());
  std::string password(user.at("password").as_string());
  EXPECT_FALSE(user.as_object().contains("password_hash"));
  auto listed = Json(AsUser(s, "GET", "/v1/users"));
  EXPECT_EQ(listed.at("data").as_array().size(), 2u);  // t1's only
  EXPECT_EQ(LoginRaw("new@example.com", password).status, 200);

  auto promoted = AsUser(s, "PATCH", "/v1/users/" + id, R"({"role":"editor"})");
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(Json(promoted).at("role"), "editor");
  auto reset = AsUser(s, "POST", "/v1/users/" + id + "/reset-password");
  ASSERT_EQ(reset.status, 200) << reset.body;
  std::string fresh(Json(reset).at("password").as_string());
  EXPECT_EQ(LoginRaw("new@example.com", password).status, 401);
  EXPECT_EQ(LoginRaw("new@example.com", fresh).status, 200);

  std::string me_id(Json(AsUser(s, "GET", "/auth/session")).at("user").at("id").as_string());
  auto demote = AsUser(s, "PATCH", "/v1/users/" + me_id, R"({"role":"viewer"})");
  EXPECT_EQ(demote.status, 409) << demote.body;
  EXPECT_EQ(AsUser(s, "PATCH", "/v1/users/" + me_id, R"({"disabled":true})").status, 409);
  EXPECT_EQ(AsUser(s, "DELETE", "/v1/users/" + me_id).status, 409);

  std::string other_id(Json(LoginRaw("other@example.com", Password("other@example.com")))
                           .at("user")
                           .at("id")
                           .as_string());
  EXPECT_EQ(AsUser(s, "PATCH", "/v1/users/" + other_id, R"({"disabled":true})").status, 404);
  EXPECT_EQ(AsUser(s, "DELETE", "/v1/users/" + other_id).status, 404);
  EXPECT_EQ(AsUser(s, "DELETE", "/v1/users/" + id).status, 204);
  EXPECT_EQ(LoginRaw("new@example.com", fresh).status, 401);
}

TEST_F(AccountsTest, ApiTokenIsShownOnceWorksAsBearerAndStopsWhenRevoked) {
  AddUser("admin@example.com", "t1", "admin");
  SignedIn s = Login("admin@example.com");
  auto created = AsUser(s, "POST", "/v1/tokens",
                        R"({"name":"grafana","scopes":["read:sla"],"ttl_seconds":3600})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto token = Json(created);
  std::string secret(token.at("token").as_string());
  std::string id(token.at("id").as_string());
  EXPECT_TRUE(secret.starts_with("rpt_"));
  EXPECT_TRUE(token.at("last_used_at").is_null());

  Api bearer(server_, secret);
  EXPECT_EQ(bearer.Get("/sites").status, 200);
  EXPECT_EQ(bearer.Send("POST", "/sites", kSiteBody).status, 403);  // read:sla only
  EXPECT_EQ(bearer.Get("/v1/me").status, 403);                      // read:meta is not read:sla
  auto listed = AsUser(s, "GET", "/v1/tokens");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(secret), std::string::npos);
  EXPECT_EQ(listed.body.find(secret.substr(4)), std::string::npos);
  EXPECT_FALSE(Json(listed).at("data").at(0).at("last_used_at").is_null());

  Api other(server_, Token("t2"));
  EXPECT_EQ(other.Send("DELETE", "/v1/tokens/" + id).status, 404);
  EXPECT_EQ(AsUser(s, "DELETE", "/v1/tokens/" + id).status, 204);
  auto revoked = bearer.Get("/sites");
  EXPECT_EQ(revoked.status, 401) << revoked.body;
  EXPECT_EQ(Api(server_, "rpt_not-a-token").Get("/sites").status, 401);
}

TEST_F(AccountsTest, TokenScopesCannotExceedTheCallers) {
  Api narrow(server_, Token("t1", "write:tokens read:sla"));
  auto r = narrow.Post("/v1/tokens", R"({"name":"x","scopes":["write:sla"]})");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(narrow.Post("/v1/tokens", R"({"name":"x","scopes":["read:sla"]})").status, 201);
  auto bad = narrow.Post("/v1/tokens", R"({"name":"x","scopes":["admin"]})");
  EXPECT_EQ(bad.status, 422) << bad.body;
}

TEST_F(AccountsTest, JwtBearerTokensWorkAsBefore) {
  Api jwt(server_, Token("t1", "*", "someone"));
  auto me = jwt.Get("/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Json(me).at("subject"), "someone");
  EXPECT_EQ(jwt.Post("/sites", kSiteBody).status, 201);
  EXPECT_EQ(Api(server_, "").Get("/sites").status, 401);
}

TEST_F(AccountsTest, CliAddsUsersWithAPipedOrGeneratedPassword) {
  auto piped = Users("add piped@example.com --tenant t1 --role editor", "piped-password-1");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out.find("password"), std::string::npos) << piped.out;
  EXPECT_EQ(LoginRaw("piped@example.com", "piped-password-1").status, 200);

  auto generated = Users("add gen@example.com --tenant t1 --role viewer");
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  const std::string marker = "password (shown once): ";
  size_t at = generated.out.find(marker);
  ASSERT_NE(at, std::string::npos) << generated.out;
  std::string password = generated.out.substr(at + marker.size(), 20);
  EXPECT_EQ(LoginRaw("gen@example.com", password).status, 200);

  EXPECT_EQ(Users("add GEN@example.com --tenant t2 --role viewer").exit_code, 1);  // taken
  EXPECT_EQ(Users("add x@example.com --tenant t1 --role owner").exit_code, 2);
  auto listed = Users("list --tenant t1");
  EXPECT_NE(listed.out.find("piped@example.com"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("gen@example.com"), std::string::npos) << listed.out;
  ASSERT_EQ(Users("disable gen@example.com").exit_code, 0);
  EXPECT_EQ(LoginRaw("gen@example.com", password).status, 401);
  ASSERT_EQ(Users("enable gen@example.com").exit_code, 0);
  ASSERT_EQ(Users("reset-password gen@example.com", "another-password").exit_code, 0);
  EXPECT_EQ(LoginRaw("gen@example.com", "another-password").status, 200);
  ASSERT_EQ(Users("delete gen@example.com").exit_code, 0);
  EXPECT_EQ(LoginRaw("gen@example.com", "another-password").status, 401);
}

TEST_F(AccountsTest, CliTokensGoThroughTheApi) {
  auto created = RunCli(server_, "tokens create --name ci --scope read:all --ttl 30d");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  size_t at = created.out.find("rpt_");
  ASSERT_NE(at, std::string::npos) << created.out;
  std::string secret = created.out.substr(at, created.out.find('\n', at) - at);
  EXPECT_EQ(Api(server_, secret).Get("/sites").status, 200);
  auto listed = RunCli(server_, "tokens list");
  EXPECT_NE(listed.out.find("ci"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(secret), std::string::npos);
  size_t id_at = listed.out.find("tok_");
  ASSERT_NE(id_at, std::string::npos) << listed.out;
  std::string id = listed.out.substr(id_at, 31);
  EXPECT_EQ(RunCli(server_, "tokens revoke " + id).exit_code, 0);
  EXPECT_EQ(Api(server_, secret).Get("/sites").status, 401);
  EXPECT_EQ(RunCli(server_, "tokens create --name x --scope read:all --ttl soon").exit_code, 2);
}

}  // namespace
}  // namespace rapport::testing
