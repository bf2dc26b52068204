// The credentials Accounts::Authenticate takes (API tokens, the session cookie with its CSRF
// token) and leaves to the JWT verifier, and the cookie header parser.
#include <rapport/accounts/accounts.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/store/store.hpp>

#include "accounts_impl.hpp"
#include "session_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace rapport::accounts {
namespace {

http::Request WithHeaders(std::string method,
                          std::vector<std::pair<std::string, std::string>> headers) {
  http::Request r;
  r.method = std::move(method);
  r.path = "/sites";
  r.headers = std::move(headers);
  return r;
}

TEST(SessionCookie, FoundAmongOtherCookies) {
  EXPECT_EQ(SessionCookie(WithHeaders("GET", {{"cookie", "rapport_session=abc"}})), "abc");
  EXPECT_EQ(SessionCookie(WithHeaders("GET", {{"cookie", "a=1; rapport_session=abc; b=2"}})),
            "abc");
  EXPECT_EQ(SessionCookie(WithHeaders("GET", {{"cookie", "a=1"}, {"cookie", "rapport_session=x"}})),
            "x");
  EXPECT_EQ(SessionCookie(WithHeaders("GET", {{"cookie", " rapport_session = abc ;"}})), "abc");
}

TEST(SessionCookie, AbsentEmptyOrLookalikeIsNone) {
  EXPECT_FALSE(SessionCookie(WithHeaders("GET", {})));
  EXPECT_FALSE(SessionCookie(WithHeaders("GET", {{"cookie", "rapport_session="}})));
  EXPECT_FALSE(SessionCookie(WithHeaders("GET", {{"cookie", "xrapport_session=abc"}})));
  EXPECT_FALSE(SessionCookie(WithHeaders("GET", {{"cookie", "rapport_sessionx=abc"}})));
  EXPECT_FALSE(SessionCookie(WithHeaders("GET", {{"set-cookie", "rapport_session=abc"}})));
  EXPECT_FALSE(SessionCookie(WithHeaders("GET", {{"cookie", ";;;==;"}})));
}

// Property: any header bytes parse without failing, and a value found is part of the header.
TEST(SessionCookie, ArbitraryBytesNeverBreakIt) {
  std::mt19937 rng(20);
  const std::string alphabet = "rapport_session=; \t,abc\"\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string header;
    size_t n = rng() % 48;
    for (size_t j = 0; j < n; ++j) header += alphabet[rng() % alphabet.size()];
    if (i % 3 == 0) header.insert(rng() % (header.size() + 1), "rapport_session=");
    auto found = SessionCookie(WithHeaders("GET", {{"cookie", header}}));
    if (found) {
      EXPECT_FALSE(found->empty());
      EXPECT_NE(header.find(*found), std::string::npos) << header;
    }
  }
}

class AuthenticateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-authn-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "t.db").string()}).value());
    accounts_.emplace(*store_, SystemClock(), AccountsOptions{});
    ASSERT_TRUE(accounts_->Migrate().ok());
    UserService users(*store_, SystemClock());
    ASSERT_TRUE(users.Create("t1", "ed@example.com", Role::kEditor, "editor-password").ok());
    AccountsOptions options;
    SessionService sessions(*store_, SystemClock(), options);
    auto in = sessions.Login("ed@example.com", "editor-password", "127.0.0.1");
    ASSERT_TRUE(in.ok());
    cookie_ = "rapport_session=" + in->cookie_token;
    csrf_ = in->csrf_token;
  }
  void TearDown() override {
    accounts_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::optional<Result<Principal>> Authenticate(const http::Request& r) {
    return accounts_->Authenticate(r, SystemClock().NowMs());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::optional<Accounts> accounts_;
  std::string cookie_, csrf_;
};

TEST_F(AuthenticateTest, JwtsAndAnonymousRequestsAreLeftToTheVerifier) {
  EXPECT_FALSE(Authenticate(WithHeaders("GET", {})));
  EXPECT_FALSE(Authenticate(WithHeaders("GET", {{"authorization", "Bearer eyJhbGciOi.x.y"}})));
  EXPECT_FALSE(Authenticate(WithHeaders("GET", {{"authorization", "Basic cnB0Xw=="}})));
  // An Authorization header wins over the cookie.
  EXPECT_FALSE(
      Authenticate(WithHeaders("GET", {{"authorization", "Bearer eyJ.x.y"}, {"cookie", cookie_}})));
}

TEST_F(AuthenticateTest, UnknownApiTokenOrSessionIs401) {
  auto token = Authenticate(WithHeaders("GET", {{"authorization", "Bearer rpt_nope"}}));
  ASSERT_TRUE(token && !token->ok());
  EXPECT_EQ(token->error().code(), ErrorCode::kUnauthorized);
  auto session = Authenticate(WithHeaders("GET", {{"cookie", "rapport_session=nope"}}));
  ASSERT_TRUE(session && !session->ok());
  EXPECT_EQ(session->error().code(), ErrorCode::kUnauthorized);
}

TEST_F(AuthenticateTest, SessionReadsFreelyAndWritesWithItsCsrfToken) {
  auto read = Authenticate(WithHeaders("GET", {{"cookie", cookie_}}));
  ASSERT_TRUE(read && read->ok());
  EXPECT_TRUE((*read)->subject.starts_with("user:usr_"));
  EXPECT_EQ((*read)->tenant_id, "t1");
  EXPECT_EQ((*read)->scopes, ScopesOfRole(Role::kEditor));
  for (const char* method : {"POST", "PATCH", "PUT", "DELETE"}) {
    auto bare = Authenticate(WithHeaders(method, {{"cookie", cookie_}}));
    ASSERT_TRUE(bare && !bare->ok()) << method;
    EXPECT_EQ(&bare->error().spec(), &CsrfTokenInvalid());
    EXPECT_EQ(bare->error().status(), 403);
    auto wrong = Authenticate(
        WithHeaders(method, {{"cookie", cookie_}, {"x-csrf-token", csrf_.substr(1) + "A"}}));
    ASSERT_TRUE(wrong && !wrong->ok()) << method;
    auto right = Authenticate(WithHeaders(method, {{"cookie", cookie_}, {"x-csrf-token", csrf_}}));
    ASSERT_TRUE(right && right->ok()) << method;
  }
}

}  // namespace
}  // namespace rapport::accounts
