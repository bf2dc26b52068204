#include "sqlite_db.hpp"

#include <boost/json.hpp>

#include <fmt/format.h>

namespace rapport::sqlite {
namespace {
void Check(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK) {
    sqlite3* db = sqlite3_db_handle(stmt);
    throw SqliteError(rc, fmt::format("bind failed: {}", sqlite3_errmsg(db)));
  }
}
// Memory statistics off, before SQLite initializes: with them on, every allocation of SQLite's
// (each text column a statement reads, since Debian's build has no lookaside) takes and releases a
// global mutex. Nothing here reads sqlite3_memory_used or sets a heap limit. Once per process; a
// no-op (SQLITE_MISUSE) should SQLite be initialized already.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)configured;
}

}  // namespace

class Connection::CachedStatement final : public sql::StatementImpl {
 public:
  explicit CachedStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~CachedStatement() override { sqlite3_finalize(stmt_); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  void BindText(int index, std::string_view text) override {
    Check(stmt_, sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT));
  }
  void BindInt(int index, int64_t value) override {
    Check(stmt_, sqlite3_bind_int64(stmt_, index, value));
  }
  void BindNull(int index) override { Check(stmt_, sqlite3_bind_null(stmt_, index)); }
  void BindBlob(int index, std::string_view bytes) override {
    Check(stmt_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  }

  bool Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(stmt_);
    int code = sqlite3_extended_errcode(db);
    std::string msg = sqlite3_errmsg(db);
    sqlite3_reset(stmt_);
    throw SqliteError(code, fmt::format("step failed: {}", msg));
  }

  int64_t Changes() override { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string Text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
             : std::string();
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Blob(int column) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(p, static_cast<size_t>(n)) : std::string();
  }

  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

Error SqliteError::ToError() const {
  int primary = code_ & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY) {
    return Error(ErrorCode::kServiceUnavailable, "The database is temporarily unavailable",
                 boost::json::object{{"retry_after", 1}});
  }
  if (primary == SQLITE_CONSTRAINT) return Error(ErrorCode::kConflict, "");
  return Error::Internal(what());
}

Connection::Connection(const std::string& path, int busy_timeout_ms) {
  ConfigureSqliteOnce();
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) Fail(rc, fmt::format("open {}", path));
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=FULL");
  Exec("PRAGMA foreign_keys=ON");
}

Connection::~Connection() {
  cache_.clear();  // finalizes the statements
  sqlite3_close_v2(db_);
}

void Connection::Fail(int rc, std::string_view context) {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw SqliteError(db_ ? sqlite3_extended_errcode(db_) : rc, fmt::format("{}: {}", context, msg));
}

void Connection::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(sqlite3_extended_errcode(db_), msg);
  }
}

Statement Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Fail(rc, "prepare");
    it = cache_.emplace(sql, std::make_unique<CachedStatement>(stmt)).first;
  }
  it->second->Reset();
  return Statement(it->second.get());
}

WriteTransaction::WriteTransaction(Connection& conn) : conn_(conn) {
  conn_.Exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  if (!done_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::Commit() {
  conn_.Exec("COMMIT");
  done_ = true;
}

}  // namespace rapport::sqlite
