// The SQLite backend of the store. Durability: WAL with synchronous=FULL, so a committed write
// survives power loss. Concurrency: one writer connection behind a mutex, every write in
// BEGIN IMMEDIATE (so every transaction is serializable); readers use a small pool of their own
// connections (WAL snapshots).
#include "sqlite_store.hpp"

#include "migrations.hpp"
#include "sql/sql_store.hpp"
#include "sqlite_db.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

namespace rapport::sqlite {
namespace {

// A fixed set of reader connections handed out one per call.
class ReaderPool {
 public:
  ReaderPool(std::string path, int size, int busy_timeout_ms)
      : path_(std::move(path)), size_(size), busy_timeout_ms_(busy_timeout_ms) {}

  void With(const std::function<void(sql::Connection&)>& body) {
    std::unique_ptr<Connection> conn = Acquire();
    struct Returner {
      ReaderPool* pool;
      std::unique_ptr<Connection>& conn;
      ~Returner() { pool->Release(std::move(conn)); }
    } returner{this, conn};
    body(*conn);
  }

 private:
  std::unique_ptr<Connection> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty() || created_ < size_; });
    if (!free_.empty()) {
      auto conn = std::move(free_.back());
      free_.pop_back();
      return conn;
    }
    ++created_;
    lock.unlock();
    try {
      return std::make_unique<Connection>(path_, busy_timeout_ms_);
    } catch (...) {
      std::lock_guard relock(mu_);
      --created_;
      cv_.notify_one();
      throw;
    }
  }

  void Release(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(conn));
    cv_.notify_one();
  }

  std::string path_;
  int size_;
  int busy_timeout_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> free_;
  int created_ = 0;
};

class SqliteBackend final : public sql::Backend {
 public:
  SqliteBackend(const std::string& path, const StoreOptions& options)
      : writer_(path, options.busy_timeout_ms),
        readers_(path, options.reader_connections, options.busy_timeout_ms) {}

  // Incremental vacuum (RetentionStore::ReclaimSpace) needs auto_vacuum = INCREMENTAL, which a
  // database made before it switches to only by a VACUUM: done once here, before the migrations
  // (instant on a new database; on an old one it rewrites the file, needing its size again in
  // free disk for the while). A database that is busy (another process on it) is left as it is
  // and switched at a later start.
  void EnableIncrementalVacuum() {
    std::lock_guard lock(write_mu_);
    {
      auto q = writer_.Prepare("PRAGMA auto_vacuum");
      if (q.Step() && q.Int(0) == 2) return;
    }
    try {
      writer_.Exec("PRAGMA auto_vacuum = INCREMENTAL");
      writer_.Exec("VACUUM");
    } catch (const SqliteError&) {
    }
  }

  void Migrate() {
    std::lock_guard lock(write_mu_);
    writer_.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const auto& m : Migrations()) {
      WriteTransaction txn(writer_);
      auto q = writer_.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      q.Bind(1, int64_t{m.version});
      if (q.Step()) continue;
      writer_.Exec(m.sql);
      writer_.Prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)")
          .Bind(1, int64_t{m.version})
          .Bind(2, std::string_view(m.description))
          .Bind(3, SystemClock().NowMs())
          .Run();
      txn.Commit();
    }
  }

  void Read(const std::function<void(sql::Connection&)>& body) override { readers_.With(body); }

  // Every write is serializable here: one writer at a time.
  void Write(sql::Isolation /*isolation*/,
             const std::function<bool(sql::Connection&)>& body) override {
    std::lock_guard lock(write_mu_);
    WriteTransaction txn(writer_);
    if (body(writer_)) txn.Commit();
  }

  int LatestMigration() const override { return Migrations().back().version; }

  // The pages a purge freed go back to the file system; the WAL is checkpointed without waiting
  // for readers, so the file shrinks as soon as none holds an older snapshot.
  void ReclaimSpace() override {
    std::lock_guard lock(write_mu_);
    writer_.Exec("PRAGMA incremental_vacuum");
    writer_.Exec("PRAGMA wal_checkpoint(PASSIVE)");
  }

  // Writes are serialized already: BEGIN IMMEDIATE takes the database's one write lock.
  void LockMigrations(sql::Connection& /*c*/) override {}

 private:
  std::mutex write_mu_;
  Connection writer_;
  ReaderPool readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  try {
    auto backend = std::make_unique<SqliteBackend>(path, options);
    backend->EnableIncrementalVacuum();
    backend->Migrate();
    return sql::MakeSqlStore(std::move(backend));
  } catch (const SqliteError& e) {
    return Error(ErrorCode::kServiceUnavailable,
                 std::string("Cannot open the SQLite database: ") + e.what());
  }
}

}  // namespace rapport::sqlite
