// The PostgreSQL backend of the store: a bounded pool of connections shared by the request and
// worker threads; reads run statement by statement (READ COMMITTED), writes in a transaction of
// the isolation the store asks for, run again after a serialization failure or deadlock.
#include "pg_store.hpp"

#include "pg_db.hpp"
#include "pg_migrations.hpp"
#include "sql/sql_store.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <random>
#include <thread>

namespace rapport::pg {
namespace {

// A serializable transaction that keeps colliding is given up after this many runs (503).
constexpr int kMaxRuns = 8;

// LISTEN rapport_jobs on a connection of its own (outside the pool: it waits in poll(2) on the
// socket), connected on first use and again after an error.
class PgJobNotices final : public JobNotices {
 public:
  explicit PgJobNotices(std::string url) : url_(std::move(url)) {}
  ~PgJobNotices() override { Close(); }
  PgJobNotices(const PgJobNotices&) = delete;
  PgJobNotices& operator=(const PgJobNotices&) = delete;

  Result<bool> Wait(int64_t timeout_ms) override {
    if (conn_ == nullptr) {
      Status listening = Listen();
      if (!listening.ok()) return listening.error();
    }
    if (Drain()) return true;  // already here
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    int ready = poll(&fd, 1, static_cast<int>(timeout_ms));
    if (ready < 0) return false;  // interrupted: the caller waits again
    if (ready == 0) return false;
    if (PQconsumeInput(conn_) == 0) return Fail();
    return Drain();
  }

 private:
  Status Listen() {
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) return Fail().error();
    PGresult* r = PQexec(conn_, "LISTEN rapport_jobs");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return Fail().error();
    return Ok{};
  }

  // Consumes the notices received; true when there was one.
  bool Drain() {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      PQfreemem(n);
      any = true;
    }
    return any;
  }

  Result<bool> Fail() {
    std::string message = conn_ ? PQerrorMessage(conn_) : "no connection";
    Close();
    return Error(ErrorCode::kServiceUnavailable, "Cannot listen for job notices: " + message);
  }

  void Close() {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
  }

  std::string url_;
  PGconn* conn_ = nullptr;
};

class PgBackend final : public sql::Backend {
 public:
  // A statement waits at most `lock_wait` for a row or table lock (then 503, as SQLite's busy
  // timeout), and a thread at most as long for a free connection.
  PgBackend(std::string url, int pool_size, std::chrono::milliseconds lock_wait)
      : url_(url),
        pool_(std::move(url), pool_size, "SET lock_timeout = " + std::to_string(lock_wait.count())),
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

  std::unique_ptr<JobNotices> ListenForJobs() override {
    return std::make_unique<PgJobNotices>(url_);
  }

  int ConcurrentBatches() const override { return 2; }

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

  std::string url_;
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
