#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <thread>

namespace rapport {
namespace {

using namespace std::chrono_literals;

// Test handler: runs `steps` steps, failing the first `transient_failures` attempts.
class StepHandler final : public JobHandler {
 public:
  explicit StepHandler(int steps, int transient_failures = 0,
                       ErrorCode failure = ErrorCode::kInternal,
                       std::chrono::milliseconds step_time = 0ms)
      : steps_(steps), failures_(transient_failures), failure_(failure), step_time_(step_time) {}

  Result<JobOutcome> Run(JobContext& ctx) override {
    ++runs;
    if (ctx.job().attempts <= failures_) return Error(failure_, "provider timed out");
    for (int i = 0; i < steps_; ++i) {
      std::this_thread::sleep_for(step_time_);
      if (!ctx.Progress("step", "step " + std::to_string(i), i + 1, steps_)) {
        return Error(ErrorCode::kServiceUnavailable, "stopped");
      }
    }
    return JobOutcome{{{"steps", steps_}}, {{"report.json", "application/json", "{\"ok\":1}"}}};
  }
  std::atomic<int> runs{0};

 private:
  int steps_;
  int failures_;
  ErrorCode failure_;
  std::chrono::milliseconds step_time_;
};

class JobEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-jobs-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "j.db").string()}).value());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Enqueue(const std::string& kind, int64_t max_attempts = 5, UnixMs run_after = 0) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = kind;
    job.max_attempts = max_attempts;
    job.run_after = run_after;
    job.created_at = job.updated_at = SystemClock().NowMs();
    EXPECT_TRUE(store_->InsertJob(job).ok());
    return job.id;
  }
  Job WaitTerminal(const std::string& id, std::chrono::milliseconds limit = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      Job j = store_->GetJob("t1", id).value();
      if (IsTerminal(j.status) || std::chrono::steady_clock::now() > deadline) return j;
      std::this_thread::sleep_for(10ms);
    }
  }
  JobEngineOptions Fast() {
    return {.workers = 2,
            .lease_ms = 600,
            .poll_ms = 10,
            .backoff_base_ms = 20,
            .backoff_max_ms = 100,
            .lost = {.poison_limit = 3, .backoff_base_ms = 20, .backoff_max_ms = 100}};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  JobRegistry registry_;
};

TEST_F(JobEngineTest, CompletesWithResultProgressAndArtifacts) {
  auto handler = std::make_shared<StepHandler>(3);
  registry_.Register("steps", handler);
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  std::string id = Enqueue("steps");
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.status, JobStatus::kCompleted);
  EXPECT_EQ(j.completed, 3);
  EXPECT_EQ(j.total, 3);
  EXPECT_EQ(j.result, R"({"steps":3})");
  EXPECT_EQ(j.attempts, 1);
  ASSERT_TRUE(j.finished_at);
  auto artifacts = store_->GetArtifacts("t1", id).value();
  ASSERT_EQ(artifacts.size(), 1u);
  EXPECT_EQ(artifacts[0].bytes, "{\"ok\":1}");
  EXPECT_TRUE(store_->GetArtifacts("t2", id).value().empty());
}

// An idle engine sleeps between its polls and recoveries. (Lane 0 once kept its next lease
// renewal in the past while it held no job, so its wait returned at once: a core spent spinning,
// hundreds of thousands of passes a second.)
TEST_F(JobEngineTest, AnIdleEngineSleepsUntilItsNextPollOrRecovery) {
  auto handler = std::make_shared<StepHandler>(1);
  registry_.Register("steps", handler);
  JobEngineOptions options = Fast();
  options.lease_ms = 60;   // renewals every 20 ms while a job is held; recoveries every 20 ms
  options.poll_ms = 1000;  // no poll in the window
  JobEngine engine(*store_, SystemClock(), registry_, options);
  engine.Start();
  EXPECT_EQ(WaitTerminal(Enqueue("steps")).status, JobStatus::kCompleted);  // held, then idle
  int64_t before = engine.DispatcherPasses();
  std::this_thread::sleep_for(400ms);
  // About 20 recoveries in 400 ms; spinning made it 10,000 times that.
  EXPECT_LT(engine.DispatcherPasses() - before, 400);
}

TEST_F(JobEngineTest, TransientErrorsRetryWithBackoffThenSucceed) {
  auto handler = std::make_shared<StepHandler>(1, 2, ErrorCode::kServiceUnavailable);
  registry_.Register("flaky", handler);
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  Job j = WaitTerminal(Enqueue("flaky"));
  EXPECT_EQ(j.status, JobStatus::kCompleted);
  EXPECT_EQ(j.attempts, 3);
  EXPECT_EQ(handler->runs.load(), 3);
}

