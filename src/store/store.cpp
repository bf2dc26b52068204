#include <rapport/store/store.hpp>

#include "postgres/pg_store.hpp"
#include "sqlite/sqlite_store.hpp"

namespace rapport {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  std::string_view url = options.database_url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return pg::OpenPgStore(std::string(url), options);
  }
  if (url.starts_with("sqlite://")) url.remove_prefix(9);
  if (url.empty()) return Error(ErrorCode::kValidation, "The database URL is empty");
  return sqlite::OpenSqliteStore(std::string(url), options);
}

}  // namespace rapport
