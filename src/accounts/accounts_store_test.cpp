// The accounts services on both backends: users (unique e-mail in any case, the last admin),
// the login throttle, session expiry (idle, absolute, disabled user) and API token lookup.
#include <rapport/accounts/accounts.hpp>
#include <rapport/accounts/user_service.hpp>
#include <rapport/core/ids.hpp>

#include "session_service.hpp"
#include "store_backends_test_util.hpp"
#include "token_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

namespace rapport::accounts {
namespace {

using storetest::Backend;

class SteppedClock final : public Clock {
 public:
  UnixMs NowMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<UnixMs> now_{1'800'000'000'000};
};

constexpr int64_t kMinute = 60'000;

class AccountsStoreTest : public storetest::BackendStoreTest {
 protected:
  void SetUp() override {
    BackendStoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store_->ApplyMigrations(kAccountsTrack, AccountMigrations()).ok());
    options_.max_failures_per_account = 3;
    options_.max_failures_per_address = 5;
    users_.emplace(*store_, clock_);
    sessions_.emplace(*store_, clock_, options_);
    tokens_.emplace(*store_, clock_);
  }
  void TearDown() override {
    tokens_.reset();
    sessions_.reset();
    users_.reset();
    BackendStoreTest::TearDown();
  }

  User Add(const std::string& tenant, const std::string& email, Role role) {
    auto created = users_->Create(tenant, email, role, std::string("password-of-" + email));
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message());
    return created.ok() ? created->user : User{};
  }

  SteppedClock clock_;
  AccountsOptions options_;
  std::optional<UserService> users_;
  std::optional<SessionService> sessions_;
  std::optional<TokenService> tokens_;
};

TEST_P(AccountsStoreTest, EmailIsUniqueAcrossTenantsInAnyCase) {
  Add("t1", "Ann@Example.com", Role::kAdmin);
  auto again = users_->Create("t2", "ann@EXAMPLE.com", Role::kViewer, std::nullopt);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  auto found = users_->FindByEmail("ANN@example.com");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->email, "Ann@Example.com");
  EXPECT_FALSE(users_->Create("t1", "not-an-email", Role::kViewer, std::nullopt).ok());
}

TEST_P(AccountsStoreTest, GeneratedPasswordSignsIn) {
  auto created = users_->Create("t1", "gen@example.com", Role::kEditor, std::nullopt);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->generated_password.size(), 20u);
  auto in = sessions_->Login("gen@example.com", created->generated_password, "10.0.0.1");
  ASSERT_TRUE(in.ok()) << in.error().message();
  EXPECT_EQ(in->user.role, Role::kEditor);
}

TEST_P(AccountsStoreTest, LastActiveAdminCannotBeRemoved) {
  User admin = Add("t1", "a@example.com", Role::kAdmin);
  Add("t2", "other-tenant-admin@example.com", Role::kAdmin);
  for (UserChange change : {UserChange{.role = Role::kEditor}, UserChange{.disabled = true}}) {
    auto refused = users_->Update("t1", admin.id, change);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code(), ErrorCode::kConflict);
  }
  EXPECT_EQ(users_->Delete("t1", admin.id, true).error().code(), ErrorCode::kConflict);
  User second = Add("t1", "b@example.com", Role::kAdmin);
  EXPECT_TRUE(users_->Update("t1", admin.id, {.disabled = true}).ok());
  EXPECT_EQ(users_->Delete("t1", second.id, true).error().code(), ErrorCode::kConflict);
  EXPECT_TRUE(users_->Update("t1", second.id, {.disabled = true, .keep_an_admin = false}).ok());
  EXPECT_EQ(users_->Get("t2", admin.id).error().code(), ErrorCode::kNotFound);
}

