// The libpq layer against a private PostgreSQL cluster (scripts/pg-cluster.sh: initdb + pg_ctl on
// a free loopback port).
#include "pg_db.hpp"
#include "pg_cluster_test_util.hpp"
#include "pg_migrations.hpp"
#include "sql/jobs.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace rapport::pg {
namespace {

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(rapport::pgtest::PgClusterUrl().empty()) << "the cluster did not start";
  }
  // A fresh database per test, so tests do not see each other's tables.
  static std::string FreshDatabase() { return rapport::pgtest::FreshPgDatabase(); }
};

TEST_F(PgTest, ParametersAndNullsRoundTripAsText) {
  Connection c(FreshDatabase());
  c.Query("CREATE TABLE t (a TEXT, b BIGINT, c TEXT)");
  c.Query("INSERT INTO t VALUES ($1, $2, $3)",
          {P(std::string("Zürich ✓ 東京 ' --")), P(int64_t{-42}), std::nullopt});
  Rows rows = c.Query("SELECT a, b, c FROM t");
  ASSERT_EQ(rows.size(), 1);
  EXPECT_EQ(rows.Text(0, 0), "Zürich ✓ 東京 ' --");
  EXPECT_EQ(rows.Int(0, 1), -42);
  EXPECT_FALSE(rows.OptionalText(0, 2).has_value());
  EXPECT_EQ(c.Query("UPDATE t SET b = b + 1").affected(), 1);
}

TEST_F(PgTest, SqlStatesMapToTheErrorCatalog) {
  Connection c(FreshDatabase());
  c.Query("CREATE TABLE t (id TEXT PRIMARY KEY)");
  c.Query("INSERT INTO t VALUES ('a')");
  try {
    c.Query("INSERT INTO t VALUES ('a')");
    FAIL() << "a duplicate key was accepted";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), "23505");
    EXPECT_EQ(ToError(e).code(), ErrorCode::kConflict);
  }
  try {
    c.Query("SELECT * FROM missing_table");
    FAIL();
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
    EXPECT_EQ(ToError(e).code(), ErrorCode::kInternal);
  }
  EXPECT_EQ(ToError(PgError("40001", "serialization")).code(), ErrorCode::kServiceUnavailable);
  EXPECT_THROW(Connection("host=127.0.0.1 port=1 user=x dbname=x connect_timeout=2"), PgError);
}

TEST_F(PgTest, ATransactionRollsBackUnlessCommitted) {
  Connection c(FreshDatabase());
  c.Query("CREATE TABLE t (v INTEGER)");
  {
    Transaction txn(c);
    c.Query("INSERT INTO t VALUES (1)");
  }
  {
    Transaction txn(c);
    c.Query("INSERT INTO t VALUES (2)");
    txn.Commit();
  }
  Rows rows = c.Query("SELECT v FROM t");
  ASSERT_EQ(rows.size(), 1);
  EXPECT_EQ(rows.Int(0, 0), 2);
}

