// Versioned schema migrations of the SQLite store, embedded in the binary. Append only: a
// released migration is never edited. docs/ARCHITECTURE.md describes the resulting schema.
#pragma once

#include <span>

namespace rapport::sqlite {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

std::span<const Migration> Migrations();

}  // namespace rapport::sqlite
