// Thin RAII wrappers over the SQLite C API, private to the SQLite store. Failures throw
// SqliteError, which the store converts to an Error at its public boundary.
#pragma once

#include <rapport/store/records.hpp>

#include <sqlite3.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rapport::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// A prepared statement owned by its Connection's cache; reset and cleared on every Prepare, and
// reset again when this handle goes out of scope, so that a statement stepped only once does not
// keep its read transaction (and so an old WAL snapshot) open on a pooled connection.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    if (stmt_ != nullptr) sqlite3_reset(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, const std::optional<std::string>& text);
  Statement& Bind(int index, const std::optional<int64_t>& value);
  Statement& BindNull(int index);
  Statement& BindBlob(int index, std::string_view bytes);
  // Advances to the next row; false when done.
  bool Step();
  // Runs a statement that returns no rows; returns sqlite3_changes().
  int Run();
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// One database connection with a statement cache. Not thread-safe: one thread at a time.
class Connection {
 public:
  Connection(const std::string& path, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Exec(const char* sql);
  // Returns the cached statement for `sql` (which must be a string literal), reset.
  Statement Prepare(const char* sql);
  sqlite3* handle() { return db_; }

 private:
  [[noreturn]] void Fail(int rc, std::string_view context);

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
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

// A list of strings as a JSON array column, and back.
std::string StringsToJson(const std::vector<std::string>& items);
std::vector<std::string> StringsFromJson(const std::string& text);

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
