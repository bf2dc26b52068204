// Report kinds plugged into the generic store, on both backends: ReportHooks run inside the
// transaction of CompleteJob, DeleteReport and PurgeFinishedJobs (a hook that throws undoes the
// whole change) and only for their kind; FireSchedules advances a kind's own schedule table and
// refuses a table name it could not splice safely.
#include <rapport/core/ids.hpp>
#include <rapport/store/sql.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <any>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace rapport {
namespace {

using storetest::Backend;
using storetest::BackendName;
using storetest::Backends;

// What the hooks saw: one row per call.
const KindDatabase::Migration kCalls{
    1, "hook calls",
    "CREATE TABLE hook_calls (seq INTEGER PRIMARY KEY, hook TEXT, report_id TEXT, seen TEXT)",
    "CREATE TABLE hook_calls (seq BIGSERIAL PRIMARY KEY, hook TEXT, report_id TEXT, seen TEXT)"};
const KindDatabase::Migration kSchedules{
    2, "schedules",
    "CREATE TABLE test_schedules (tenant_id TEXT, id TEXT PRIMARY KEY, next_run_at INTEGER)",
    "CREATE TABLE test_schedules (tenant_id TEXT, id TEXT PRIMARY KEY, next_run_at BIGINT)"};

void RecordCall(sql::Connection& c, const std::string& hook, const std::string& report_id,
                const std::string& seen) {
  c.Prepare("INSERT INTO hook_calls (hook, report_id, seen) VALUES (?1, ?2, ?3)")
      .Bind(1, hook)
      .Bind(2, report_id)
      .Bind(3, seen)
      .Run();
}

// How many rows of `sql` (a literal with one parameter) match `value`, as text.
std::string Count(sql::Connection& c, const char* sql, const std::string& value) {
  auto q = c.Prepare(sql);
  q.Bind(1, value);
  q.Step();
  return std::to_string(q.Int(0));
}

// Hooks of `kind` that record each call with what the transaction shows them: `stored` the
// report's kind_data and whether its row is there; `deleted` whether the row is still there;
// `jobs_purged` how many finished jobs are still there.
ReportHooks Recording(const std::string& kind) {
  ReportHooks h;
  h.kind = kind;
  h.stored = [kind](sql::Connection& c, const Report& r) {
    std::string row = Count(c, "SELECT COUNT(*) FROM reports WHERE id = ?1", r.id);
    RecordCall(c, kind + ".stored", r.id, std::any_cast<std::string>(r.kind_data) + ":" + row);
  };
  h.deleted = [kind](sql::Connection& c, const std::string& tenant_id, const std::string& id) {
    RecordCall(c, kind + ".deleted", id,
               tenant_id + ":" + Count(c, "SELECT COUNT(*) FROM reports WHERE id = ?1", id));
  };
  h.jobs_purged = [kind](sql::Connection& c, UnixMs cutoff) {
    auto q = c.Prepare("SELECT COUNT(*) FROM jobs WHERE finished_at < ?1");
    q.Bind(1, cutoff);
    q.Step();
    RecordCall(c, kind + ".jobs_purged", "", std::to_string(q.Int(0)));
  };
  return h;
}

// Hooks of `kind` that write a call, then throw.
ReportHooks Throwing(const std::string& kind) {
  ReportHooks h;
  h.kind = kind;
  h.stored = [](sql::Connection& c, const Report& r) {
    RecordCall(c, "throwing.stored", r.id, "");
    throw std::runtime_error("stored failed");
  };
  h.deleted = [](sql::Connection& c, const std::string&, const std::string& id) {
    RecordCall(c, "throwing.deleted", id, "");
    throw std::runtime_error("deleted failed");
  };
  h.jobs_purged = [](sql::Connection& c, UnixMs) {
    RecordCall(c, "throwing.jobs_purged", "", "");
    throw std::runtime_error("jobs_purged failed");
  };
  return h;
}

class ReportHooksTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-hooks-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = GetParam().open(dir_);
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->ApplyMigrations("hooktest", {kCalls, kSchedules}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A new job of tenant t1, claimed by w1.
  std::string ClaimedJob() {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = "test_report";
    EXPECT_TRUE(store_->InsertJob(job).ok());
    EXPECT_TRUE(store_->ClaimJob("w1", 1000, {1000, 60'000}).value().has_value());
    return job.id;
  }

  static Report MakeReport(const std::string& kind, const std::string& part, std::any data) {
    Report r;
    r.id = NewId("rpt");
    r.kind = kind;
    r.part = part;
    r.trigger = "on_demand";
    r.from_date = r.to_date = "2026-03-01";
    r.body = "{}";
    r.kind_data = std::move(data);
    return r;
  }

  // Completes a new job with `reports` at 2000.
  Status Complete(const std::vector<Report>& reports) {
    return store_->CompleteJob(ClaimedJob(), "w1", "{}", {}, reports, {}, 2000);
  }

  // Every recorded call as "hook report_id seen", in insertion order.
  std::vector<std::string> Calls() {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Connection& c) {
                      auto q =
                          c.Prepare("SELECT hook, report_id, seen FROM hook_calls ORDER BY seq");
                      while (q.Step()) out.push_back(q.Text(0) + " " + q.Text(1) + " " + q.Text(2));
                    })
                    .ok());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

using ReportHooksConformance = ReportHooksTest;
using ScheduleRunStoreConformance = ReportHooksTest;

TEST_P(ReportHooksConformance, StoredRunsAfterTheReportRowForItsKindOnly) {
  store_->AddReportHooks(Recording("alpha"));
  store_->AddReportHooks(Recording("beta"));
  Report alpha = MakeReport("alpha", "a", std::string("x"));
  Report gamma = MakeReport("gamma", "g", std::string("y"));
  ASSERT_TRUE(Complete({alpha, gamma}).ok());
  EXPECT_EQ(Calls(), (std::vector<std::string>{"alpha.stored " + alpha.id + " x:1"}));
  EXPECT_TRUE(store_->GetReport("t1", gamma.id).ok());
}

TEST_P(ReportHooksConformance, AThrowingStoredHookFailsCompleteJobAndStoresNothing) {
  store_->AddReportHooks(Throwing("alpha"));
  std::string job = ClaimedJob();
  Report alpha = MakeReport("alpha", "a", std::string("x"));
  Report gamma = MakeReport("gamma", "g", std::string("y"));
  auto completed = store_->CompleteJob(job, "w1", "{}", {}, {gamma, alpha}, {}, 2000);
  ASSERT_FALSE(completed.ok());
  EXPECT_EQ(completed.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(store_->GetReport("t1", alpha.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetReport("t1", gamma.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetJob("t1", job)->status, JobStatus::kProcessing);
  EXPECT_TRUE(Calls().empty());
}

TEST_P(ReportHooksConformance, DeletedRunsBeforeTheRowGoesForItsKindOnly) {
  store_->AddReportHooks(Recording("alpha"));
  Report alpha = MakeReport("alpha", "a", std::string("x"));
  Report gamma = MakeReport("gamma", "g", std::string("y"));
  ASSERT_TRUE(Complete({alpha, gamma}).ok());
  ASSERT_TRUE(store_->DeleteReport("t1", alpha.id).ok());
  ASSERT_TRUE(store_->DeleteReport("t1", gamma.id).ok());
  EXPECT_EQ(store_->DeleteReport("t1", alpha.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteReport("t2", gamma.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Calls(), (std::vector<std::string>{"alpha.stored " + alpha.id + " x:1",
                                               "alpha.deleted " + alpha.id + " t1:1"}));
}

TEST_P(ReportHooksConformance, AThrowingDeletedHookKeepsTheReport) {
  ReportHooks hooks = Throwing("alpha");
  hooks.stored = nullptr;  // a kind need not set every hook
  store_->AddReportHooks(hooks);
  Report alpha = MakeReport("alpha", "a", std::any());
  ASSERT_TRUE(Complete({alpha}).ok());
  auto deleted = store_->DeleteReport("t1", alpha.id);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code(), ErrorCode::kInternal);
  EXPECT_TRUE(store_->GetReport("t1", alpha.id).ok());
  EXPECT_TRUE(Calls().empty());
}

TEST_P(ReportHooksConformance, JobsPurgedRunsForEveryKindBeforeTheJobsGo) {
  store_->AddReportHooks(Recording("alpha"));
  store_->AddReportHooks(Recording("beta"));
  std::string job = ClaimedJob();
  ASSERT_TRUE(store_->CompleteJob(job, "w1", "{}", {}, {}, {}, 2000).ok());
  ASSERT_EQ(store_->PurgeFinishedJobs(3000).value(), 1);
  EXPECT_EQ(Calls(), (std::vector<std::string>{"alpha.jobs_purged  1", "beta.jobs_purged  1"}));
  EXPECT_EQ(store_->GetJob("t1", job).error().code(), ErrorCode::kNotFound);
}

TEST_P(ReportHooksConformance, AThrowingJobsPurgedHookKeepsTheJobs) {
  store_->AddReportHooks(Throwing("alpha"));
  std::string job = ClaimedJob();
  ASSERT_TRUE(store_->CompleteJob(job, "w1", "{}", {}, {}, {}, 2000).ok());
  EXPECT_FALSE(store_->PurgeFinishedJobs(3000).ok());
  EXPECT_EQ(store_->GetJob("t1", job)->status, JobStatus::kCompleted);
  EXPECT_TRUE(Calls().empty());
}

// A firing of schedule s1 of the kind "test" from next_run_at 1000 to 2000, with one run and job.
ScheduleFiring Firing(const std::string& table) {
  ScheduleFiring f;
  f.kind = "test";
  f.schedule_table = table;
  f.tenant_id = "t1";
  f.schedule_id = "s1";
  f.expected_next_run_at = 1000;
  f.new_next_run_at = 2000;
  Job job;
  job.id = NewId("job");
  job.tenant_id = "t1";
  job.kind = "test_report";
  ScheduleRun run{NewId("run"), "t1",         "s1",   "scheduled",
                  "2026-03-01", "2026-03-01", job.id, "pending"};
  f.runs.emplace_back(run, job);
  return f;
}

TEST_P(ScheduleRunStoreConformance, FiringAdvancesTheKindsOwnScheduleTableOnce) {
  ASSERT_TRUE(store_
                  ->Write([](sql::Connection& c) {
                    c.Prepare("INSERT INTO test_schedules VALUES ('t1', 's1', 1000)").Run();
                  })
                  .ok());
  ScheduleFiring f = Firing("test_schedules");
  EXPECT_EQ(store_->FireSchedules({f}).value(), std::vector<bool>{true});
  EXPECT_EQ(store_->FireSchedules({Firing("test_schedules")}).value(), std::vector<bool>{false});
  EXPECT_TRUE(store_->GetJob("t1", f.runs[0].first.job_id).ok());
  EXPECT_EQ(store_->ListScheduleRuns("t1", "s1", {10, std::nullopt})->items.size(), 1u);
  int64_t next = 0;
  ASSERT_TRUE(store_
                  ->Read([&](sql::Connection& c) {
                    auto q = c.Prepare("SELECT next_run_at FROM test_schedules WHERE id = 's1'");
                    q.Step();
                    next = q.Int(0);
                  })
                  .ok());
  EXPECT_EQ(next, 2000);
}

// The next_run_at of schedule `id` of test_schedules, "NULL" when none.
std::string NextRunAt(Store& store, const std::string& id) {
  std::string next;
  EXPECT_TRUE(store
                  .Read([&](sql::Connection& c) {
                    auto q = c.Prepare("SELECT next_run_at FROM test_schedules WHERE id = ?1");
                    q.Bind(1, id);
                    q.Step();
                    next = q.IsNull(0) ? "NULL" : std::to_string(q.Int(0));
                  })
                  .ok());
  return next;
}

// Many firings in one call (on PostgreSQL one statement for the schedules, one for the runs, one
// for the jobs): each applies on its own, a period that already has a run gets neither a second
// run nor a job, and text with quotes, backslashes, braces and commas arrives intact.
TEST_P(ScheduleRunStoreConformance, FiringManyAtOnceDecidesEachScheduleOnItsOwn) {
  ASSERT_TRUE(
      store_
          ->Write([](sql::Connection& c) {
            c.Prepare(
                 "INSERT INTO test_schedules VALUES ('t1', 's1', 1000), ('t1', 's2', 1000), "
                 "('t1', 's3', 1000), ('t2', 's4', 1000)")
                .Run();
          })
          .ok());
  auto firing = [](const std::string& schedule_id) {
    ScheduleFiring f = Firing("test_schedules");
    f.schedule_id = schedule_id;
    f.runs[0].first.schedule_id = schedule_id;
    return f;
  };
  ScheduleFiring fresh = firing("s1");
  const std::string tricky = "{\"a\":\"q\\\"b\\\\c, {d} NULL \\N\",\"e\":[1,2]}\t\n\r\\.";
  fresh.runs[0].second->payload = tricky;
  fresh.runs[0].second->message = "with \"quotes\", {braces}";
  ScheduleRun missed{NewId("run"), "t1", "s1",     "scheduled",     "2026-02-28",
                     "2026-02-28", "",   "missed", "late, \"very\""};
  fresh.runs.emplace_back(missed, std::nullopt);
  fresh.events.push_back(Event{NewId("evt"), "t1", "schedule.run.missed", tricky, 1000});
  ScheduleFiring stale = firing("s2");
  stale.expected_next_run_at = 999;
  ScheduleFiring taken = firing("s3");
  taken.new_next_run_at = std::nullopt;
  ScheduleFiring other_tenant = firing("s4");
  ScheduleRun earlier = taken.runs[0].first;
  earlier.id = NewId("run");
  Job earlier_job = *taken.runs[0].second;
  earlier_job.id = earlier.job_id = NewId("job");
  ASSERT_TRUE(store_->EnqueueScheduleRun(earlier, earlier_job).ok());

  EXPECT_EQ(store_->FireSchedules({fresh, stale, taken, other_tenant}).value(),
            (std::vector<bool>{true, false, true, false}));
  auto job = store_->GetJob("t1", fresh.runs[0].first.job_id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->payload, tricky);
  EXPECT_EQ(job->message, "with \"quotes\", {braces}");
  auto runs = store_->ListScheduleRuns("t1", "s1", {10, std::nullopt}).value().items;
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id == missed.id ? runs[0].error : runs[1].error, "late, \"very\"");
  for (const auto* f : {&stale, &taken, &other_tenant}) {
    EXPECT_FALSE(store_->GetJob("t1", f->runs[0].first.job_id).ok()) << f->schedule_id;
  }
  EXPECT_TRUE(store_->ListScheduleRuns("t1", "s2", {10, std::nullopt})->items.empty());
  EXPECT_EQ(store_->ListScheduleRuns("t1", "s3", {10, std::nullopt})->items.size(), 1u);
  EXPECT_EQ(NextRunAt(*store_, "s1"), "2000");
  EXPECT_EQ(NextRunAt(*store_, "s2"), "1000");
  EXPECT_EQ(NextRunAt(*store_, "s3"), "NULL");
  EXPECT_EQ(NextRunAt(*store_, "s4"), "1000");
  std::string events;
  ASSERT_TRUE(store_
                  ->Read([&](sql::Connection& c) {
                    auto q = c.Prepare("SELECT payload FROM events WHERE tenant_id = 't1'");
                    while (q.Step()) events += q.Text(0);
                  })
                  .ok());
  EXPECT_EQ(events, tricky);
}

// Two firers (threads here, nodes in production) hand the store the same due schedules at once,
// in batches and in opposite orders: each schedule is advanced by one of them, once, and only
// its runs and jobs are written.
TEST_P(ScheduleRunStoreConformance, TwoFirersRacingOnTheSameSchedulesFireEachOnce) {
  constexpr int kSchedules = 240, kBatch = 40;
  ASSERT_TRUE(store_
                  ->Write([&](sql::Connection& c) {
                    for (int i = 0; i < kSchedules; ++i) {
                      c.Prepare("INSERT INTO test_schedules VALUES ('t1', ?1, 1000)")
                          .Bind(1, "s" + std::to_string(1000 + i))
                          .Run();
                    }
                  })
                  .ok());
  auto firings = [&](bool reversed) {
    std::vector<ScheduleFiring> out;
    for (int i = 0; i < kSchedules; ++i) {
      std::string id = "s" + std::to_string(1000 + (reversed ? kSchedules - 1 - i : i));
      ScheduleFiring f = Firing("test_schedules");
      f.schedule_id = f.runs[0].first.schedule_id = id;
      out.push_back(std::move(f));
    }
    return out;
  };
  std::vector<ScheduleFiring> mine[2] = {firings(false), firings(true)};
  std::map<std::string, int> applied;
  std::mutex mu;
  auto fire = [&](int side) {
    for (size_t at = 0; at < mine[side].size(); at += kBatch) {
      std::vector<ScheduleFiring> batch(mine[side].begin() + at, mine[side].begin() + at + kBatch);
      auto done = store_->FireSchedules(batch);
      ASSERT_TRUE(done.ok()) << done.error().message();
      std::lock_guard lock(mu);
      for (size_t i = 0; i < batch.size(); ++i) applied[batch[i].schedule_id] += (*done)[i];
    }
  };
  std::thread other(fire, 1);
  fire(0);
  other.join();
  ASSERT_EQ(applied.size(), static_cast<size_t>(kSchedules));
  for (const auto& [id, times] : applied) EXPECT_EQ(times, 1) << id;
  int64_t runs = 0, jobs = 0, unmatched = 0, due = 0;
  ASSERT_TRUE(store_
                  ->Read([&](sql::Connection& c) {
                    auto count = [&](const char* sql) {
                      auto q = c.Prepare(sql);
                      q.Step();
                      return q.Int(0);
                    };
                    runs = count("SELECT COUNT(DISTINCT schedule_id) FROM schedule_runs");
                    jobs = count("SELECT COUNT(*) FROM jobs");
                    unmatched = count(
                        "SELECT COUNT(*) FROM schedule_runs r LEFT JOIN jobs j ON j.id = r.job_id "
                        "WHERE j.id IS NULL");
                    due = count("SELECT COUNT(*) FROM test_schedules WHERE next_run_at <> 2000");
                  })
                  .ok());
  EXPECT_EQ(runs, kSchedules);
  EXPECT_EQ(jobs, kSchedules);
  EXPECT_EQ(unmatched, 0);
  EXPECT_EQ(due, 0);
}

TEST_P(ScheduleRunStoreConformance, FiringSkipsAScheduleDisabledSinceItWasPlanned) {
  ASSERT_TRUE(store_
                  ->Write([](sql::Connection& c) {
                    c.Prepare(
                         "ALTER TABLE test_schedules ADD COLUMN paused INTEGER NOT NULL "
                         "DEFAULT 0")
                        .Run();
                    c.Prepare("INSERT INTO test_schedules VALUES ('t1', 's1', 1000, 1)").Run();
                  })
                  .ok());
  ScheduleFiring f = Firing("test_schedules");
  f.enabled_column = "paused";
  f.enabled_value = 0;
  // Paused after the plan: its next_run_at is as expected, yet nothing fires.
  EXPECT_EQ(store_->FireSchedules({f}).value(), std::vector<bool>{false});
  EXPECT_FALSE(store_->GetJob("t1", f.runs[0].first.job_id).ok());
  EXPECT_TRUE(store_->ListScheduleRuns("t1", "s1", {10, std::nullopt})->items.empty());
  ASSERT_TRUE(store_
                  ->Write([](sql::Connection& c) {
                    c.Prepare("UPDATE test_schedules SET paused = 0").Run();
                  })
                  .ok());
  EXPECT_EQ(store_->FireSchedules({f}).value(), std::vector<bool>{true});
  f.enabled_column = "paused; DROP TABLE jobs";
  auto refused = store_->FireSchedules({f});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kInternal);
}

TEST_P(ScheduleRunStoreConformance, FiringRefusesATableNameThatIsNotPlain) {
  ASSERT_TRUE(store_
                  ->Write([](sql::Connection& c) {
                    c.Prepare("INSERT INTO test_schedules VALUES ('t1', 's1', 1000)").Run();
                  })
                  .ok());
  for (const char* bad : {"", "test_schedules; DELETE FROM jobs", "Test_schedules", "1schedules",
                          "test-schedules", "test schedules"}) {
    auto fired = store_->FireSchedules({Firing("test_schedules"), Firing(bad)});
    ASSERT_FALSE(fired.ok()) << bad;
    EXPECT_EQ(fired.error().code(), ErrorCode::kInternal) << bad;
    EXPECT_NE(fired.error().message().find("plain SQL name"), std::string::npos) << bad;
  }
  EXPECT_TRUE(store_->ListScheduleRuns("t1", "s1", {10, std::nullopt})->items.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportHooksConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, ScheduleRunStoreConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
