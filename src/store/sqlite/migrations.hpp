// Versioned schema migrations of the SQLite store, embedded in the binary. Append only: a
// released migration is never edited. docs/ARCHITECTURE.md describes the resulting schema.
#pragma once

#include "sql/sql_db.hpp"

#include <span>

namespace rapport::sqlite {

using sql::Migration;

std::span<const Migration> Migrations();

}  // namespace rapport::sqlite
