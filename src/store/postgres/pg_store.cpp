// The PostgreSQL backend of the store: a bounded pool of connections shared by the request and
// worker threads; reads run statement by statement (READ COMMITTED), writes in a transaction of
// the isolation the store asks for, run again after a serialization failure or deadlock.
#include "pg_store.hpp"

#include "pg_db.hpp"
#include "pg_migrations.hpp"
#include "sql/sql_store.hpp"

#include <random>
#include <thread>

namespace rapport::pg {
namespace {

// A serializable transaction that keeps colliding is given up after this many runs (503).
constexpr int kMaxRuns = 8;

class PgBackend final : public sql::Backend {
 public:
  // A statement waits at most `lock_wait` for a row or table lock (then 503, as SQLite's busy
  // timeout), and a thread at most as long for a free connection.
  PgBackend(std::string url, int pool_size, std::chrono::milliseconds lock_wait)
      : pool_(std::move(url), pool_size, "SET lock_timeout = " + std::to_string(lock_wait.count())),
        acquire_wait_(lock_wait) {}

  Status Migrate() {
    auto lease = pool_.Acquire(acquire_wait_);
    if (!lease.ok()) return lease.error();
    auto applied = pg::Migrate(**lease, Migrations());
    if (!applied.ok()) return applied.error();
    return Ok{};
  }

  void Read(const std::function<void(sql::Connection&)>& body) override { body(*Lease()); }

  void Write(sql::Isolation isolation, const std::function<bool(sql::Connection&)>& body) override {
    if (isolation == sql::Isolation::kSingleStatements) {
      body(*Lease());  // each statement commits on its own; nothing to roll back
      return;
    }
    const char* begin =
        isolation == sql::Isolation::kSerializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN";
    for (int run = 1;; ++run) {
      auto lease = Lease();
      try {
        Transaction txn(*lease, begin);
        if (body(*lease)) txn.Commit();
        return;
      } catch (const PgError& e) {
        if (!e.retryable() || run == kMaxRuns) throw;
      }
      thread_local std::minstd_rand jitter(std::random_device{}());
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + jitter() % (run * 5)));
    }
  }

  int LatestMigration() const override { return Migrations().back().version; }

  // The lock pg::Migrate holds, for this transaction: kind migrations and core ones never
  // interleave, and nodes starting together apply each once.
  void LockMigrations(sql::Connection& c) override {
    c.Prepare("SELECT pg_advisory_xact_lock(?1)").Bind(1, kMigrationLock).Run();
  }

 private:
  Pool::Lease Lease() {
    auto lease = pool_.Acquire(acquire_wait_);
    if (!lease.ok()) throw PgError("", lease.error().message());
    return std::move(*lease);
  }

  Pool pool_;
  std::chrono::milliseconds acquire_wait_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPgStore(const std::string& url, const StoreOptions& options) {
  try {
    Connection probe(url);  // at start-up the operator needs libpq's own reason
  } catch (const PgError& e) {
    return Error(ErrorCode::kServiceUnavailable,
                 std::string("Cannot open the PostgreSQL database: ") + e.what());
  }
  // Request threads read while workers claim and heartbeat: room for both.
  int pool_size = options.reader_connections + 4;
  auto backend = std::make_unique<PgBackend>(url, pool_size,
                                             std::chrono::milliseconds(options.busy_timeout_ms));
  Status migrated = backend->Migrate();
  if (!migrated.ok()) {
    return Error(ErrorCode::kServiceUnavailable,
                 "Cannot open the PostgreSQL database: " + migrated.error().message());
  }
  return sql::MakeSqlStore(std::move(backend));
}

}  // namespace rapport::pg
