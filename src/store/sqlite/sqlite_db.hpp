// The SQLite side of the shared SQL layer: a connection over the SQLite C API with a cache of
// prepared statements. Failures throw SqliteError.
#pragma once

#include "sql/sql_db.hpp"

#include <sqlite3.h>

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

 private:
  class CachedStatement;
  [[noreturn]] void Fail(int rc, std::string_view context);

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<CachedStatement>> cache_;
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
