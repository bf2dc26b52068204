// The job engine on both backends: engines of two nodes (two stores on one database), one of
// them with several rounds in flight, run every job exactly once through batched claims and
// completions; the dispatcher's lease renewals stop
// a job whose lease another node took (recording nothing) and deliver cancellation to a handler
// that never reports progress; on PostgreSQL an idle engine starts a job another node enqueued
// at once (LISTEN/NOTIFY), not at its next poll; a drain wakes the dispatcher per round.
#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/sql.hpp>
#include <rapport/store/store.hpp>

#include "../store/pg_cluster_test_util.hpp"
#include "../store/store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace rapport {
namespace {

using namespace std::chrono_literals;
using storetest::BackendName;
using storetest::Backends;

// Counts its runs per job and completes at once.
class CountingHandler : public JobHandler {
 public:
  Result<JobOutcome> Run(JobContext& ctx) override {
    std::lock_guard lock(mu_);
    ++runs_[ctx.job().id];
    return JobOutcome{.result = {{"job", ctx.job().id}}};
  }
  std::map<std::string, int> runs() {
    std::lock_guard lock(mu_);
    return runs_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> runs_;
};

// Never reports progress: waits until the engine asks it to stop, and says why.
class WaitingHandler : public JobHandler {
 public:
  Result<JobOutcome> Run(JobContext& ctx) override {
    started = true;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!ctx.ShouldStop() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    seen = ctx.stop_reason();
    return Error(ErrorCode::kServiceUnavailable, "stopped");
  }
  std::atomic<bool> started{false};
  std::atomic<StopReason> seen{StopReason::kNone};
};

class JobEngineBackends : public storetest::BackendStoreTest {
 protected:
  std::string Enqueue(Store& store, const std::string& kind) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = kind;
    job.created_at = job.updated_at = SystemClock().NowMs();
    EXPECT_TRUE(store.InsertJob(job).ok());
    return job.id;
  }

  Job WaitFor(const std::string& id, const std::function<bool(const Job&)>& done) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (true) {
      Job j = store_->GetJob("t1", id).value();
      if (done(j) || std::chrono::steady_clock::now() > deadline) return j;
      std::this_thread::sleep_for(10ms);
    }
  }

  static JobEngineOptions Options(const std::string& node) {
    return {.workers = 4, .lease_ms = 600, .poll_ms = 20, .node_id = node};
  }

  // A second store on the same database: another node.
  std::unique_ptr<Store> SecondNode() {
    return storetest::OpenOrNull(
        GetParam().name == "sqlite" ? "sqlite://" + (dir_ / "store.db").string() : url_);
  }

  void SetUp() override {
    if (GetParam().name == "postgres") {
      url_ = pgtest::FreshPgDatabase();
      dir_ = std::filesystem::temp_directory_path() / ("rapport-engine-" + NewUuidV4());
      std::filesystem::create_directories(dir_);
      store_ = storetest::OpenOrNull(url_);
      ASSERT_TRUE(store_);
      return;
    }
    storetest::BackendStoreTest::SetUp();
  }

  std::string url_;
  JobRegistry registry_;
};

TEST_P(JobEngineBackends, TwoNodesRunEveryJobExactlyOnceInBatches) {
  auto handler = std::make_shared<CountingHandler>();
  registry_.Register("noop", handler);
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(Enqueue(*store_, "noop"));
  auto other = SecondNode();
  ASSERT_TRUE(other);
  {
    // Node a runs three rounds at once (each on its own connection), node b one. Leases long
    // enough that a loaded machine's late renewal cannot hand a job to the other node.
    JobEngineOptions options_a = Options("a"), options_b = Options("b");
    options_a.batch_lanes = 3, options_b.batch_lanes = 1;
    options_a.lease_ms = options_b.lease_ms = 10'000;
    JobEngine a(*store_, SystemClock(), registry_, options_a);
    JobEngine b(*other, SystemClock(), registry_, options_b);
    a.Start();
    b.Start();
    WaitFor(ids.back(), [](const Job& j) { return IsTerminal(j.status); });
    for (const auto& id : ids) WaitFor(id, [](const Job& j) { return IsTerminal(j.status); });
  }
  auto runs = handler->runs();
  EXPECT_EQ(runs.size(), ids.size());
  for (const auto& id : ids) {
    EXPECT_EQ(runs[id], 1) << id;
    Job j = store_->GetJob("t1", id).value();
    EXPECT_EQ(j.status, JobStatus::kCompleted) << id;
    EXPECT_EQ(j.result, R"({"job":")" + id + R"("})");
    EXPECT_EQ(j.attempts, 1);
  }
}

