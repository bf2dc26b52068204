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
}  // namespace

Statement& Statement::Bind(int index, std::string_view text) {
  Check(stmt_, sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                 SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  Check(stmt_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  Check(stmt_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull(int index) {
  Check(stmt_, sqlite3_bind_null(stmt_, index));
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  int code = sqlite3_extended_errcode(db);
  std::string msg = sqlite3_errmsg(db);
  sqlite3_reset(stmt_);
  throw SqliteError(code, fmt::format("step failed: {}", msg));
}

int Statement::Run() {
  while (Step()) {
  }
  return sqlite3_changes(sqlite3_db_handle(stmt_));
}

std::string Statement::Text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Blob(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Connection::Connection(const std::string& path, int busy_timeout_ms) {
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
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
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
    it = cache_.emplace(sql, stmt).first;
  }
  sqlite3_reset(it->second);
  sqlite3_clear_bindings(it->second);
  return Statement(it->second);
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

std::string StringsToJson(const std::vector<std::string>& items) {
  boost::json::array arr;
  for (const auto& s : items) arr.emplace_back(s);
  return boost::json::serialize(arr);
}

std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  boost::json::value parsed = boost::json::parse(text);  // kept alive: the loop reads into it
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}

}  // namespace rapport::sqlite