TEST_P(AccountsStoreTest, WrongPasswordUnknownEmailAndDisabledUserFailAlike) {
  User user = Add("t1", "u@example.com", Role::kViewer);
  ASSERT_TRUE(users_->Update("t1", user.id, {.disabled = true}).ok());
  Add("t1", "v@example.com", Role::kViewer);
  for (auto [email, password] : {std::pair{"v@example.com", "wrong password"},
                                 std::pair{"nobody@example.com", "password-of-nobody"},
                                 std::pair{"u@example.com", "password-of-u@example.com"}}) {
    auto in = sessions_->Login(email, password, "10.0.0.1");
    ASSERT_FALSE(in.ok()) << email;
    EXPECT_EQ(in.error().code(), ErrorCode::kUnauthorized);
    EXPECT_EQ(in.error().message(), kLoginFailedMessage);
  }
}

TEST_P(AccountsStoreTest, ThrottlePerAccountThenWindowPasses) {
  Add("t1", "u@example.com", Role::kViewer);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sessions_->Login("u@example.com", "wrong", "10.0.0.1").error().code(),
              ErrorCode::kUnauthorized);
    clock_.Advance(1000);
  }
  auto throttled = sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.2");
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code(), ErrorCode::kRateLimitExceeded);
  int64_t retry = throttled.error().details().at("retry_after").as_int64();
  EXPECT_GT(retry, 14 * 60);
  EXPECT_LE(retry, 15 * 60);
  clock_.Advance(15 * kMinute);
  auto in = sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.2");
  ASSERT_TRUE(in.ok()) << in.error().message();
}

TEST_P(AccountsStoreTest, ThrottlePerAddressAcrossAccounts) {
  Add("t1", "u@example.com", Role::kViewer);
  for (int i = 0; i < 5; ++i) {
    (void)sessions_->Login("user" + std::to_string(i) + "@example.com", "wrong", "10.9.9.9");
  }
  auto from_there = sessions_->Login("u@example.com", "password-of-u@example.com", "10.9.9.9");
  ASSERT_FALSE(from_there.ok());
  EXPECT_EQ(from_there.error().code(), ErrorCode::kRateLimitExceeded);
  EXPECT_TRUE(sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.1").ok());
}

TEST_P(AccountsStoreTest, SuccessResetsTheAccountCounter) {
  Add("t1", "u@example.com", Role::kViewer);
  for (int round = 0; round < 3; ++round) {  // the address's count is not reset: one per round
    std::string address = "10.0.0." + std::to_string(round);
    for (int i = 0; i < 2; ++i) (void)sessions_->Login("u@example.com", "wrong", address);
    ASSERT_TRUE(sessions_->Login("u@example.com", "password-of-u@example.com", address).ok());
  }
}

TEST_P(AccountsStoreTest, SessionSlidesThenExpiresWhenIdle) {
  Add("t1", "u@example.com", Role::kViewer);
  auto in = sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.1");
  ASSERT_TRUE(in.ok());
  for (int i = 0; i < 4; ++i) {  // used every 20 minutes: two hours alive
    clock_.Advance(20 * kMinute);
    ASSERT_TRUE(sessions_->Resolve(in->cookie_token, clock_.NowMs()).ok()) << i;
  }
  clock_.Advance(31 * kMinute);
  auto idle = sessions_->Resolve(in->cookie_token, clock_.NowMs());
  ASSERT_FALSE(idle.ok());
  EXPECT_EQ(idle.error().code(), ErrorCode::kUnauthorized);
  EXPECT_FALSE(sessions_->Resolve("not-a-session", clock_.NowMs()).ok());
}

TEST_P(AccountsStoreTest, SessionEndsAtItsAbsoluteExpiry) {
  Add("t1", "u@example.com", Role::kViewer);
  auto in = sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.1");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->expires_at - clock_.NowMs(), 12 * 60 * kMinute);
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    clock_.Advance(20 * kMinute);
    ASSERT_TRUE(sessions_->Resolve(in->cookie_token, clock_.NowMs()).ok()) << i;
  }
  clock_.Advance(20 * kMinute);
  EXPECT_FALSE(sessions_->Resolve(in->cookie_token, clock_.NowMs()).ok());
}