TEST_P(JobEngineBackends, ADrainOfTinyJobsWakesTheDispatcherPerRoundNotPerTake) {
  registry_.Register("noop", std::make_shared<CountingHandler>());
  constexpr int kJobs = 3000;
  for (int i = 0; i < kJobs; ++i) Enqueue(*store_, "noop");
  JobEngineOptions options = Options("a");
  options.poll_ms = 1000;  // claims go on while there may be more, not at the poll's pace
  JobEngine engine(*store_, SystemClock(), registry_, options);
  engine.Start();
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (store_->CountUnfinishedJobs("t1").value() > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(store_->CountUnfinishedJobs("t1").value(), 0);
  // Rounds of about a hundred jobs, and a few passes around each. Woken after every take of 16
  // jobs, and spinning on a past poll time while a round was in flight and the local queue full,
  // the dispatchers made ~950 on PostgreSQL (two lanes); now ~65.
  EXPECT_LT(engine.DispatcherPasses(), kJobs / 10);
}

TEST_P(JobEngineBackends, AJobWhoseLeaseAnotherNodeTookStopsAndRecordsNothing) {
  auto handler = std::make_shared<WaitingHandler>();
  registry_.Register("wait", handler);
  std::string id = Enqueue(*store_, "wait");
  JobEngine engine(*store_, SystemClock(), registry_, Options("a"));
  engine.Start();
  WaitFor(id, [](const Job& j) { return j.status == JobStatus::kProcessing; });
  ASSERT_TRUE(store_
                  ->Write([&](sql::Connection& c) {
                    c.Prepare(
                         "UPDATE jobs SET lease_owner = 'thief', "
                         "lease_expires_at = lease_expires_at + 3600000 WHERE id = ?1")
                        .Bind(1, id)
                        .Run();
                  })
                  .ok());
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (handler->seen == StopReason::kNone && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(handler->seen, StopReason::kLeaseLost);
  engine.Stop();
  Job j = store_->GetJob("t1", id).value();
  EXPECT_EQ(j.status, JobStatus::kProcessing);  // the thief's to finish
  EXPECT_EQ(j.lease_owner, "thief");
  EXPECT_TRUE(j.result.empty());
}

TEST_P(JobEngineBackends, CancellationReachesAHandlerThatNeverReportsProgress) {
  auto handler = std::make_shared<WaitingHandler>();
  registry_.Register("wait", handler);
  std::string id = Enqueue(*store_, "wait");
  JobEngine engine(*store_, SystemClock(), registry_, Options("a"));
  engine.Start();
  WaitFor(id, [](const Job& j) { return j.status == JobStatus::kProcessing; });
  ASSERT_TRUE(store_->RequestJobCancel("t1", id, SystemClock().NowMs()).ok());
  Job j = WaitFor(id, [](const Job& j) { return IsTerminal(j.status); });
  EXPECT_EQ(j.status, JobStatus::kCancelled);
  EXPECT_EQ(handler->seen, StopReason::kCancelRequested);
}

TEST_P(JobEngineBackends, AnIdleEngineStartsAJobAnotherNodeEnqueuedWithoutWaitingForItsPoll) {
  if (GetParam().name != "postgres") GTEST_SKIP() << "SQLite has one process: it wakes itself";
  auto handler = std::make_shared<CountingHandler>();
  registry_.Register("noop", handler);
  JobEngineOptions options = Options("a");
  options.poll_ms = 10 * 60'000;  // it would not look before ten minutes
  JobEngine engine(*store_, SystemClock(), registry_, options);
  engine.Start();
  std::this_thread::sleep_for(300ms);  // past its first look at the empty queue: idle
  auto other = SecondNode();
  ASSERT_TRUE(other);
  std::string id = Enqueue(*other, "noop");
  Job j = WaitFor(id, [](const Job& j) { return IsTerminal(j.status); });
  EXPECT_EQ(j.status, JobStatus::kCompleted);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobEngineBackends, Backends(), BackendName);

}  // namespace
}  // namespace rapport
