// The SQLite reader pool keeps a connection's read snapshot across calls while nothing commits
// (sqlite_store.cpp, Connection::SnapshotIsCurrent): these tests hold it to "every read sees
// every commit made before it", whoever made the commit, and to never holding the WAL back.
#include "sqlite_db.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

namespace rapport::sqlite {
namespace {

namespace fs = std::filesystem;

class ReaderSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-snapshot-" + NewUuidV4());
    fs::create_directories(dir_);
    store_ = OpenStore({.database_url = Db()}).value();
    brand_.id = NewId("brand");
    brand_.tenant_id = "t1";
    brand_.name = "acme";
    brand_.website = "https://acme.example";
    brand_.created_at = brand_.updated_at = 1000;
    ASSERT_TRUE(store_->InsertBrand(brand_, nullptr).ok());
    ASSERT_EQ(sqlite3_open(Db().c_str(), &other_), SQLITE_OK);  // another writer, as a CLI's
  }
  void TearDown() override {
    sqlite3_close(other_);
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string Db() const { return (dir_ / "rapport.db").string(); }
  std::string Name() { return store_->GetBrand("t1", brand_.id).value().name; }
  // Runs `sql` on the other connection; the first column of its first row ("" when none).
  std::string Other(const std::string& sql) {
    std::string out;
    char* err = nullptr;
    int rc = sqlite3_exec(
        other_, sql.c_str(),
        [](void* dst, int n, char** values, char**) {
          auto* s = static_cast<std::string*>(dst);
          if (s->empty() && n > 0 && values[0]) *s = values[0];
          return 0;
        },
        &out, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << " in " << sql;
    sqlite3_free(err);
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  Brand brand_;
  sqlite3* other_ = nullptr;
};

TEST_F(ReaderSnapshotTest, AReadSeesEveryCommitMadeBeforeItByAnyConnection) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Name(), i == 0 ? "acme" : "name " + std::to_string(i - 1));
    EXPECT_EQ(Name(), i == 0 ? "acme" : "name " + std::to_string(i - 1));  // kept snapshot
    Other("UPDATE brands SET name = 'name " + std::to_string(i) + "' WHERE id = '" + brand_.id +
          "'");
  }
  // And the store's own writes.
  Brand renamed = brand_;
  renamed.name = "renamed";
  ASSERT_TRUE(store_->UpdateBrand(renamed, nullptr).ok());
  EXPECT_EQ(Name(), "renamed");
}

TEST_F(ReaderSnapshotTest, ASnapshotIsCurrentUntilACommitAndACheckpointAloneKeepsIt) {
  Connection reader(Db(), 1000);
  reader.BeginSnapshot();
  {
    auto q = reader.Prepare("SELECT name FROM brands WHERE id = ?");
    q.Bind(1, brand_.id);
    ASSERT_TRUE(q.Step());
    EXPECT_EQ(q.Text(0), "acme");
  }
  EXPECT_TRUE(reader.SnapshotIsCurrent());
  Other("PRAGMA wal_checkpoint(PASSIVE)");  // moves pages, commits nothing
  EXPECT_TRUE(reader.SnapshotIsCurrent());
  Other("UPDATE brands SET name = 'other' WHERE id = '" + brand_.id + "'");
  EXPECT_FALSE(reader.SnapshotIsCurrent());
  {
    auto q = reader.Prepare("SELECT name FROM brands WHERE id = ?");
    q.Bind(1, brand_.id);
    ASSERT_TRUE(q.Step());
    EXPECT_EQ(q.Text(0), "acme");  // the old snapshot, which the pool would not have used
  }
  EXPECT_TRUE(reader.EndSnapshot());
  EXPECT_FALSE(reader.EndSnapshot());
  EXPECT_FALSE(reader.SnapshotIsCurrent());
}

TEST_F(ReaderSnapshotTest, AnIdleSnapshotDoesNotHoldTheWalBack) {
  EXPECT_EQ(Name(), "acme");  // a reader keeps its snapshot, and then sits idle
  // 200 commits of ~100 KiB each: ~5,000 WAL frames, five times SQLite's automatic checkpoint.
  // A snapshot kept through them would hold every checkpoint back and the WAL would grow to
  // ~20 MB; ended before each write, the WAL restarts after each checkpoint.
  Brand big = brand_;
  for (int i = 0; i < 200; ++i) {
    big.name = std::string(100 * 1024, static_cast<char>('a' + i % 26));
    ASSERT_TRUE(store_->UpdateBrand(big, nullptr).ok());
  }
  auto wal = fs::file_size(Db() + "-wal");
  EXPECT_LT(wal, 8u * 1024 * 1024) << wal;
  EXPECT_EQ(Name(), big.name);
}

TEST_F(ReaderSnapshotTest, AnIdleSnapshotEndsWithinSecondsWhenAnotherProcessWrites) {
  EXPECT_EQ(Name(), "acme");  // kept, idle
  Other("UPDATE brands SET name = 'other' WHERE id = '" + brand_.id + "'");
  // A full checkpoint waits for every reader of older frames: the kept snapshot is one until the
  // pool's sweep (every second) ends it.
  auto busy = [&] { return Other("PRAGMA wal_checkpoint(TRUNCATE)") != "0"; };
  EXPECT_TRUE(busy());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (busy() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(busy());
  EXPECT_EQ(Name(), "other");
}

}  // namespace
}  // namespace rapport::sqlite