TEST_F(PgTest, NodesMigratingTogetherApplyEachMigrationOnce) {
  std::string db = FreshDatabase();
  constexpr int kNodes = 6;
  std::vector<std::vector<int>> applied(kNodes);
  std::atomic<int> failures{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&, i] {
      Connection c(db);
      auto r = Migrate(c, Migrations());
      if (r.ok()) {
        applied[i] = *r;
      } else {
        ++failures;
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(failures, 0);
  std::vector<int> all;
  for (const auto& a : applied) all.insert(all.end(), a.begin(), a.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected;
  for (const auto& m : Migrations()) expected.push_back(m.version);
  EXPECT_EQ(all, expected);  // every version applied, by exactly one node
  Connection c(db);
  EXPECT_EQ(c.Query("SELECT count(*) FROM schema_migrations").Int(0, 0),
            static_cast<int64_t>(expected.size()));
  EXPECT_TRUE(Migrate(c, Migrations())->empty());  // a later start applies nothing
  c.Query(
      "INSERT INTO jobs (id, tenant_id, kind, status, run_after, created_at, updated_at) "
      "VALUES ('job_1', 't', 'x', 'pending', 0, 0, 0)");
}

TEST_F(PgTest, PoolHandsOutAtMostItsSize) {
  Pool pool(FreshDatabase(), 2);
  auto a = pool.Acquire(std::chrono::milliseconds(1000));
  auto b = pool.Acquire(std::chrono::milliseconds(1000));
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.Acquire(std::chrono::milliseconds(100));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), ErrorCode::kServiceUnavailable);
  EXPECT_EQ(pool.open(), 2);
  std::thread releaser([lease = std::move(*a)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  auto d = pool.Acquire(std::chrono::milliseconds(2000));  // waits for the returned one
  releaser.join();
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->Query("SELECT 1").Int(0, 0), 1);
  EXPECT_EQ(pool.open(), 2);
}

Job NewJob(const std::string& id, int64_t run_after = 0) {
  Job j;
  j.id = id;
  j.tenant_id = "t1";
  j.kind = "noop";
  j.run_after = run_after;
  return j;
}

TEST_F(PgTest, WorkersOnSeveralConnectionsClaimEveryJobExactlyOnce) {
  std::string db = FreshDatabase();
  {
    Connection c(db);
    ASSERT_TRUE(Migrate(c, Migrations()).ok());
    Transaction txn(c);
    for (int i = 0; i < 400; ++i) sql::jobs::Insert(c, NewJob("job_" + std::to_string(1000 + i)));
    txn.Commit();
  }
  std::mutex mu;
  std::map<std::string, int> claims;
  std::vector<std::thread> workers;
  for (int w = 0; w < 6; ++w) {
    workers.emplace_back([&, w] {
      Connection c(db);
      std::string me = "node" + std::to_string(w % 3) + ":" + std::to_string(w);
      for (;;) {
        std::optional<Job> job;
        {
          Transaction txn(c);
          auto claimed = sql::jobs::Claim(c, me, 1'000, {1'000, 60'000}, 1 + w % 3);
          txn.Commit();
          if (claimed.empty()) break;
          job = claimed.front();
          for (size_t i = 1; i < claimed.size(); ++i) {
            EXPECT_TRUE(sql::jobs::Finish(c, claimed[i].id, me, JobStatus::kCompleted, "{}", 1'001)
                            .has_value());
            std::lock_guard lock(mu);
            ++claims[claimed[i].id];
          }
        }
        EXPECT_EQ(job->lease_owner, me);
        EXPECT_EQ(job->attempts, 1);
        EXPECT_TRUE(
            sql::jobs::Finish(c, job->id, me, JobStatus::kCompleted, "{}", 1'001).has_value());
        std::lock_guard lock(mu);
        ++claims[job->id];
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(claims.size(), 400u);
  for (const auto& [id, n] : claims) EXPECT_EQ(n, 1) << id;
  Connection c(db);
  EXPECT_EQ(c.Query("SELECT count(*) FROM jobs WHERE status = 'completed'").Int(0, 0), 400);
}

TEST_F(PgTest, AnExpiredLeaseGoesBackAfterABackoffAndAPoisonedJobFails) {
  Connection c(FreshDatabase());
  ASSERT_TRUE(Migrate(c, Migrations()).ok());
  sql::jobs::Insert(c, NewJob("job_a"));
  auto claim = [&](const std::string& who, UnixMs now) {
    auto jobs = sql::jobs::Claim(c, who, now, {now, 500}, 1);
    return jobs.empty() ? std::optional<Job>() : std::optional<Job>(jobs.front());
  };
  const LostJobPolicy policy{.poison_limit = 2, .backoff_base_ms = 1'000, .backoff_max_ms = 60'000};
  ASSERT_TRUE(claim("dead:0", 1'000).has_value());
  EXPECT_FALSE(claim("w:1", 1'200).has_value());  // leased until 1500
  EXPECT_FALSE(
      *sql::jobs::Heartbeat(c, "job_a", "dead:0", {"step", "", 1, 2}, 1'300, {1'300, 500}));
  EXPECT_FALSE(sql::jobs::Heartbeat(c, "job_a", "w:1", {}, 1'300, {1'300, 500})
                   .has_value());                                 // not its lease
  EXPECT_EQ(sql::jobs::RecoverLost(c, 1'700, 1'700, policy), 0);  // still leased until 1800
  EXPECT_EQ(sql::jobs::RecoverLost(c, 2'000, 2'000, policy), 1);
  Job back = *sql::jobs::Get(c, "t1", "job_a");
  EXPECT_EQ(back.status, JobStatus::kPending);
  EXPECT_EQ(back.run_after, 3'000);  // one backoff later
  EXPECT_EQ(back.attempts, 1);
  EXPECT_EQ(back.lease_losses, 1);
  EXPECT_FALSE(claim("w:1", 2'999).has_value());
  auto second = claim("w:1", 3'000);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->attempts, 2);
  EXPECT_FALSE(
      sql::jobs::Finish(c, "job_a", "dead:0", JobStatus::kCompleted, "{}", 3'001).has_value());
  // Its second worker dies too: the poison limit (2) fails it rather than run it again.
  EXPECT_EQ(sql::jobs::RecoverLost(c, 4'000, 4'000, policy), 1);
  auto failed = sql::jobs::Get(c, "t1", "job_a");
  EXPECT_EQ(failed->status, JobStatus::kFailed);
  EXPECT_EQ(failed->lease_losses, 2);
  EXPECT_NE(failed->result.find("worker_lost"), std::string::npos);
  EXPECT_FALSE(claim("w:2", 9'000).has_value());
  // A retried job waits for its time.
  sql::jobs::Insert(c, NewJob("job_b"));
  ASSERT_TRUE(claim("w:1", 4'000).has_value());
  ASSERT_TRUE(sql::jobs::Retry(c, "job_b", "w:1", "{}", 9'000, 4'001));
  EXPECT_FALSE(claim("w:1", 8'999).has_value());
  EXPECT_TRUE(claim("w:1", 9'000).has_value());
}

// A batch reads only the rows it finishes and claims, whatever the plan PostgreSQL picks for its
// prepared statement, on a table without statistics (a backlog that came in since the last
// ANALYZE):
// - the generic plan (used after five runs) once scanned every row of the table each round, on
//   lease_owner, to find the finished jobs;
// - the custom plans (a connection's first five runs) once read and sorted every due job to
//   claim a few, as they saw a limit above the few rows they expected.
// Counted by the transaction's own statistics (pg_stat_xact_user_tables), not by time: rows read
// by sequential scans, and rows fetched by index and bitmap scans.
void ExpectBatchesReadOnlyTheirRows(Connection& c, const char* plan_cache_mode) {
  ASSERT_TRUE(Migrate(c, Migrations()).ok());
  c.Exec((std::string("SET plan_cache_mode = ") + plan_cache_mode).c_str());
  {
    Transaction txn(c);
    for (int i = 0; i < 3'000; ++i)
      sql::jobs::Insert(c, NewJob("job_" + std::to_string(10'000 + i)));
    txn.Commit();
  }
  JobBatch batch{.owner = "n1", .now = 2'000, .lease = {2'000, 60'000}, .claim = 50};
  // As this backend counts them (not yet flushed: the counts of earlier transactions may be
  // there too, hence the differences).
  auto read = [&c] {
    auto r = c.Query(
        "SELECT COALESCE(sum(seq_tup_read), 0), COALESCE(sum(idx_tup_fetch), 0) "
        "FROM pg_stat_xact_user_tables WHERE relname = 'jobs'");
    return std::pair{r.Int(0, 0), r.Int(0, 1)};
  };
  for (int round = 0; round < 8; ++round) {
    Transaction txn(c);  // no flush of the counts in between
    auto before = read();
    JobBatchResult result = sql::jobs::Batch(c, batch);
    auto after = read();
    EXPECT_LT(after.first - before.first, 100) << "round " << round << " scanned the table";
    // 50 claimed, up to 50 finished, and the claim's walk past the entries of claimed jobs.
    EXPECT_LT(after.second - before.second, 400) << "round " << round << " read the backlog";
    txn.Commit();
    ASSERT_EQ(result.claimed.size(), 50u);
    ASSERT_EQ(result.finished.size(), batch.finishes.size());
    for (bool held : result.finished) EXPECT_TRUE(held);
    batch.finishes.clear();
    for (const auto& job : result.claimed)
      batch.finishes.push_back({job.id, JobEnd::kCompleted, "{}"});
  }
  EXPECT_EQ(c.Query("SELECT count(*) FROM jobs WHERE status = 'completed'").Int(0, 0), 350);
}

// n1's round at 3,000: finishes `finished` (which n1 claimed first, at 2,000) and claims `claim`.
JobBatch RoundFinishing(const std::string& finished, int claim) {
  return {.owner = "n1",
          .now = 3'000,
          .lease = {3'000, 60'000},
          .finishes = {{finished, JobEnd::kCompleted, "{}"}},
          .renew = {},
          .claim = claim};
}

// n1 claims the job due longest at 2,000.
void ClaimOne(Connection& c) {
  JobBatch first{.owner = "n1", .now = 2'000, .lease = {2'000, 60'000}, .claim = 1};
  ASSERT_EQ(sql::jobs::Batch(c, first).claimed.size(), 1u);
}

// A round's claim is a transaction of its own, apart from the outcomes it records. A claim's scan
// that meets a job another node claimed after the statement's snapshot locks that job's newest
// version before it rechecks and skips it, and keeps the lock to the end of its transaction: in
// one transaction with the round's finishes, the owner's finish of that job waited for them all
// (a fifth of the rounds' time with 3 nodes draining no-op jobs). The rows' xmin tell which
// transaction wrote them.
TEST_F(PgTest, ARoundsClaimCommitsApartFromTheOutcomesItRecords) {
  Connection c(FreshDatabase());
  ASSERT_TRUE(Migrate(c, Migrations()).ok());
  for (const char* id : {"job_a", "job_b", "job_c"}) sql::jobs::Insert(c, NewJob(id));
  ClaimOne(c);  // job_a
  JobBatchResult result = sql::jobs::Batch(c, RoundFinishing("job_a", 2));
  EXPECT_EQ(result.finished, std::vector<bool>{true});
  ASSERT_EQ(result.claimed.size(), 2u);
  auto written = c.Query(
      "SELECT (SELECT xmin::text FROM jobs WHERE id = 'job_a'), "
      "(SELECT xmin::text FROM jobs WHERE id = 'job_b'), "
      "(SELECT xmin::text FROM jobs WHERE id = 'job_c'), "
      "(SELECT status FROM jobs WHERE id = 'job_a'), (SELECT status FROM jobs WHERE id = 'job_c')");
  EXPECT_EQ(written.Text(0, 3), "completed");
  EXPECT_EQ(written.Text(0, 4), "processing");
  EXPECT_EQ(written.Text(0, 1), written.Text(0, 2)) << "one claim, one transaction";
  EXPECT_NE(written.Text(0, 0), written.Text(0, 1)) << "the claim shared the finish's transaction";
}

// A claim that fails after the round's outcomes were recorded claims nothing, and the round still
// reports the outcomes as recorded (the engine would otherwise record them again and count the
// jobs' leases lost). The claim fails here for a role that may not set started_at, which only the
// claim writes.
TEST_F(PgTest, AClaimThatFailsAfterTheOutcomesKeepsThemAndClaimsNothing) {
  std::string db = FreshDatabase();
  Connection admin(db);
  ASSERT_TRUE(Migrate(admin, Migrations()).ok());
  for (const char* id : {"job_a", "job_b"}) sql::jobs::Insert(admin, NewJob(id));
  std::string role = "no_claims_" + NewUuidV4().substr(0, 8);
  admin.Exec(("CREATE ROLE " + role + " LOGIN").c_str());
  admin.Exec(("GRANT SELECT ON jobs TO " + role).c_str());
  admin.Exec(("GRANT UPDATE (status, result, lease_owner, lease_expires_at, run_after, attempts, "
              "finished_at, completed, message, updated_at) ON jobs TO " +
              role)
                 .c_str());
  ClaimOne(admin);  // job_a
  std::string url = db;
  url.replace(url.find("rapport@"), 8, role + "@");
  Connection limited(url);
  JobBatch round = RoundFinishing("job_a", 1);
  JobBatchResult result = sql::jobs::Batch(limited, round);
  EXPECT_EQ(result.finished, std::vector<bool>{true});
  EXPECT_TRUE(result.claimed.empty());
  EXPECT_EQ(admin.Query("SELECT status FROM jobs WHERE id = 'job_a'").Text(0, 0), "completed");
  EXPECT_EQ(admin.Query("SELECT status FROM jobs WHERE id = 'job_b'").Text(0, 0), "pending");
  round.finishes.clear();  // a claim alone that fails is the round's failure
  EXPECT_THROW(sql::jobs::Batch(limited, round), sql::DbError);
}

TEST_F(PgTest, ABatchReadsOnlyTheRowsItFinishesAndClaimsUnderTheGenericPlan) {
  Connection c(FreshDatabase());
  ExpectBatchesReadOnlyTheirRows(c, "force_generic_plan");
}

TEST_F(PgTest, ABatchReadsOnlyTheRowsItFinishesAndClaimsUnderCustomPlans) {
  Connection c(FreshDatabase());
  ExpectBatchesReadOnlyTheirRows(c, "force_custom_plan");
}

}  // namespace
}  // namespace rapport::pg
