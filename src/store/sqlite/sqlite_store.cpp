// The SQLite backend of the store. Durability: WAL with synchronous=FULL, so a committed write
// survives power loss. Concurrency: one writer connection behind a mutex, every write in
// BEGIN IMMEDIATE (so every transaction is serializable); readers use a small pool of their own
// connections, each keeping its WAL snapshot while nothing commits.
#include "sqlite_store.hpp"

#include "migrations.hpp"
#include "sql/sql_store.hpp"
#include "sqlite_db.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

namespace rapport::sqlite {
namespace {

// A fixed set of reader connections handed out one per call. The common case takes no lock: each
// connection sits in a slot of its own, taken by an atomic exchange, and a thread looks first at
// the slot it used last, so that two I/O loops reading at once keep to their own connections (and
// their own cache lines). The mutex is for creating a connection and for waiting when all are out.
class ReaderPool {
 public:
  ReaderPool(std::string path, int size, int busy_timeout_ms)
      : path_(std::move(path)),
        slots_(static_cast<size_t>(std::max(1, size))),
        busy_timeout_ms_(busy_timeout_ms) {}

  ~ReaderPool() {
    for (auto& slot : slots_) delete slot.conn.exchange(nullptr);
  }

  // Runs `body` on a connection's read snapshot: the one the connection kept from its last call
  // when no transaction has committed since (the common case of a read-mostly load: no lock
  // taken, no system call), else a new one. A call's reads share one snapshot.
  void With(const std::function<void(sql::Connection&)>& body) {
    auto [conn, index] = Acquire();
    struct Returner {
      ReaderPool* pool;
      Connection* conn;
      size_t index;
      ~Returner() {
        if (std::uncaught_exceptions() > 0) pool->EndSnapshot(*conn);  // a failed read: start over
        pool->Release(conn, index);
      }
    } returner{this, conn, index};
    if (!conn->SnapshotIsCurrent()) {
      EndSnapshot(*conn);
      conn->BeginSnapshot();
      snapshots_.fetch_add(1, std::memory_order_relaxed);
    }
    body(*conn);
  }

  // Ends the snapshots kept by connections no call is using, so that they hold back neither a
  // checkpoint nor the WAL's restart (before each write, and every second for the writes of
  // other processes). A connection in use is left alone: its call ends soon.
  void EndIdleSnapshots() {
    if (snapshots_.load(std::memory_order_relaxed) == 0) return;
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (Connection* conn = slots_[i].conn.exchange(nullptr, std::memory_order_acquire)) {
        EndSnapshot(*conn);
        Release(conn, i);
      }
    }
  }

 private:
  struct alignas(64) Slot {
    std::atomic<Connection*> conn{nullptr};
  };

  std::pair<Connection*, size_t> Acquire() {
    thread_local size_t last = 0;  // this thread's last slot (any pool: only a hint)
    if (auto taken = TryTake(last)) return *taken;
    std::unique_lock lock(mu_);
    ++waiters_;
    struct Unwait {
      std::atomic<int>& waiters;
      ~Unwait() { --waiters; }
    } unwait{waiters_};
    while (true) {
      if (auto taken = TryTake(last)) return *taken;
      if (created_ < slots_.size()) return Create(lock, last);
      cv_.wait(lock);
    }
  }

  std::optional<std::pair<Connection*, size_t>> TryTake(size_t& last) {
    for (size_t k = 0; k < slots_.size(); ++k) {
      size_t i = (last + k) % slots_.size();
      if (Connection* conn = slots_[i].conn.exchange(nullptr, std::memory_order_acquire)) {
        last = i;
        return std::pair{conn, i};
      }
    }
    return std::nullopt;
  }

  // Under `lock`: a new connection for the next unused slot, opened without the lock held.
  std::pair<Connection*, size_t> Create(std::unique_lock<std::mutex>& lock, size_t& last) {
    size_t index = created_++;
    lock.unlock();
    try {
      auto conn = std::make_unique<Connection>(path_, busy_timeout_ms_);
      last = index;
      return {conn.release(), index};
    } catch (...) {
      lock.lock();
      --created_;
      cv_.notify_one();
      throw;
    }
  }

  void EndSnapshot(Connection& conn) {
    try {
      if (conn.EndSnapshot()) snapshots_.fetch_sub(1, std::memory_order_relaxed);
    } catch (const SqliteError&) {  // a read transaction always ends; nothing to undo
    }
  }

  void Release(Connection* conn, size_t index) {
    slots_[index].conn.store(conn, std::memory_order_seq_cst);
    if (waiters_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard lock(mu_);
      cv_.notify_one();
    }
  }

  std::string path_;
  std::vector<Slot> slots_;
  int busy_timeout_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<int> waiters_{0};    // threads in Acquire's slow path
  size_t created_ = 0;             // under mu_: slots that have a connection (taken or not)
  std::atomic<int> snapshots_{0};  // connections keeping a snapshot
};

class SqliteBackend final : public sql::Backend {
 public:
  SqliteBackend(const std::string& path, const StoreOptions& options)
      : writer_(path, options.busy_timeout_ms),
        readers_(path, options.reader_connections, options.busy_timeout_ms),
        sweeper_([this](std::stop_token stop) {
          std::mutex mu;
          std::condition_variable_any wake;
          std::unique_lock lock(mu);
          while (!wake.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; }) &&
                 !stop.stop_requested()) {
            readers_.EndIdleSnapshots();
          }
        }) {}

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
    readers_.EndIdleSnapshots();  // so that the commit's checkpoint is not held back by them
    std::lock_guard lock(write_mu_);
    WriteTransaction txn(writer_);
    if (body(writer_)) txn.Commit();
  }

  int LatestMigration() const override { return Migrations().back().version; }

  // The pages a purge freed go back to the file system; the WAL is checkpointed without waiting
  // for readers, so the file shrinks as soon as none holds an older snapshot.
  void ReclaimSpace() override {
    readers_.EndIdleSnapshots();
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
  std::jthread sweeper_;  // last: stopped before the readers go
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
