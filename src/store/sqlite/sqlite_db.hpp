// The SQLite side of the shared SQL layer: a connection over the SQLite C API with a cache of
// prepared statements. Failures throw SqliteError.
#pragma once

#include "sql/sql_db.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rapport::sqlite {

using sql::Statement;

class SqliteError : public sql::DbError {
 public:
  SqliteError(int code, const std::string& what) : sql::DbError(what), code_(code) {}
  int code() const { return code_; }
  // Busy, locked, full, I/O, read-only -> kServiceUnavailable with retry_after; constraint ->
  // kConflict; anything else -> kInternal.
  Error ToError() const override;

 private:
  int code_;
};

// One database connection with a statement cache. Not thread-safe: one thread at a time.
class Connection final : public sql::Connection {
 public:
  Connection(const std::string& path, int busy_timeout_ms);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  void Exec(const char* sql) override;
  Statement Prepare(const char* sql) override;
  sqlite3* handle() { return db_; }

  // A read snapshot kept open across calls (the reader pool's): a deferred BEGIN whose snapshot
  // the first read takes, ended by EndSnapshot. SnapshotIsCurrent tells whether it is still the
  // database's latest committed state: whether the WAL index's header in shared memory, read
  // before the snapshot began, is unchanged (every commit, of any process, rewrites it; SQLite
  // compares it the same way to keep its page cache). No lock and no system call, where a read
  // transaction of its own takes and frees a WAL read lock with two fcntl.
  bool SnapshotIsCurrent() const;
  void BeginSnapshot();
  // Ends the snapshot (ROLLBACK of the read transaction); true when one was open.
  bool EndSnapshot();

 private:
  class CachedStatement;
  static constexpr int kWalHeaderWords = 12;  // WalIndexHdr: 48 bytes at the start of the -shm

  [[noreturn]] void Fail(int rc, std::string_view context);
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Copies the header into `out` (false when the WAL index is not mapped yet).
  bool ReadWalHeader(uint32_t* out);
  uint32_t WalHeaderWord(int i) const;  // once the WAL index is mapped

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<CachedStatement>> cache_;
  const volatile uint32_t* wal_index_ = nullptr;  // mapped by SQLite; valid while db_ is open
  uint32_t snapshot_header_[kWalHeaderWords] = {};
  bool snapshot_header_known_ = false;
};

// BEGIN IMMEDIATE … COMMIT on `conn`; rolls back unless Commit() ran.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& conn);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void Commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace rapport::sqlite
