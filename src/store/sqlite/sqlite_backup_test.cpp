#include <rapport/core/ids.hpp>
#include <rapport/store/sqlite_backup.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

namespace rapport {
namespace {

namespace fs = std::filesystem;

class SqliteBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-backup-" + NewUuidV4());
    fs::create_directories(dir_);
    store_ = OpenStore({.database_url = Db()}).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string Db() const { return (dir_ / "rapport.db").string(); }
  Status AddSite(Store& store, int i) {
    Site s;
    s.id = NewId("site");
    s.tenant_id = "t1";
    s.name = "site " + std::to_string(i);
    s.timezone = "UTC";
    return store.InsertSite(s);
  }
  static size_t Sites(const std::string& db) {
    auto store = OpenStore({.database_url = db}).value();
    return store->AllSites("t1").value().size();
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteBackupTest, ABackupTakenDuringWritesIsOneConsistentSnapshotAndRestores) {
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(AddSite(*store_, i).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> written{200};
  std::thread writer([&] {
    while (!stop) {
      if (AddSite(*store_, written).ok()) ++written;
    }
  });
  std::string file = (dir_ / "copy.db").string();
  auto info = BackupSqliteDatabase(Db(), file);
  int after = written;
  stop = true;
  writer.join();
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_GT(info->bytes, 0);
  EXPECT_GE(info->schema_version, 9);
  EXPECT_FALSE(fs::exists(file + ".part"));
  EXPECT_FALSE(fs::exists(file + "-wal"));  // a standalone file
  size_t copied = Sites(file);
  EXPECT_GE(copied, 200u);
  EXPECT_LE(copied, static_cast<size_t>(after));

  // Restore into a new database and over the live one (which has moved on since).
  std::string fresh = (dir_ / "fresh.db").string();
  ASSERT_TRUE(RestoreSqliteDatabase(file, fresh).ok());
  EXPECT_EQ(Sites(fresh), copied);
  store_.reset();
  ASSERT_GT(Sites(Db()), copied);
  ASSERT_TRUE(RestoreSqliteDatabase(file, "sqlite://" + Db()).ok());
  EXPECT_EQ(Sites(Db()), copied);
}

TEST_F(SqliteBackupTest, RefusesToOverwriteAndToRestoreWhatIsNotARapportBackup) {
  std::string file = (dir_ / "copy.db").string();
  ASSERT_TRUE(BackupSqliteDatabase(Db(), file).ok());
  auto again = BackupSqliteDatabase(Db(), file);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kValidation);
  EXPECT_EQ(BackupSqliteDatabase((dir_ / "missing.db").string(), file + "2").error().code(),
            ErrorCode::kValidation);

  std::string garbage = (dir_ / "garbage.db").string();
  std::ofstream(garbage) << "not a database at all, but long enough to look like a header....";
  auto bad = RestoreSqliteDatabase(garbage, Db());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kValidation);

  std::string other = (dir_ / "other.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto foreign = RestoreSqliteDatabase(other, Db());
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message().find("not a Rapport database"), std::string::npos);
  EXPECT_EQ(Sites(Db()), 0u);  // untouched
}

}  // namespace
}  // namespace rapport
