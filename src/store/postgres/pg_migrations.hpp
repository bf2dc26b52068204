// Schema migrations of the PostgreSQL store, applied under an advisory lock so that several
// rapportd nodes starting together apply each migration exactly once.
#pragma once

#include "pg_db.hpp"

#include <span>

namespace rapport::pg {

using sql::Migration;

// The PostgreSQL schema: the tables of SQLite migrations 1-8 (migration 3 creates the later ones
// in their current shape), then 4 to 8 = SQLite's 9 to 13.
std::span<const Migration> Migrations();

// Applies every migration not yet recorded in `schema_migrations`, each in its own transaction,
// holding pg_advisory_lock(kMigrationLock) throughout. Returns the versions this call applied.
Result<std::vector<int>> Migrate(Connection& c, std::span<const Migration> migrations);

inline constexpr int64_t kMigrationLock = 0x5261'7070'6f72'7401;  // "Rapport" + 1

}  // namespace rapport::pg
