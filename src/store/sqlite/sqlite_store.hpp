#pragma once

#include <rapport/store/store.hpp>

namespace rapport::sqlite {

// Opens (creating if needed) the SQLite database at `path` and applies pending migrations.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options);

}  // namespace rapport::sqlite
