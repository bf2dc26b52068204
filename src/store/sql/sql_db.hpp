// The private part of the SQL layer both store backends share: the backends' migration record
// and helpers of the store's queries. The public part (connections, statements, DbError) is
// <rapport/store/sql.hpp>; the backends implement it (sqlite/sqlite_db, postgres/pg_db).
#pragma once

#include <rapport/store/sql.hpp>

#include <string>
#include <vector>

namespace rapport::sql {

// One versioned schema change of a backend, embedded in the binary. Append only: a released
// migration is never edited.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// A list of strings as a JSON array column, and back.
std::string StringsToJson(const std::vector<std::string>& items);
std::vector<std::string> StringsFromJson(const std::string& text);

}  // namespace rapport::sql
