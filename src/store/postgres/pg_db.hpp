// The PostgreSQL side of the shared SQL layer, over libpq: a connection (server-side prepared
// statements for the store's queries, plain parameterized statements for migrations and tests),
// transactions, a bounded connection pool, and SQLSTATEs mapped to the error catalog.
#pragma once

#include "sql/sql_db.hpp"

#include <rapport/core/result.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

using PGconn = struct pg_conn;
using PGresult = struct pg_result;

namespace rapport::pg {

class PgError : public sql::DbError {
 public:
  PgError(std::string sqlstate, const std::string& message)
      : sql::DbError(message), sqlstate_(std::move(sqlstate)) {}
  // Five characters, e.g. "23505"; empty when the connection itself failed.
  const std::string& sqlstate() const { return sqlstate_; }
  Error ToError() const override;
  bool retryable() const override { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_;
};

// 23505/23503 (unique, foreign key) -> kConflict; 40001/40P01 (serialization, deadlock), 55P03
// (lock_timeout), 57014 (statement timeout), 08xxx (connection), 53xxx (resources), 57P0x
// (shutdown) and no SQLSTATE -> kServiceUnavailable with retry_after; anything else ->
// kInternal. Messages never carry parameters.
inline Error ToError(const PgError& e) { return e.ToError(); }

// A statement parameter, sent as text; nullopt is SQL NULL.
using Param = std::optional<std::string>;
Param P(const std::string& text);
Param P(int64_t value);
Param P(const std::optional<std::string>& text);
Param P(const std::optional<int64_t>& value);

// The rows of one statement. Move-only; owns the PGresult.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result) {}
  ~Rows();
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;

  int size() const;
  int64_t affected() const;  // rows an INSERT/UPDATE/DELETE touched
  bool IsNull(int row, int col) const;
  std::string Text(int row, int col) const;
  int64_t Int(int row, int col) const;
  std::optional<std::string> OptionalText(int row, int col) const;
  std::optional<int64_t> OptionalInt(int row, int col) const;

 private:
  PGresult* result_;
};

// SQLite's `?` and `?N` parameters as PostgreSQL's `$N` (outside quotes); a bare `?` is one more
// than the highest number so far, as in SQLite.
std::string TranslatePlaceholders(std::string_view sql);

// One libpq connection. Not thread-safe: one thread at a time (the pool hands it out).
class Connection final : public sql::Connection {
 public:
  // Throws PgError when the server cannot be reached or refuses.
  explicit Connection(const std::string& conninfo);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  // Runs several ;-separated statements without parameters (migrations); throws PgError.
  void Exec(const char* sql) override;
  // The store's queries: prepared on the server on first use, then executed by name.
  sql::Statement Prepare(const char* sql) override;

  // Runs one statement with $1..$n parameters; throws PgError.
  Rows Query(const std::string& sql, const std::vector<Param>& params = {});
  // Runs `copy_sql` (COPY … FROM STDIN, text format) with the rows `write(i, rows)` puts in the
  // cleared `rows` for i = 0 … pieces - 1, one line a row, each piece sent as soon as written (the
  // server parses one while the next is written); throws PgError (a unique violation as 23505, as
  // an INSERT would), the connection still usable.
  void CopyIn(const char* copy_sql, size_t pieces,
              const std::function<void(size_t piece, std::string& rows)>& write);
  bool ok() const;  // the connection is still usable

 private:
  class PreparedStatement;
  // `r` when it succeeded; otherwise frees it and throws its PgError.
  PGresult* Checked(PGresult* r);

  PGconn* conn_;
  std::unordered_map<const char*, std::unique_ptr<PreparedStatement>> cache_;
};

// BEGIN … COMMIT; rolls back unless Commit() ran.
class Transaction {
 public:
  explicit Transaction(Connection& c, const char* begin = "BEGIN");
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Connection& c_;
  bool done_ = false;
};

// At most `size` connections, opened lazily; Acquire waits for one to be returned. Broken
// connections are dropped on return and reopened on demand. Thread-safe.
class Pool {
 public:
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // `setup` (e.g. SET lock_timeout …) runs on every connection the pool opens.
  Pool(std::string conninfo, int size, std::string setup = "")
      : conninfo_(std::move(conninfo)), size_(size), setup_(std::move(setup)) {}
  // kServiceUnavailable when none is free within `wait`, or the server cannot be reached.
  Result<Lease> Acquire(std::chrono::milliseconds wait);
  int open() const;  // connections currently open

 private:
  void Return(std::unique_ptr<Connection> c);

  std::string conninfo_;
  int size_;
  std::string setup_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace rapport::pg
