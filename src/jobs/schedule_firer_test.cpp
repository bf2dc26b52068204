#include <rapport/jobs/schedule_firer.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

namespace rapport {
namespace {

constexpr UnixMs kHour = 3'600'000;

class FixedClock final : public Clock {
 public:
  UnixMs NowMs() const override { return now; }
  UnixMs now = 100 * kHour;
};

// A kind whose periods fall every hour from the anchor, alternately in groups "a" and "b".
class HourlyHook final : public ScheduleKindHook {
 public:
  std::string Kind() const override { return "hourly"; }
  std::string ScheduleTable() const override { return "hourly_schedules"; }
  DuePeriods Periods(const DueSchedule& s, UnixMs now, int cap) const override {
    DuePeriods p;
    UnixMs at = s.anchor;
    for (; at <= now && static_cast<int>(p.due.size()) < cap; at += kHour) {
      std::string group = (at / kHour) % 2 == 0 ? "a" : "b";
      p.due.push_back({at, std::to_string(at), std::to_string(at), group});
    }
    p.next_run_at = at;
    return p;
  }
  ScheduledJob Job(const DueSchedule& s, const DuePeriod& period, const std::string& run_id,
                   UnixMs) const override {
    return {"hourly_job", "Working", s.id + "/" + period.from_date + "/" + run_id};
  }
  std::string MissedEvent(const DueSchedule& s, const DuePeriod&, const std::string&,
                          const std::string& reason) const override {
    return s.id + ": " + reason;
  }
};

DueSchedule Due(const std::string& id, const std::string& missed_runs, UnixMs anchor) {
  return DueSchedule{.tenant_id = "t1", .id = id, .anchor = anchor, .missed_runs = missed_runs};
}

std::vector<std::string> Statuses(const ScheduleFiring& f) {
  std::vector<std::string> out;
  for (const auto& [run, job] : f.runs) out.push_back(run.status);
  return out;
}

TEST(ScheduleFirer, OnceRunsTheNewestPeriodOfEachGroup) {
  HourlyHook hook;
  auto f = PlanFiring(hook, Due("s1", "once", 96 * kHour), 100 * kHour, {}, "");
  EXPECT_EQ(Statuses(f),
            (std::vector<std::string>{"missed", "missed", "missed", "pending", "pending"}));
  EXPECT_EQ(f.kind, "hourly");
  EXPECT_EQ(f.schedule_table, "hourly_schedules");
  EXPECT_EQ(f.expected_next_run_at, 96 * kHour);
  EXPECT_EQ(f.new_next_run_at, 101 * kHour);
  ASSERT_EQ(f.events.size(), 3u);
  EXPECT_EQ(f.events[0].type, "schedule.run.missed");
  EXPECT_EQ(f.runs[0].first.error,
            "Missed while the scheduler was not running; caught up once with the latest a period "
            "(missed_runs: once)");
  EXPECT_EQ(f.events[0].payload, "s1: " + f.runs[0].first.error);
  const auto& [run, job] = f.runs[4];
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(run.job_id, job->id);
  EXPECT_EQ(job->kind, "hourly_job");
  EXPECT_EQ(job->step, "queued");
  EXPECT_EQ(job->message, "Working");
  EXPECT_EQ(job->payload, "s1/" + std::to_string(100 * kHour) + "/" + run.id);
}

TEST(ScheduleFirer, SkipRunsOnlyPeriodsWithinTheGraceAndAllStopsAtTheCap) {
  HourlyHook hook;
  auto skip = PlanFiring(hook, Due("s1", "skip", 98 * kHour), 100 * kHour + 60'000,
                         {.grace_ms = 600'000}, "");
  EXPECT_EQ(Statuses(skip), (std::vector<std::string>{"missed", "missed", "pending"}));
  EXPECT_EQ(skip.runs[0].first.error,
            "Missed while the scheduler was not running (missed_runs: skip)");
  auto all = PlanFiring(hook, Due("s1", "all", 96 * kHour), 100 * kHour, {.catch_up_cap = 2}, "");
  EXPECT_EQ(Statuses(all),
            (std::vector<std::string>{"missed", "missed", "missed", "pending", "pending"}));
  EXPECT_EQ(all.runs[0].first.error,
            "Missed while the scheduler was not running; beyond the catch-up cap of 2 periods");
}

TEST(ScheduleFirer, APeriodThatCannotStartIsAFailedRunWithoutAJob) {
  HourlyHook hook;
  auto f = PlanFiring(hook, Due("s1", "once", 100 * kHour), 100 * kHour, {}, "Nothing to run");
  ASSERT_EQ(f.runs.size(), 1u);
  EXPECT_EQ(f.runs[0].first.status, "failed");
  EXPECT_EQ(f.runs[0].first.error, "Nothing to run");
  EXPECT_FALSE(f.runs[0].second.has_value());
  EXPECT_TRUE(f.events.empty());
}

// Due schedules from a list; "broken" ones fail their precondition, "throws" ones throw.
class ListSource final : public DueScheduleSource {
 public:
  Result<std::vector<DueSchedule>> Due(UnixMs, int limit) override {
    ++due_calls;
    std::vector<DueSchedule> out;
    for (const auto& s : schedules) {
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back(s);
    }
    return out;
  }
  Result<std::string> CannotStart(DueSchedule& s) override {
    if (s.id == "throws") throw std::runtime_error("unreadable settings");
    if (s.id == "broken") return Error(ErrorCode::kInternal, "store failed");
    return std::string();
  }
  std::vector<DueSchedule> schedules;
  int due_calls = 0;
};

// Applies every firing except those of `lose` (another node won the compare-and-set) and
// removes applied schedules from `source`.
class FakeRuns final : public ScheduleRunStore {
 public:
  explicit FakeRuns(ListSource& source) : source_(source) {}
  Status EnqueueScheduleRun(const ScheduleRun&, const Job&) override { return Ok{}; }
  Result<std::vector<bool>> FireSchedules(const std::vector<ScheduleFiring>& firings) override {
    most_in_store = std::max(most_in_store, ++in_store);
    threads.insert(std::this_thread::get_id());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // time for a second call to race
    --in_store;
    std::vector<bool> applied;
    for (const auto& f : firings) {
      ++fired[f.schedule_id];
      applied.push_back(f.schedule_id != lose);
      std::erase_if(source_.schedules, [&](const DueSchedule& s) { return s.id == f.schedule_id; });
    }
    ++transactions;
    return applied;
  }
  Result<Page<ScheduleRun>> ListScheduleRuns(const std::string&, const std::string&,
                                             const PageRequest&) override {
    return Page<ScheduleRun>{};
  }
  std::string lose;
  int transactions = 0;
  std::map<std::string, int> fired;   // schedule id -> firings handed to the store
  std::set<std::thread::id> threads;  // that called FireSchedules
  std::atomic<int> in_store{0};       // FireSchedules calls running now
  int most_in_store = 0;

 private:
  ListSource& source_;
};

TEST(ScheduleFirer, TickFiresEveryBatchSkipsWhatCannotBePlannedAndCountsAppliedJobs) {
  FixedClock clock;
  HourlyHook hook;
  ListSource source;
  for (const char* id : {"throws", "s1", "broken", "s2", "s3"}) {
    source.schedules.push_back(Due(id, "once", 100 * kHour));
  }
  FakeRuns runs(source);
  runs.lose = "s3";
  ScheduleFirer firer(runs, source, hook, clock, {.batch = 3});
  auto enqueued = firer.Tick();
  ASSERT_TRUE(enqueued.ok());
  EXPECT_EQ(*enqueued, 2);  // s1 and s2; s3 lost its compare-and-set
  EXPECT_EQ(runs.transactions, 3);
  ASSERT_EQ(source.schedules.size(), 2u);  // the skipped ones stay due
  EXPECT_EQ(source.schedules[0].id, "throws");
  EXPECT_EQ(source.schedules[1].id, "broken");
}

// Many full batches: every schedule is handed to the store once, a batch per transaction.
TEST(ScheduleFirer, ManyBatchesFireEveryScheduleOnce) {
  FixedClock clock;
  HourlyHook hook;
  ListSource source;
  for (int i = 0; i < 50; ++i) {
    source.schedules.push_back(Due("s" + std::to_string(i), "once", 100 * kHour));
  }
  FakeRuns runs(source);
  ScheduleFirer firer(runs, source, hook, clock, {.batch = 4});
  EXPECT_EQ(firer.Tick().value(), 50);
  EXPECT_TRUE(source.schedules.empty());
  ASSERT_EQ(runs.fired.size(), 50u);
  for (const auto& [id, times] : runs.fired) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(runs.transactions, 13);
}

// The store fires a batch on a thread of its own while the firer plans the next, one batch at a
// time; what it decides is the same as one batch after the other.
TEST(ScheduleFirer, TheStoreFiresOneBatchAtATimeWhileTheNextIsPlanned) {
  FixedClock clock;
  HourlyHook hook;
  ListSource source;
  for (int i = 0; i < 40; ++i) {
    source.schedules.push_back(Due("s" + std::to_string(i), "once", 98 * kHour));
  }
  FakeRuns runs(source);
  runs.lose = "s7";
  ScheduleFirer firer(runs, source, hook, clock, {.batch = 3, .batches_per_read = 5});
  EXPECT_EQ(firer.Tick().value(), 39 * 2);  // groups a and b each run their newest period
  EXPECT_EQ(runs.most_in_store, 1);
  EXPECT_GT(runs.threads.size(), 1u);
  EXPECT_EQ(runs.transactions, 14);  // 40 schedules, 3 a transaction
  EXPECT_EQ(source.due_calls, 3);    // 15 + 15 + 10
  ASSERT_EQ(runs.fired.size(), 40u);
  for (const auto& [id, times] : runs.fired) EXPECT_EQ(times, 1) << id;
}

}  // namespace
}  // namespace rapport
