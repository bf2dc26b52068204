// The SQL layer every query of the store is written against, both backends alike: a connection
// that prepares statements, a statement that binds parameters and steps through rows, and the
// error every backend failure derives from. Public so that a report kind can write the queries of
// its own tables (KindDatabase, interfaces.hpp) once for SQLite and PostgreSQL; the backends
// (src/store/sqlite, src/store/postgres) implement it, and nothing here names either library.
//
// Statements use SQLite's parameter syntax (`?` and `?N`); the PostgreSQL backend rewrites them
// to `$N` and lets the server infer each parameter's type from its first use, so an optional
// filter is written `(id < ?2 OR ?2 IS NULL)`, never the other way round. Where the dialects
// differ (JSON functions, row locks), a query picks its text with `c.Pick(sqlite, postgres)`.
// Times are integer milliseconds (INTEGER / BIGINT), booleans 0/1, JSON is TEXT.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/records.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rapport::sql {

enum class Dialect { kSqlite, kPostgres };

// A failure of the database itself. Backends throw their own subclass; the store turns it into
// an Error at its public boundary.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual Error ToError() const = 0;
  // A serialization failure or deadlock: the transaction may simply be run again.
  virtual bool retryable() const { return false; }
};

// One prepared statement of a backend, owned by its connection and reused.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void BindText(int index, std::string_view text) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindNull(int index) = 0;
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  // Executes on the first call; advances to the next row; false when done.
  virtual bool Step() = 0;
  // Rows the statement inserted, updated or deleted (after Step returned false).
  virtual int64_t Changes() = 0;
  virtual bool IsNull(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual std::string Blob(int column) const = 0;
  // Clears bindings and results, so that the statement holds nothing between uses.
  virtual void Reset() = 0;
};

// A handle to a prepared statement for one use; resets it when it goes out of scope, so that a
// statement stepped only once does not keep a read transaction open on a pooled connection.
class Statement {
 public:
  explicit Statement(StatementImpl* impl) : impl_(impl) {}
  ~Statement() {
    if (impl_ != nullptr) impl_->Reset();
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
  Statement& operator=(Statement&&) = delete;

  Statement& Bind(int index, std::string_view text) {
    impl_->BindText(index, text);
    return *this;
  }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, int64_t value) {
    impl_->BindInt(index, value);
    return *this;
  }
  Statement& Bind(int index, const std::optional<std::string>& text) {
    return text ? Bind(index, std::string_view(*text)) : BindNull(index);
  }
  Statement& Bind(int index, const std::optional<int64_t>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }
  Statement& BindNull(int index) {
    impl_->BindNull(index);
    return *this;
  }
  Statement& BindBlob(int index, std::string_view bytes) {
    impl_->BindBlob(index, bytes);
    return *this;
  }
  // Advances to the next row; false when done.
  bool Step() { return impl_->Step(); }
  // Runs a statement that returns no rows; returns the number of rows it changed.
  int Run() {
    while (impl_->Step()) {
    }
    return static_cast<int>(impl_->Changes());
  }
  std::string Text(int column) const { return impl_->Text(column); }
  std::optional<std::string> OptionalText(int column) const {
    if (impl_->IsNull(column)) return std::nullopt;
    return impl_->Text(column);
  }
  int64_t Int(int column) const { return impl_->Int(column); }
  std::optional<int64_t> OptionalInt(int column) const {
    if (impl_->IsNull(column)) return std::nullopt;
    return impl_->Int(column);
  }
  std::string Blob(int column) const { return impl_->Blob(column); }
  bool IsNull(int column) const { return impl_->IsNull(column); }

 private:
  StatementImpl* impl_;
};

// One database connection with a statement cache. Not thread-safe: one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters.
  virtual void Exec(const char* sql) = 0;
  // Returns the cached statement for `sql` (which must be a string literal: the cache is keyed
  // by its address), ready to bind.
  virtual Statement Prepare(const char* sql) = 0;

  // `sqlite` or `postgres`, whichever this connection speaks.
  const char* Pick(const char* sqlite, const char* postgres) const {
    return dialect() == Dialect::kSqlite ? sqlite : postgres;
  }
};

// Steps `q` (which asks for limit + 1 rows) into a page of at most `limit` rows.
template <class T, class Reader>
Page<T> ReadRows(Statement& q, int limit, Reader read) {
  Page<T> out;
  while (q.Step()) out.items.push_back(read(q));
  if (out.items.size() > static_cast<size_t>(limit)) {
    out.items.pop_back();
    out.has_more = true;
  }
  return out;
}

}  // namespace rapport::sql
