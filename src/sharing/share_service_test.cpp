// ShareService on both backends: a link opens by its token only while it is live (a view counted
// each time it is asked to), expires by the clock, is revoked once, is listed newest first without
// its token, and goes with its report.
#include <rapport/core/ids.hpp>
#include <rapport/sharing/share_service.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

namespace rapport {
namespace {

using storetest::Backend;
using storetest::BackendName;
using storetest::Backends;

constexpr int64_t kDayMs = 86'400'000;

class FakeClock final : public Clock {
 public:
  UnixMs NowMs() const override { return now.load(); }
  std::atomic<UnixMs> now{1'800'000'000'000};
};

class ShareServiceTest : public storetest::BackendStoreTest {
 protected:
  void SetUp() override {
    BackendStoreTest::SetUp();
    if (HasFatalFailure()) return;
    shares_.emplace(*store_, clock_);
    ASSERT_TRUE(shares_->Install({"sla"}).ok());
  }
  void TearDown() override {
    shares_.reset();
    BackendStoreTest::TearDown();
  }

  static bool IsNotFound(const Result<Share>& r) {
    return !r.ok() && r.error().code() == ErrorCode::kNotFound;
  }

  FakeClock clock_;
  std::optional<ShareService> shares_;
};

TEST_P(ShareServiceTest, OpensByTokenCountingViewsOnlyWhenAsked) {
  NewShare made = shares_->Create("t1", "rpt_1", "alice", 7).value();
  EXPECT_EQ(made.token.size(), 43u);
  EXPECT_EQ(made.share.expires_at - made.share.created_at, 7 * kDayMs);
  EXPECT_EQ(shares_->Open(made.token, true).value().views, 1);
  EXPECT_EQ(shares_->Open(made.token, false).value().views, 1);
  clock_.now += 1000;
  Share seen = shares_->Open(made.token, true).value();
  EXPECT_EQ(seen.views, 2);
  EXPECT_EQ(seen.last_viewed_at, clock_.now.load());
  EXPECT_EQ(seen.created_by, "alice");
  EXPECT_TRUE(IsNotFound(shares_->Open(made.token.substr(1) + "A", true)));
  EXPECT_TRUE(IsNotFound(shares_->Open("short", true)));
}

TEST_P(ShareServiceTest, ExpiresByTheClock) {
  NewShare made = shares_->Create("t1", "rpt_1", "alice", 1).value();
  clock_.now += kDayMs - 1;
  EXPECT_TRUE(shares_->Open(made.token, true).ok());
  clock_.now += 1;
  EXPECT_TRUE(IsNotFound(shares_->Open(made.token, true)));
  EXPECT_TRUE(IsNotFound(shares_->Open(made.token, false)));
}

TEST_P(ShareServiceTest, RevokesOnceAndOnlyTheTenantsReportsLink) {
  NewShare made = shares_->Create("t1", "rpt_1", "alice", 30).value();
  EXPECT_TRUE(IsNotFound(shares_->Revoke("t2", "rpt_1", made.share.id)));
  EXPECT_TRUE(IsNotFound(shares_->Revoke("t1", "rpt_2", made.share.id)));
  UnixMs first = clock_.now;
  EXPECT_EQ(shares_->Revoke("t1", "rpt_1", made.share.id).value().revoked_at, first);
  clock_.now += 5000;
  EXPECT_EQ(shares_->Revoke("t1", "rpt_1", made.share.id).value().revoked_at, first);
  EXPECT_TRUE(IsNotFound(shares_->Open(made.token, true)));
}

TEST_P(ShareServiceTest, ListsNewestFirstByPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(shares_->Create("t1", "rpt_1", "alice", 30).value().share.id);
    clock_.now += 1;
  }
  ASSERT_TRUE(shares_->Create("t1", "rpt_2", "alice", 30).ok());
  ASSERT_TRUE(shares_->Create("t2", "rpt_1", "bob", 30).ok());
  Page<Share> first = shares_->List("t1", "rpt_1", {.limit = 2}).value();
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_TRUE(first.has_more);
  EXPECT_EQ(first.items[0].id, ids[2]);
  EXPECT_EQ(first.items[1].id, ids[1]);
  Page<Share> rest = shares_->List("t1", "rpt_1", {.limit = 2, .after_id = ids[1]}).value();
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_FALSE(rest.has_more);
  EXPECT_EQ(rest.items[0].id, ids[0]);
}

TEST_P(ShareServiceTest, RefusesAnExpiryOutsideOneToThreeHundredSixtyFiveDays) {
  for (int days : {0, -1, 366}) {
    auto made = shares_->Create("t1", "rpt_1", "alice", days);
    ASSERT_FALSE(made.ok()) << days;
    EXPECT_EQ(made.error().code(), ErrorCode::kBodyValidation);
  }
  EXPECT_TRUE(shares_->Create("t1", "rpt_1", "alice", 365).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, ShareServiceTest, Backends(), BackendName);

}  // namespace
}  // namespace rapport
