#include <rapport/store/sqlite_backup.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <memory>

namespace rapport {
namespace {

namespace fs = std::filesystem;

std::string PathOf(const std::string& database) {
  return database.starts_with("sqlite://") ? database.substr(9) : database;
}

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Result<Db> Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return Error(ErrorCode::kValidation,
                 "cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), 10'000);
  return db;
}

// The first column of the first row of `sql`, as text ("" when no row).
Result<std::string> QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return Error(ErrorCode::kValidation, sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  int rc = sqlite3_step(raw);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(raw, 0);
    return std::string(text ? reinterpret_cast<const char*>(text) : "");
  }
  if (rc == SQLITE_DONE) return std::string();
  return Error(ErrorCode::kValidation, sqlite3_errmsg(db));
}

// A Rapport database that passes quick_check; returns its schema version.
Result<int> CheckRapportDatabase(sqlite3* db, const std::string& path) {
  auto check = QueryText(db, "PRAGMA quick_check");
  if (!check.ok() || *check != "ok") {
    return Error(ErrorCode::kValidation, path + " is not an intact SQLite database: " +
                                             (check.ok() ? *check : check.error().message()));
  }
  auto version = QueryText(db, "SELECT MAX(version) FROM schema_migrations");
  if (!version.ok() || version->empty()) {
    return Error(ErrorCode::kValidation,
                 path + " is not a Rapport database (no schema_migrations)");
  }
  return std::stoi(*version);
}

// Copies every page of `from` into `to` in one step (one read transaction on `from`, one write
// transaction on `to`).
Status CopyPages(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Error::Internal(sqlite3_errmsg(to));
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc == SQLITE_DONE) return Ok{};
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Error(ErrorCode::kServiceUnavailable, "the database stayed busy; try again");
  }
  return Error::Internal(std::string("backup failed: ") + sqlite3_errstr(rc));
}

}  // namespace

Result<SqliteCopyInfo> BackupSqliteDatabase(const std::string& database, const std::string& file) {
  std::string source_path = PathOf(database);
  if (!fs::exists(source_path)) {
    return Error(ErrorCode::kValidation, "no database at " + source_path);
  }
  if (fs::exists(file)) {
    return Error(ErrorCode::kValidation, file + " exists; a backup never overwrites a file");
  }
  RAPPORT_TRY(Db source, Open(source_path, SQLITE_OPEN_READONLY));
  RAPPORT_TRY(int version, CheckRapportDatabase(source.get(), source_path));
  std::string part = file + ".part";
  fs::remove(part);
  {
    RAPPORT_TRY(Db copy, Open(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    RAPPORT_CHECK(CopyPages(source.get(), copy.get()));
    // A standalone file: no WAL beside it.
    RAPPORT_CHECK(QueryText(copy.get(), "PRAGMA journal_mode=DELETE"));
    auto checked = CheckRapportDatabase(copy.get(), part);
    if (!checked.ok())
      return Error::Internal("the copy failed its check: " + checked.error().message());
  }
  std::error_code ec;
  fs::rename(part, file, ec);
  if (ec) return Error::Internal("cannot rename " + part + ": " + ec.message());
  return SqliteCopyInfo{static_cast<int64_t>(fs::file_size(file)), version};
}

Result<SqliteCopyInfo> RestoreSqliteDatabase(const std::string& file, const std::string& database) {
  if (!fs::exists(file)) return Error(ErrorCode::kValidation, "no backup at " + file);
  RAPPORT_TRY(Db backup, Open(file, SQLITE_OPEN_READONLY));
  RAPPORT_TRY(int version, CheckRapportDatabase(backup.get(), file));
  std::string target_path = PathOf(database);
  RAPPORT_TRY(Db target, Open(target_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  RAPPORT_CHECK(CopyPages(backup.get(), target.get()));
  RAPPORT_CHECK(CheckRapportDatabase(target.get(), target_path));
  return SqliteCopyInfo{static_cast<int64_t>(fs::file_size(file)), version};
}

}  // namespace rapport
