// The KindDatabase part of the Store contract, on both backends: a report kind's migrations
// (tracks, versions, names, concurrent starts), its transactions, its report hooks (called in the
// generic change's transaction, only for their kind), and the firing compare-and-set on a kind's
// own schedule table.
#include <rapport/core/ids.hpp>
#include <rapport/store/sql.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace rapport {
namespace {

using storetest::Backend;
using storetest::BackendName;
using storetest::Backends;
using Migration = KindDatabase::Migration;

// A kind's table; version 1 is two statements and fails when run twice (no IF NOT EXISTS).
const Migration kItems{1, "items",
                       "CREATE TABLE test_items (id TEXT PRIMARY KEY, n INTEGER NOT NULL); "
                       "CREATE INDEX test_items_n ON test_items (n)",
                       "CREATE TABLE test_items (id TEXT PRIMARY KEY, n BIGINT NOT NULL); "
                       "CREATE INDEX test_items_n ON test_items (n)"};
const Migration kNote{2, "note", "ALTER TABLE test_items ADD COLUMN note TEXT",
                      "ALTER TABLE test_items ADD COLUMN note TEXT"};
const Migration kSeed{3, "seed", "INSERT INTO test_items (id, n) VALUES ('seed', 0)",
                      "INSERT INTO test_items (id, n) VALUES ('seed', 0)"};

class KindDatabaseTest : public storetest::BackendStoreTest {
 protected:
  // The single integer `sql` (a literal) selects.
  int64_t Scalar(const char* sql) {
    int64_t out = -1;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Connection& c) {
                      auto q = c.Prepare(sql);
                      if (q.Step()) out = q.Int(0);
                    })
                    .ok());
    return out;
  }

  int64_t AppliedVersions() {
    return Scalar("SELECT COUNT(*) FROM kind_migrations WHERE track = 'test'");
  }
};

using KindDatabaseConformance = KindDatabaseTest;

TEST_P(KindDatabaseConformance, AppliesMigrationsInOrderOnceThenOnlyNewVersions) {
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems, kNote}).ok());
  EXPECT_EQ(AppliedVersions(), 2);
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems, kNote}).ok());  // re-running would fail
  EXPECT_EQ(AppliedVersions(), 2);
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems, kNote, kSeed}).ok());
  EXPECT_EQ(AppliedVersions(), 3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM test_items WHERE note IS NULL"), 1);  // v2 before v3
  EXPECT_EQ(Scalar("SELECT MAX(version) FROM kind_migrations WHERE track = 'test'"), 3);
}

TEST_P(KindDatabaseConformance, ARecordedVersionUnderAnotherNameIsAnError) {
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems}).ok());
  Migration renamed = kItems;
  renamed.name = "things";
  auto s = store_->ApplyMigrations("test", {renamed, kNote});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInternal);
  EXPECT_NE(s.error().message().find("'test'"), std::string::npos) << s.error().message();
  EXPECT_NE(s.error().message().find("items"), std::string::npos) << s.error().message();
  EXPECT_EQ(AppliedVersions(), 1);  // nothing after the mismatch
}

TEST_P(KindDatabaseConformance, VersionsMustBePositiveAndStrictlyIncreasing) {
  Migration zero = kItems;
  zero.version = 0;
  for (const auto& list : std::vector<std::vector<Migration>>{
           {kNote, kItems}, {kItems, kItems}, {zero}, {kItems, kSeed, kNote}}) {
    auto s = store_->ApplyMigrations("test", list);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), ErrorCode::kInternal);
    EXPECT_NE(s.error().message().find("'test'"), std::string::npos) << s.error().message();
  }
  EXPECT_EQ(AppliedVersions(), 0);  // checked before anything runs
}

TEST_P(KindDatabaseConformance, TracksAreIndependent) {
  Migration other{1, "other", "CREATE TABLE test_other (id TEXT PRIMARY KEY)",
                  "CREATE TABLE test_other (id TEXT PRIMARY KEY)"};
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems}).ok());
  ASSERT_TRUE(store_->ApplyMigrations("other", {other}).ok());
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems, kNote}).ok());
  EXPECT_EQ(AppliedVersions(), 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM kind_migrations WHERE track = 'other'"), 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM test_other"), 0);
}

// Nodes starting together (here: threads on the pool's connections) apply each version once;
// several rounds, each on a track and table of its own, so that a race has its chances.
TEST_P(KindDatabaseConformance, ConcurrentStartsApplyEachVersionOnce) {
  for (int round = 0; round < 5; ++round) {
    std::string table = "race" + std::to_string(round);
    std::string create = "CREATE TABLE " + table + " (id TEXT PRIMARY KEY)";
    std::string insert = "INSERT INTO " + table + " (id) VALUES ('seed')";
    std::vector<Migration> migrations{{1, "table", create, create}, {2, "seed", insert, insert}};
    std::vector<std::thread> starts;
    std::atomic<int> failed{0};
    for (int i = 0; i < 6; ++i) {
      starts.emplace_back([&] {
        if (!store_->ApplyMigrations(table, migrations).ok()) ++failed;
      });
    }
    for (auto& t : starts) t.join();
    EXPECT_EQ(failed.load(), 0) << table;
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM kind_migrations WHERE track LIKE 'race%'"), 10);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM race4"), 1);
}

TEST_P(KindDatabaseConformance, AMigratedTableIsWrittenAndReadThroughTheStore) {
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems, kNote}).ok());
  ASSERT_TRUE(store_
                  ->Write([](sql::Connection& c) {
                    for (int64_t n : {1, 2, 3}) {
                      c.Prepare("INSERT INTO test_items (id, n, note) VALUES (?1, ?2, ?3)")
                          .Bind(1, "i" + std::to_string(n))
                          .Bind(2, n)
                          .Bind(3, c.Pick("on sqlite", "on postgres"))
                          .Run();
                    }
                  })
                  .ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->Read([&](sql::Connection& c) {
                    auto q = c.Prepare("SELECT id FROM test_items WHERE n >= ?1 ORDER BY n");
                    q.Bind(1, int64_t{2});
                    while (q.Step()) ids.push_back(q.Text(0));
                  })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"i2", "i3"}));
}

TEST_P(KindDatabaseConformance, AWriteThatThrowsRollsBackAndDatabaseErrorsAreErrors) {
  ASSERT_TRUE(store_->ApplyMigrations("test", {kItems}).ok());
  auto thrown = store_->Write([](sql::Connection& c) {
    c.Prepare("INSERT INTO test_items (id, n) VALUES ('a', 1)").Run();
    throw std::runtime_error("the kind changed its mind");
  });
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM test_items"), 0);
  ASSERT_TRUE(store_
                  ->Write([](sql::Connection& c) {
                    c.Prepare("INSERT INTO test_items (id, n) VALUES ('a', 1)").Run();
                  })
                  .ok());
  auto duplicate = store_->Write([](sql::Connection& c) {
    c.Prepare("INSERT INTO test_items (id, n) VALUES ('b', 2)").Run();
    c.Prepare("INSERT INTO test_items (id, n) VALUES ('a', 3)").Run();
  });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code(), ErrorCode::kConflict);  // a DbError, mapped as elsewhere
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM test_items"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, KindDatabaseConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
