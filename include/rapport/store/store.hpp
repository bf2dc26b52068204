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

  // --- Jobs. A job moves pending -> processing -> completed | failed | cancelled; only the
  // worker holding the lease (`worker_id`) may report on a processing job (else kConflict).

  virtual Status InsertJob(const Job& job) = 0;
  // Jobs of `tenant_id` (or all tenants when empty) that are pending or processing.
  virtual Result<int64_t> CountUnfinishedJobs(const std::string& tenant_id) = 0;
  // Claims the next runnable job: pending with run_after <= now, or processing with an expired
  // lease (its worker died). Increments attempts; a job whose attempts are exhausted by a dead
  // worker is failed instead and the next one is tried. nullopt when none is runnable.
  virtual Result<std::optional<Job>> ClaimJob(const std::string& worker_id, UnixMs now,
                                              int64_t lease_ms) = 0;
  // Extends the lease and records progress; returns whether cancellation was requested.
  virtual Result<bool> HeartbeatJob(const std::string& job_id, const std::string& worker_id,
                                    const JobProgress& progress, UnixMs now, int64_t lease_ms) = 0;
  // Marks the job completed with `result` and stores `artifacts`, in one transaction.
  virtual Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                             const std::string& result, const std::vector<Artifact>& artifacts,
                             UnixMs now) = 0;
  // Ends the attempt with `error_result`: back to pending at `retry_at`, or failed when nullopt.
  virtual Status FailJob(const std::string& job_id, const std::string& worker_id,
                         const std::string& error_result, std::optional<UnixMs> retry_at,
                         UnixMs now) = 0;
  // The worker observed a cancellation request: the job ends cancelled.
  virtual Status CancelClaimedJob(const std::string& job_id, const std::string& worker_id,
                                  UnixMs now) = 0;
  // Hands a claimed job back untouched (shutdown): pending again, this attempt not counted.
  virtual Status ReleaseJob(const std::string& job_id, const std::string& worker_id,
                            UnixMs now) = 0;
  // Pending: cancelled now. Processing: cancellation requested. Terminal: unchanged.
  virtual Result<Job> RequestJobCancel(const std::string& tenant_id, const std::string& id,
                                       UnixMs now) = 0;
  virtual Result<Job> GetJob(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Job>> ListJobs(const std::string& tenant_id, std::optional<JobStatus> status,
                                     const PageRequest& page) = 0;
  virtual Result<std::vector<Artifact>> GetArtifacts(const std::string& tenant_id,
                                                     const std::string& job_id) = 0;
  // Deletes jobs that finished before `cutoff` (their artifacts, the reports, stay).
  virtual Result<int64_t> PurgeFinishedJobs(UnixMs cutoff) = 0;
};

struct StoreOptions {
  std::string database_url;  // "sqlite:///path/file.db", a plain path, or "postgresql://…"
  int busy_timeout_ms = 5000;
  int reader_connections = 4;
};

// Opens the store named by `options.database_url` and applies pending migrations.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace rapport
