// The storage interface every backend implements (SQLite embedded; PostgreSQL later). All methods
// are thread-safe. A row of another tenant behaves exactly like a missing row (kNotFound).
// Errors: kNotFound for missing rows, kConflict for uniqueness violations, kServiceUnavailable
// when the database is busy or out of space (retryable), kInternal otherwise.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/records.hpp>

#include <map>
#include <memory>
#include <string>

namespace rapport {

class Store {
 public:
  virtual ~Store() = default;

  // Succeeds when the database answers and every migration is applied.
  virtual Status CheckReady() = 0;
  // Highest applied migration version.
  virtual Result<int> SchemaVersion() = 0;

  virtual Status InsertBrand(const Brand& brand) = 0;
  virtual Result<Brand> GetBrand(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Brand>> ListBrands(const std::string& tenant_id, const PageRequest& page) = 0;
  // Replaces every mutable field of the stored brand with `brand`'s.
  virtual Status UpdateBrand(const Brand& brand) = 0;
  virtual Status DeleteBrand(const std::string& tenant_id, const std::string& id) = 0;

  virtual Status InsertSite(const Site& site) = 0;
  virtual Result<Site> GetSite(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Site>> ListSites(const std::string& tenant_id, const PageRequest& page) = 0;
  virtual Status UpdateSite(const Site& site) = 0;
  virtual Status DeleteSite(const std::string& tenant_id, const std::string& id) = 0;

  // Starts a request under `key` or reports what an earlier one with the same key did. A started
  // claim older than `stale_after_ms` (its process died) may be claimed again.
  virtual Result<IdempotencyClaim> ClaimIdempotencyKey(const IdempotencyKey& key, UnixMs now,
                                                       int64_t stale_after_ms) = 0;
  // Records the response of a started claim so later requests replay it.
  virtual Status CompleteIdempotencyKey(const IdempotencyKey& key, int status,
                                        const std::string& body, UnixMs now) = 0;
  // Forgets a started claim (the request failed in a way that should not be replayed).
  virtual Status ReleaseIdempotencyKey(const IdempotencyKey& key) = 0;
  // Deletes keys created before `cutoff`; returns how many.
  virtual Result<int64_t> PurgeIdempotencyKeys(UnixMs cutoff) = 0;

  // Number of jobs in each status, for /metrics.
  virtual Result<std::map<std::string, int64_t>> CountJobsByStatus() = 0;
};

struct StoreOptions {
  std::string database_url;  // "sqlite:///path/file.db", a plain path, or "postgresql://…"
  int busy_timeout_ms = 5000;
  int reader_connections = 4;
};

// Opens the store named by `options.database_url` and applies pending migrations.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace rapport
