#pragma once

#include <rapport/store/store.hpp>

namespace rapport::pg {

// Connects to the PostgreSQL database at `url` (a libpq URI, postgresql://…) and applies pending
// migrations under an advisory lock, so that nodes starting together apply each exactly once.
Result<std::unique_ptr<Store>> OpenPgStore(const std::string& url, const StoreOptions& options);

}  // namespace rapport::pg
