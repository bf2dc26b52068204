// The private part of the SQL layer both store backends share: the backends' migration record
// and helpers of the store's queries. The public part (connections, statements, DbError) is
// <rapport/store/sql.hpp>; the backends implement it (sqlite/sqlite_db, postgres/pg_db).
#pragma once

#include <rapport/store/sql.hpp>

#include <string>
#include <string_view>
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

// A reader of the JSON the store writes into its list columns, for the hot reads: strings of
// printable ASCII without escapes, arrays and objects, whitespace between tokens. It reads
// nothing else: any other byte (an escape, a number, non-ASCII) makes it fail, and the caller
// parses the text with the full parser instead, so that both read the same values.
class SimpleJsonReader {
 public:
  explicit SimpleJsonReader(std::string_view text) : text_(text) {}
  // Consumes `c` (after whitespace); false when the next byte is another.
  bool Take(char c);
  // Whether the next byte (after whitespace) is `c`, consuming nothing.
  bool Peek(char c);
  // Reads a string into `out`; false when there is none or it holds a byte outside the subset.
  bool String(std::string& out);
  // Reads `[` string, ... `]` into `out` (appending); false as String.
  bool Strings(std::vector<std::string>& out);
  // Whether only whitespace is left.
  bool AtEnd();

 private:
  void SkipSpace();
  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace rapport::sql
