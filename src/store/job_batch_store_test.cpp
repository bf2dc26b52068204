// The job engine's part of the JobQueue contract, on both backends: a batch records its
// finishes (only for jobs its owner holds), renews leases (saying which it lost and which are to
// be cancelled) and claims due jobs oldest first; jobs of a dead worker go back after a backoff
// that doubles, and fail 'worker_lost' at the poison limit.
#include <rapport/core/ids.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

namespace rapport {
namespace {

using storetest::BackendName;
using storetest::Backends;

class JobBatchConformance : public storetest::BackendStoreTest {
 protected:
  std::string Enqueue(UnixMs run_after, const std::string& id = "") {
    Job job;
    job.id = id.empty() ? NewId("job") : id;
    job.tenant_id = "t1";
    job.kind = "noop";
    job.total = 3;
    job.run_after = run_after;
    EXPECT_TRUE(store_->InsertJob(job).ok());
    return job.id;
  }

  JobBatchResult Run(JobBatch batch) {
    auto result = store_->RunJobBatch(batch);
    EXPECT_TRUE(result.ok()) << result.error().message();
    return result.ok() ? *result : JobBatchResult{};
  }

  Job Get(const std::string& id) { return store_->GetJob("t1", id).value(); }
};

TEST_P(JobBatchConformance, ClaimsTheDueJobsOldestFirstUpToTheCount) {
  std::string late = Enqueue(3'000), first = Enqueue(1'000), second = Enqueue(2'000);
  Enqueue(9'000);  // not due
  auto result = Run({.owner = "n1", .now = 5'000, .lease = {100, 1'000}, .claim = 2});
  ASSERT_EQ(result.claimed.size(), 2u);
  EXPECT_EQ(result.claimed[0].id, first);
  EXPECT_EQ(result.claimed[1].id, second);
  for (const auto& job : result.claimed) {
    EXPECT_EQ(job.status, JobStatus::kProcessing);
    EXPECT_EQ(job.lease_owner, "n1");
    EXPECT_EQ(job.lease_expires_at, 1'100);
    EXPECT_EQ(job.attempts, 1);
  }
  result = Run({.owner = "n2", .now = 5'000, .lease = {100, 1'000}, .claim = 5});
  ASSERT_EQ(result.claimed.size(), 1u);  // the last due one; the 9,000 one waits
  EXPECT_EQ(result.claimed[0].id, late);
}

TEST_P(JobBatchConformance, FinishesRecordEachEndOnlyForTheOwnersJobs) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Enqueue(1'000 + i));
  auto claimed = Run({.owner = "n1", .now = 2'000, .lease = {0, 60'000}, .claim = 5}).claimed;
  ASSERT_EQ(claimed.size(), 5u);
  std::string other = Enqueue(1'500);
  Run({.owner = "n2", .now = 2'000, .lease = {0, 60'000}, .claim = 1});
  auto result = Run({.owner = "n1",
                     .now = 3'000,
                     .lease = {0, 60'000},
                     .finishes = {{ids[0], JobEnd::kCompleted, R"({"ok":1})"},
                                  {ids[1], JobEnd::kFailed, R"({"error":{}})"},
                                  {ids[2], JobEnd::kRetry, R"({"error":"x"})", 7'000},
                                  {ids[3], JobEnd::kCancelled},
                                  {ids[4], JobEnd::kReleased},
                                  {other, JobEnd::kCompleted, "{}"}}});
  EXPECT_EQ(result.finished, (std::vector<bool>{true, true, true, true, true, false}));
  Job done = Get(ids[0]);
  EXPECT_EQ(done.status, JobStatus::kCompleted);
  EXPECT_EQ(done.result, R"({"ok":1})");
  EXPECT_EQ(done.completed, 3);  // completed = total
  EXPECT_EQ(done.finished_at, 3'000);
  EXPECT_EQ(Get(ids[1]).status, JobStatus::kFailed);
  Job retry = Get(ids[2]);
  EXPECT_EQ(retry.status, JobStatus::kPending);
  EXPECT_EQ(retry.run_after, 7'000);
  EXPECT_FALSE(retry.finished_at.has_value());
  EXPECT_EQ(retry.message, "retrying after a transient error");
  EXPECT_EQ(Get(ids[3]).status, JobStatus::kCancelled);
  Job released = Get(ids[4]);
  EXPECT_EQ(released.status, JobStatus::kPending);
  EXPECT_EQ(released.attempts, 0);  // handed back untouched
  EXPECT_EQ(released.run_after, 3'000);
  Job others = Get(other);  // n2's: untouched
  EXPECT_EQ(others.status, JobStatus::kProcessing);
  EXPECT_EQ(others.lease_owner, "n2");
}

TEST_P(JobBatchConformance, RenewalsExtendHeldLeasesAndReportLostOnesAndCancellations) {
  std::string a = Enqueue(1'000), b = Enqueue(1'001), c = Enqueue(1'002);
  ASSERT_EQ(Run({.owner = "n1", .now = 2'000, .lease = {0, 10'000}, .claim = 2}).claimed.size(),
            2u);
  ASSERT_EQ(Run({.owner = "n1", .now = 2'000, .lease = {0, 1'000}, .claim = 1}).claimed.size(), 1u);
  ASSERT_TRUE(store_->RequestJobCancel("t1", b, 2'100).ok());
  // c's lease ran out and its job went back (n1 stalled): n1 no longer holds it.
  ASSERT_EQ(store_->RecoverLostJobs(2'200, 1'500, {.poison_limit = 5}).value(), 1);
  auto result =
      Run({.owner = "n1", .now = 2'400, .lease = {2'000, 5'000}, .renew = {a, b, c}, .claim = 0});
  ASSERT_EQ(result.renewed.size(), 2u);
  std::map<std::string, bool> renewed(result.renewed.begin(), result.renewed.end());
  EXPECT_FALSE(renewed.at(a));
  EXPECT_TRUE(renewed.at(b));  // cancellation requested
  EXPECT_FALSE(renewed.count(c));
  EXPECT_EQ(Get(a).lease_expires_at, 7'000);
}

TEST_P(JobBatchConformance, LostJobsGoBackAfterADoublingBackoffThenFailAtThePoisonLimit) {
  std::string id = Enqueue(0);
  const LostJobPolicy policy{.poison_limit = 3, .backoff_base_ms = 1'000, .backoff_max_ms = 1'500};
  UnixMs now = 10'000;
  for (int loss = 1; loss <= 3; ++loss) {
    auto claimed = Run({.owner = "n1", .now = now, .lease = {now, 100}, .claim = 1}).claimed;
    ASSERT_EQ(claimed.size(), 1u) << loss;
    EXPECT_EQ(claimed[0].attempts, loss);
    EXPECT_EQ(store_->RecoverLostJobs(now, now + 100, policy).value(), 0);  // not yet expired
    EXPECT_EQ(store_->RecoverLostJobs(now, now + 101, policy).value(), 1);
    Job job = Get(id);
    EXPECT_EQ(job.lease_losses, loss);
    if (loss == 3) {
      EXPECT_EQ(job.status, JobStatus::kFailed);
      EXPECT_NE(job.result.find("worker_lost"), std::string::npos);
      break;
    }
    EXPECT_EQ(job.status, JobStatus::kPending);
    // 1,000 then 2,000 capped at 1,500.
    EXPECT_EQ(job.run_after, now + (loss == 1 ? 1'000 : 1'500));
    EXPECT_TRUE(Run({.owner = "n1", .now = job.run_after - 1, .lease = {now, 100}, .claim = 1})
                    .claimed.empty());
    now = job.run_after;
  }
  EXPECT_TRUE(
      Run({.owner = "n1", .now = 99'000, .lease = {99'000, 100}, .claim = 1}).claimed.empty());
}

TEST_P(JobBatchConformance, ClaimJobIsABatchOfOne) {
  std::string id = Enqueue(1'000);
  Enqueue(1'001);
  auto job = store_->ClaimJob("w1", 2'000, {0, 60'000}).value();
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->id, id);
  EXPECT_EQ(Get(id).lease_owner, "w1");
}

INSTANTIATE_TEST_SUITE_P(Backends, JobBatchConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
