// Online copies of a SQLite database with SQLite's backup API, for `rapport admin backup` and
// `restore`. A backup is one consistent snapshot taken in a single read transaction: in WAL mode
// rapportd keeps writing while it runs, and what it wrote after the snapshot is not in the copy.
#pragma once

#include <rapport/core/result.hpp>

#include <cstdint>
#include <string>

namespace rapport {

struct SqliteCopyInfo {
  int64_t bytes = 0;       // size of the copy
  int schema_version = 0;  // highest applied migration in it
};

// `database` (a path or sqlite:///path) is an existing Rapport database. Copies it to `file`
// through `file`.part, checked with PRAGMA quick_check and renamed into place, so `file` is either
// absent or complete. kValidation: `file` exists or `database` is not a Rapport database;
// kServiceUnavailable: the database stayed busy; kInternal: I/O errors.
Result<SqliteCopyInfo> BackupSqliteDatabase(const std::string& database, const std::string& file);

// Replaces the content of `database` (created when missing) with the backup `file`, in one
// transaction: a reader sees the old or the new database, never a mix. kValidation: `file` is not
// a complete Rapport database backup (quick_check fails or there is no schema_migrations table).
// rapportd must not be using `database` (the caller checks; see rapport admin restore).
Result<SqliteCopyInfo> RestoreSqliteDatabase(const std::string& file, const std::string& database);

}  // namespace rapport