TEST_F(JobEngineTest, TransientErrorsStopAtTheAttemptLimitWithAClearError) {
  registry_.Register("down", std::make_shared<StepHandler>(1, 100, ErrorCode::kServiceUnavailable));
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  Job j = WaitTerminal(Enqueue("down", 3));
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_EQ(j.attempts, 3);
  auto result = boost::json::parse(j.result);
  EXPECT_EQ(result.at("error").at("code").as_string(), "service_unavailable");
  EXPECT_EQ(result.at("error").at("message").as_string(), "provider timed out");
}

TEST_F(JobEngineTest, PermanentErrorsFailAtOnce) {
  auto handler = std::make_shared<StepHandler>(1, 100, ErrorCode::kValidation);
  registry_.Register("bad", handler);
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  Job j = WaitTerminal(Enqueue("bad"));
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_EQ(j.attempts, 1);
  EXPECT_EQ(handler->runs.load(), 1);
}

TEST_F(JobEngineTest, UnknownKindFails) {
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  Job j = WaitTerminal(Enqueue("mystery"));
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_NE(j.result.find("unknown_job_kind"), std::string::npos);
}

TEST_F(JobEngineTest, CancellationIsObservedBetweenSteps) {
  auto handler = std::make_shared<StepHandler>(50, 0, ErrorCode::kInternal, 20ms);
  registry_.Register("slow", handler);
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  std::string id = Enqueue("slow");
  while (store_->GetJob("t1", id)->status != JobStatus::kProcessing)
    std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(60ms);
  auto requested = store_->RequestJobCancel("t1", id, SystemClock().NowMs()).value();
  EXPECT_TRUE(requested.cancel_requested);
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.status, JobStatus::kCancelled);
  EXPECT_LT(j.completed, 50);
  EXPECT_TRUE(store_->GetArtifacts("t1", id).value().empty());
}

TEST_F(JobEngineTest, PendingJobCancelsAtOnceAndTerminalJobsDoNotChange) {
  std::string id = Enqueue("never", 5, SystemClock().NowMs() + 3'600'000);
  auto cancelled = store_->RequestJobCancel("t1", id, SystemClock().NowMs()).value();
  EXPECT_EQ(cancelled.status, JobStatus::kCancelled);
  auto again = store_->RequestJobCancel("t1", id, SystemClock().NowMs() + 5).value();
  EXPECT_EQ(again.status, JobStatus::kCancelled);
  EXPECT_EQ(again.updated_at, cancelled.updated_at);
  EXPECT_EQ(store_->RequestJobCancel("t2", id, 0).error().code(), ErrorCode::kNotFound);
}

TEST_F(JobEngineTest, ShutdownHandsTheJobBackAndAnotherEngineFinishesIt) {
  registry_.Register("slow", std::make_shared<StepHandler>(20, 0, ErrorCode::kInternal, 20ms));
  std::string id;
  {
    JobEngine engine(*store_, SystemClock(), registry_, Fast());
    engine.Start();
    id = Enqueue("slow");
    while (store_->GetJob("t1", id)->status != JobStatus::kProcessing) {
      std::this_thread::sleep_for(5ms);
    }
    engine.Stop();
    Job handed_back = store_->GetJob("t1", id).value();
    EXPECT_EQ(handed_back.status, JobStatus::kPending);
    EXPECT_EQ(handed_back.attempts, 0);
  }
  JobEngine next(*store_, SystemClock(), registry_, Fast());
  next.Start();
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.status, JobStatus::kCompleted);
  EXPECT_EQ(j.attempts, 1);
}

TEST_F(JobEngineTest, ExpiredLeaseOfADeadWorkerIsReclaimedAndFinishedOnce) {
  registry_.Register("steps", std::make_shared<StepHandler>(2));
  std::string id = Enqueue("steps");
  // A worker claims the job and dies without a heartbeat.
  auto claimed =
      store_->ClaimJob("dead:0", SystemClock().NowMs(), {LeaseClock().NowMs(), 200}).value();
  ASSERT_TRUE(claimed);
  EXPECT_FALSE(
      store_->ClaimJob("other:0", SystemClock().NowMs(), {LeaseClock().NowMs(), 200}).value());
  JobEngine engine(*store_, SystemClock(), registry_, Fast());
  engine.Start();
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.status, JobStatus::kCompleted);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(j.lease_losses, 1);  // the dead worker's
  // The dead worker coming back cannot record anything.
  EXPECT_EQ(
      store_->CompleteJob(id, "dead:0", "{}", {{"x", "t", "y"}}, {}, {}, SystemClock().NowMs())
          .error()
          .code(),
      ErrorCode::kConflict);
  EXPECT_EQ(store_->GetArtifacts("t1", id).value().size(), 1u);
}