TEST_P(AccountsStoreTest, DisablingOrDeletingAUserEndsTheirSessionsAtOnce) {
  User u = Add("t1", "u@example.com", Role::kViewer);
  User v = Add("t1", "v@example.com", Role::kViewer);
  auto su = sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.1");
  auto sv = sessions_->Login("v@example.com", "password-of-v@example.com", "10.0.0.1");
  ASSERT_TRUE(su.ok() && sv.ok());
  ASSERT_TRUE(users_->Update("t1", u.id, {.disabled = true}).ok());
  ASSERT_TRUE(users_->Delete("t1", v.id, true).ok());
  EXPECT_FALSE(sessions_->Resolve(su->cookie_token, clock_.NowMs()).ok());
  EXPECT_FALSE(sessions_->Resolve(sv->cookie_token, clock_.NowMs()).ok());
  ASSERT_TRUE(users_->Update("t1", u.id, {.disabled = false}).ok());
  EXPECT_FALSE(sessions_->Resolve(su->cookie_token, clock_.NowMs()).ok());
}

TEST_P(AccountsStoreTest, LogoutEndsTheSession) {
  Add("t1", "u@example.com", Role::kViewer);
  auto in = sessions_->Login("u@example.com", "password-of-u@example.com", "10.0.0.1");
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(sessions_->Logout(in->cookie_token).ok());
  EXPECT_FALSE(sessions_->Resolve(in->cookie_token, clock_.NowMs()).ok());
}

TEST_P(AccountsStoreTest, TokenLookupExpiryAndRevocation) {
  Principal admin{"user:usr_x", "t1", {"read:all", "write:all"}};
  auto forever = tokens_->Create(admin, {"ci", {"read:all"}, std::nullopt});
  auto hour = tokens_->Create(admin, {"short", {"write:sla"}, 3600});
  ASSERT_TRUE(forever.ok() && hour.ok());
  EXPECT_TRUE(forever->secret.starts_with("rpt_"));
  auto p = tokens_->Authenticate(forever->secret, clock_.NowMs());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->subject, "token:" + forever->row.id);
  EXPECT_EQ(p->tenant_id, "t1");
  EXPECT_EQ(p->scopes, std::vector<std::string>{"read:all"});
  EXPECT_FALSE(tokens_->Authenticate(forever->secret + "x", clock_.NowMs()).ok());
  clock_.Advance(3600 * 1000);
  EXPECT_FALSE(tokens_->Authenticate(hour->secret, clock_.NowMs()).ok());
  EXPECT_EQ(tokens_->Revoke("t2", forever->row.id).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(tokens_->Revoke("t1", forever->row.id).ok());
  EXPECT_FALSE(tokens_->Authenticate(forever->secret, clock_.NowMs()).ok());
  auto listed = tokens_->List("t1", {10, std::nullopt});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items[0].id, hour->row.id);  // newest first
  EXPECT_TRUE(listed->items[1].revoked_at.has_value());
  EXPECT_TRUE(listed->items[1].last_used_at.has_value());
}

TEST_P(AccountsStoreTest, TokenScopesMayNotExceedTheCreators) {
  Principal editor{"user:usr_e", "t1", ScopesOfRole(Role::kEditor)};
  EXPECT_TRUE(tokens_->Create(editor, {"ok", {"read:all", "write:sla"}, std::nullopt}).ok());
  for (const char* scope : {"write:webhooks", "write:all", "*", "write:tokens"}) {
    auto refused = tokens_->Create(editor, {"no", {scope}, std::nullopt});
    ASSERT_FALSE(refused.ok()) << scope;
    EXPECT_EQ(refused.error().code(), ErrorCode::kForbidden) << scope;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsStoreTest, storetest::Backends(),
                         storetest::BackendName);

}  // namespace
}  // namespace rapport::accounts