TEST_F(JobEngineTest, TwoEnginesOnOneStoreRunEachJobExactlyOnce) {
  auto handler = std::make_shared<StepHandler>(1);
  registry_.Register("steps", handler);
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(Enqueue("steps"));
  // A lease long enough that no renewal misses it on a loaded machine: a lease that expires
  // lets the other engine run the job again (at least once), which is not what this checks.
  JobEngineOptions options = Fast();
  options.lease_ms = 10'000;
  JobEngine a(*store_, SystemClock(), registry_, options);
  JobEngine b(*store_, SystemClock(), registry_, options);
  a.Start();
  b.Start();
  for (const auto& id : ids) EXPECT_EQ(WaitTerminal(id).status, JobStatus::kCompleted);
  EXPECT_EQ(handler->runs.load(), 60);
  for (const auto& id : ids) EXPECT_EQ(store_->GetArtifacts("t1", id).value().size(), 1u);
}

TEST(JobBackoff, DoublesFromTheBaseAndCaps) {
  JobEngineOptions o{.backoff_base_ms = 1000, .backoff_max_ms = 60'000};
  EXPECT_EQ(JobEngine::BackoffMs(o, 1, 1.0), 1000);
  EXPECT_EQ(JobEngine::BackoffMs(o, 3, 1.0), 4000);
  EXPECT_EQ(JobEngine::BackoffMs(o, 3, 0.5), 2000);
  EXPECT_EQ(JobEngine::BackoffMs(o, 30, 1.0), 60'000);
}

// Rounds while the local queue is full wait for half a prefetch to claim or record (each round
// costs the database about as much as a hundred short jobs); when it runs low they go for one.
TEST(JobEngineRounds, BatchWhileTheLocalQueueIsFullAndGoForOneWhenItRunsLow) {
  JobEngine::Dispatch full{.workers = 4, .prefetch = 64, .ready = 20, .claiming = 0};
  auto plan = [](JobEngine::Dispatch d, int free, int finishes, bool claim_due, bool finish_due) {
    d.free = free, d.finishes = finishes, d.claim_due = claim_due, d.finish_due = finish_due;
    return JobEngine::PlanRound(d);
  };
  EXPECT_FALSE(plan(full, 31, 0, true, false).claim);   // under half the prefetch: wait
  EXPECT_TRUE(plan(full, 32, 0, true, false).claim);    // half of it: go
  EXPECT_FALSE(plan(full, 64, 0, false, false).claim);  // nothing may be due: no claim
  EXPECT_FALSE(plan(full, 0, 31, true, false).record);  // a few outcomes wait ...
  EXPECT_TRUE(plan(full, 0, 31, true, true).record);    // ... until the oldest is due
  EXPECT_TRUE(plan(full, 0, 32, true, false).record);   // or there are half a prefetch
  EXPECT_TRUE(plan(full, 40, 1, true, false).record);   // and ride along with any claim
  JobEngine::Dispatch low = full;
  low.ready = 2, low.claiming = 1;  // fewer than the workers: a worker may soon wait
  EXPECT_TRUE(plan(low, 1, 0, true, false).claim);
  EXPECT_TRUE(plan(low, 0, 1, false, false).record);
  JobEngine::Dispatch counted = full;
  counted.ready = 0, counted.claiming = 4;  // rounds in flight count as queued
  EXPECT_FALSE(plan(counted, 8, 0, true, false).claim);
  JobEngine::Dispatch long_jobs{.workers = 4, .prefetch = 0, .ready = 4};
  EXPECT_TRUE(plan(long_jobs, 1, 0, true, false).claim);  // no local queue: one at a time
  EXPECT_TRUE(plan(long_jobs, 0, 1, false, false).record);
}

TEST(JobEngineRounds, WakeAWorkerPerLongJobAPerTakeShareForShortOnesAndNoMoreThanTheCoresForTiny) {
  auto wake = [](int claimed, bool short_jobs, bool tiny_jobs, int workers) {
    return JobEngine::WorkersToWake(claimed, short_jobs, tiny_jobs, /*per_take=*/16, /*cores=*/2,
                                    workers);
  };
  EXPECT_EQ(wake(3, false, false, 16), 3);    // long jobs (they may wait on I/O): one each
  EXPECT_EQ(wake(40, false, false, 16), 16);  // at most every worker
  EXPECT_EQ(wake(256, true, false, 16), 16);  // short: 16 jobs a take
  EXPECT_EQ(wake(33, true, false, 16), 3);    // a take's share, rounded up
  EXPECT_EQ(wake(256, true, true, 16), 2);    // tiny: a running worker per core is enough
  EXPECT_EQ(wake(10, true, true, 16), 1);     // fewer takes than cores
  EXPECT_EQ(wake(0, true, true, 16), 0);      // nothing claimed, nobody woken
  EXPECT_EQ(JobEngine::WorkersToWake(256, true, true, 16, 0, 16), 1);  // an unknown core count
}

}  // namespace
}  // namespace rapport
