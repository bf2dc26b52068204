// The narrow storage interfaces, one per concern; `Store` (store.hpp) is all of them, and each
// consumer takes only the ones it uses (the job engine a JobQueue, the rate limiter a
// RateWindowStore, …). All methods are thread-safe. A row of another tenant behaves exactly like a
// missing row (kNotFound). Errors: kNotFound for missing rows, kConflict for uniqueness violations,
// kServiceUnavailable when the database is busy or out of space (retryable), kInternal otherwise.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/records.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rapport {

namespace sql {
class Connection;  // <rapport/store/sql.hpp>
}  // namespace sql

// Whether the database is there and migrated.
class StoreHealth {
 public:
  virtual ~StoreHealth() = default;

  // Succeeds when the database answers and every migration is applied.
  virtual Status CheckReady() = 0;
  // Highest applied migration version.
  virtual Result<int> SchemaVersion() = 0;
};

// Idempotency-Key claims of API requests.
class IdempotencyKeyStore {
 public:
  virtual ~IdempotencyKeyStore() = default;

  // Starts a request under `key` or reports what an earlier one with the same key did. A started
  // claim not refreshed for `stale_after_ms` (its process died) may be claimed again.
  virtual Result<IdempotencyClaim> ClaimIdempotencyKey(const IdempotencyKey& key, UnixMs now,
                                                       int64_t stale_after_ms) = 0;
  // Records the response of a started claim so later requests replay it.
  virtual Status CompleteIdempotencyKey(const IdempotencyKey& key, int status,
                                        const std::string& body, UnixMs now) = 0;
  // Marks started claims as still in progress at `now`: a request that is slow, not dead, keeps
  // its key (the API refreshes its in-flight keys well within `stale_after_ms`).
  virtual Status RefreshIdempotencyKeys(const std::vector<IdempotencyKey>& keys, UnixMs now) = 0;
  // Forgets a started claim (the request failed in a way that should not be replayed).
  virtual Status ReleaseIdempotencyKey(const IdempotencyKey& key) = 0;
  // Deletes keys created before `cutoff`; returns how many.
  virtual Result<int64_t> PurgeIdempotencyKeys(UnixMs cutoff) = 0;
};

// Rate-limit windows shared by every node.
class RateWindowStore {
 public:
  virtual ~RateWindowStore() = default;

  // Counts one call of `key` in the one-minute window `minute`, in the database so that every
  // node shares the count; returns the window's count including this call.
  virtual Result<int64_t> CountRateWindow(const std::string& key, int64_t minute) = 0;
  // The count of `key`'s window `minute` (0 when it has none), without counting a call.
  virtual Result<int64_t> PeekRateWindow(const std::string& key, int64_t minute) = 0;
  // Deletes the windows before `minute`; returns how many.
  virtual Result<int64_t> PurgeRateWindows(int64_t minute) = 0;
};

// The durable job queue: enqueue, claim with a lease, report, finish, purge. Jobs move
// pending -> processing -> completed | failed | cancelled; only the worker holding the lease
// (`worker_id`) may report on a processing job (else kConflict).
// Notices that jobs were enqueued (see JobQueue::ListenForJobs). One thread at a time.
class JobNotices {
 public:
  virtual ~JobNotices() = default;
  // Waits up to `timeout_ms` for a notice; true when one came. Reconnects on its own after an
  // error (which it returns).
  virtual Result<bool> Wait(int64_t timeout_ms) = 0;
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Number of jobs in each status, for /metrics.
  virtual Result<std::map<std::string, int64_t>> CountJobsByStatus() = 0;
  // When the pending job that has waited longest became due (run_after <= now), for /metrics'
  // queue age; nullopt when no pending job is due.
  virtual Result<std::optional<UnixMs>> OldestDueJobAt(UnixMs now) = 0;

  virtual Status InsertJob(const Job& job) = 0;
  // Jobs of `tenant_id` (or all tenants when empty) that are pending or processing, the queue
  // limits count. Delivery jobs (webhook, e-mail) are not counted: a dead receiver retrying for a
  // day must not stop a tenant's report runs.
  virtual Result<int64_t> CountUnfinishedJobs(const std::string& tenant_id) = 0;
  // Claims the pending job due longest (run_after <= now) for `worker_id`, the lease running to
  // lease.now + lease.ms; increments attempts. nullopt when none is due. (A batch of one.)
  virtual Result<std::optional<Job>> ClaimJob(const std::string& worker_id, UnixMs now,
                                              LeaseTerm lease) = 0;
  // One round of a node's job engine: records `batch.finishes` of jobs `batch.owner` holds,
  // renews the leases of `batch.renew`, then claims up to `batch.claim` due jobs, oldest first
  // (several nodes claim at once: each skips the rows another is claiming). SQLite: one
  // transaction. PostgreSQL: two, the outcomes then the claim (a claim's transaction is kept
  // short, see src/store/sql/jobs.cpp); a claim that fails after the outcomes were recorded
  // claims nothing.
  virtual Result<JobBatchResult> RunJobBatch(const JobBatch& batch) = 0;
  // Jobs whose lease expired by `lease_now` (their worker stopped renewing it: it died) go back
  // to pending after a backoff (policy.backoff_base_ms << earlier losses, capped), counted in
  // lease_losses; a job lost `policy.poison_limit` times is failed ('worker_lost')
  // instead: it may be what kills its workers. Returns how many jobs were recovered or failed.
  virtual Result<int64_t> RecoverLostJobs(UnixMs now, UnixMs lease_now,
                                          const LostJobPolicy& policy) = 0;
  // Notices of jobs enqueued by any process sharing the database, so that an idle engine starts
  // a new job without waiting for its next poll (PostgreSQL: LISTEN/NOTIFY). nullptr when the
  // backend has none (SQLite: one process; it wakes its engine itself).
  virtual std::unique_ptr<JobNotices> ListenForJobs() { return nullptr; }
  // How many RunJobBatch calls one node gains by running at once: PostgreSQL runs them on
  // separate connections side by side (one round's statement while another's results come
  // back); SQLite has one writer, and its batches are already its group commit.
  virtual int ConcurrentBatches() const { return 1; }
  // Extends the lease to lease.now + lease.ms and records progress; returns whether cancellation
  // was requested.
  virtual Result<bool> HeartbeatJob(const std::string& job_id, const std::string& worker_id,
                                    const JobProgress& progress, UnixMs now, LeaseTerm lease) = 0;
  // Marks the job completed with `result` and stores `artifacts` and `reports` (their job_id,
  // tenant_id and, when 0, created_at are filled in), in one transaction.
  // `events` go to the outbox in the same transaction.
  virtual Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                             const std::string& result, const std::vector<Artifact>& artifacts,
                             const std::vector<Report>& reports, const std::vector<Event>& events,
                             UnixMs now) = 0;
  // Ends the attempt with `error_result`: back to pending at `retry_at`, or failed when nullopt
  // (then `events` go to the outbox in the same transaction).
  virtual Status FailJob(const std::string& job_id, const std::string& worker_id,
                         const std::string& error_result, std::optional<UnixMs> retry_at,
                         const std::vector<Event>& events, UnixMs now) = 0;
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
  // The job an API request with Idempotency-Key `request_key` created, if one did: a retry of a
  // request whose process died after creating its job (before recording the response) returns
  // that job rather than creating a second one.
  virtual Result<std::optional<Job>> FindJobByRequestKey(const std::string& tenant_id,
                                                         const std::string& request_key) = 0;
  virtual Result<Page<Job>> ListJobs(const std::string& tenant_id, std::optional<JobStatus> status,
                                     const PageRequest& page) = 0;
  virtual Result<std::vector<Artifact>> GetArtifacts(const std::string& tenant_id,
                                                     const std::string& job_id) = 0;
  // Deletes jobs that finished before `cutoff` (their artifacts, the reports, stay; their runs
  // keep the final status).
  virtual Result<int64_t> PurgeFinishedJobs(UnixMs cutoff) = 0;
};

// Runs of schedules (any kind): one per (schedule, period) when scheduled.
class ScheduleRunStore {
 public:
  virtual ~ScheduleRunStore() = default;

  // Records `run` and enqueues `job` in one transaction. For a scheduled run, kConflict when
  // the (schedule, period) already has one.
  virtual Status EnqueueScheduleRun(const ScheduleRun& run, const Job& job) = 0;

  // Applies each firing in one transaction; firing i is applied (result[i] true) only when the
  // schedule's next_run_at, in its kind's `schedule_table`, still equals its
  // `expected_next_run_at`. A scheduled run whose (schedule, period) is already recorded is
  // skipped with its job. kInternal (nothing applied) when a `schedule_table` is not a plain SQL
  // name ([a-z_][a-z0-9_]*).
  virtual Result<std::vector<bool>> FireSchedules(const std::vector<ScheduleFiring>& firings) = 0;
  virtual Result<Page<ScheduleRun>> ListScheduleRuns(const std::string& tenant_id,
                                                     const std::string& schedule_id,
                                                     const PageRequest& page) = 0;
};

// Generated reports of every kind and their artifacts.
class ReportStore {
 public:
  virtual ~ReportStore() = default;

  virtual Result<Report> GetReport(const std::string& tenant_id, const std::string& id) = 0;
  // Newest first, filtered.
  virtual Result<Page<Report>> ListReports(const std::string& tenant_id, const ReportFilter& filter,
                                           const PageRequest& page) = 0;
  // Deletes the report, its job's artifacts and what its kind's ReportHooks::deleted removes, in
  // one transaction.
  virtual Status DeleteReport(const std::string& tenant_id, const std::string& id) = 0;

  // One artifact of a report's job (e.g. "report.pdf"), or kNotFound.
  virtual Result<Artifact> GetReportArtifact(const std::string& tenant_id,
                                             const std::string& report_id,
                                             const std::string& name) = 0;
  // The same artifact's name, type and size, without its bytes; then up to `length` of its bytes
  // from `offset`, so that a download streams it in pieces.
  virtual Result<ArtifactInfo> GetReportArtifactInfo(const std::string& tenant_id,
                                                     const std::string& report_id,
                                                     const std::string& name) = 0;
  virtual Result<std::string> ReadReportArtifact(const std::string& tenant_id,
                                                 const std::string& report_id,
                                                 const std::string& name, int64_t offset,
                                                 int64_t length) = 0;
};

// Events written with the changes they announce, fanned out once.
class Outbox {
 public:
  virtual ~Outbox() = default;

  // The outbox: events not fanned out yet, oldest first.
  virtual Result<std::vector<Event>> PendingEvents(int limit) = 0;
  // Fans one event out in one transaction: inserts the deliveries and their jobs and marks the
  // event dispatched. Returns false (and writes nothing) when it was already dispatched.
  virtual Result<bool> DispatchEvent(const std::string& event_id,
                                     const std::vector<WebhookDelivery>& deliveries,
                                     const std::vector<EmailDelivery>& emails,
                                     const std::vector<Job>& jobs, UnixMs now) = 0;
};

// Webhook endpoints and their delivery log.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // Webhook endpoints. List filters by owner (kind and brand id). NotFound for another tenant's.
  virtual Status InsertWebhookEndpoint(const WebhookEndpoint& e) = 0;
  virtual Result<WebhookEndpoint> GetWebhookEndpoint(const std::string& tenant_id,
                                                     const std::string& id) = 0;
  virtual Result<Page<WebhookEndpoint>> ListWebhookEndpoints(const std::string& tenant_id,
                                                             const std::string& owner_kind,
                                                             const std::string& brand_id,
                                                             const PageRequest& page) = 0;
  virtual Status UpdateWebhookEndpoint(const WebhookEndpoint& e) = 0;
  // Deletes the endpoint and its delivery log.
  virtual Status DeleteWebhookEndpoint(const std::string& tenant_id, const std::string& id) = 0;

  // A re-delivery: a new delivery row and its job, in one transaction.
  virtual Status InsertWebhookDelivery(const WebhookDelivery& d, const Job& job) = 0;
  virtual Result<WebhookDelivery> GetWebhookDelivery(const std::string& tenant_id,
                                                     const std::string& id) = 0;
  // The delivery a `webhook_delivery` job performs.
  virtual Result<WebhookDelivery> GetWebhookDeliveryByJob(const std::string& job_id) = 0;
  virtual Result<Page<WebhookDelivery>> ListWebhookDeliveries(const std::string& tenant_id,
                                                              const std::string& endpoint_id,
                                                              const PageRequest& page) = 0;

  // Records one attempt: `status` pending (will retry), succeeded or failed.
  virtual Status RecordWebhookAttempt(const std::string& id, const std::string& status,
                                      std::optional<int64_t> response_status,
                                      const std::string& error, UnixMs now) = 0;
};

// E-mail deliveries of reports: the log per report, re-sending, and attempts.
class EmailDeliveryStore {
 public:
  virtual ~EmailDeliveryStore() = default;

  virtual Status InsertEmailDelivery(const EmailDelivery& d, const Job& job) = 0;
  virtual Result<EmailDelivery> GetEmailDelivery(const std::string& tenant_id,
                                                 const std::string& id) = 0;
  virtual Result<EmailDelivery> GetEmailDeliveryByJob(const std::string& job_id) = 0;
  virtual Result<std::vector<EmailDelivery>> ListEmailDeliveries(const std::string& tenant_id,
                                                                 const std::string& report_id) = 0;
  virtual Status RecordEmailAttempt(const std::string& id, const std::string& status,
                                    std::optional<int64_t> smtp_status, const std::string& error,
                                    UnixMs now) = 0;
};

// The SLA kind's sites.
class SiteStore {
 public:
  virtual ~SiteStore() = default;

  virtual Status InsertSite(const Site& site) = 0;
  virtual Result<Site> GetSite(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Site>> ListSites(const std::string& tenant_id, const PageRequest& page) = 0;
  virtual Status UpdateSite(const Site& site) = 0;
  virtual Status DeleteSite(const std::string& tenant_id, const std::string& id) = 0;

  // Every site of the tenant (report generation selects among them).
  virtual Result<std::vector<Site>> AllSites(const std::string& tenant_id) = 0;
};

// The SLA kind's faults.
class FaultStore {
 public:
  virtual ~FaultStore() = default;

  // Stores every fault or none. A fault with a `source_key` already stored for the tenant is
  // not inserted again; its stored copy only gains `resolved_at` if it had none. Returns the
  // number of faults inserted or resolved.
  virtual Result<int64_t> InsertFaults(const std::vector<Fault>& faults) = 0;
  virtual Result<Fault> GetFault(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Fault>> ListFaults(const std::string& tenant_id, const FaultFilter& filter,
                                         const PageRequest& page) = 0;
  virtual Status UpdateFault(const Fault& fault) = 0;
  // Faults of `type` on any of `site_ids` active in [from, to), in no particular order.
  virtual Result<std::vector<Fault>> FaultsInWindow(const std::string& tenant_id,
                                                    const std::vector<std::string>& site_ids,
                                                    const std::string& type, UnixMs from,
                                                    UnixMs to) = 0;
  // The same faults, streamed: `visit(i, fault)` for each fault of `site_ids[i]`, site after
  // site in the order of `site_ids`, with only what the uptime needs and no list built (1M
  // faults are read at the pace of the database). `fault` is valid during the call only.
  virtual Status ScanFaultsInWindow(
      const std::string& tenant_id, const std::vector<std::string>& site_ids,
      const std::string& type, UnixMs from, UnixMs to,
      const std::function<void(size_t site, const FaultInWindow& fault)>& visit) = 0;
};

// The SLA kind's business hours.
class BusinessHoursStore {
 public:
  virtual ~BusinessHoursStore() = default;

  virtual Status InsertBusinessHours(const BusinessHours& hours) = 0;
  virtual Result<BusinessHours> GetBusinessHours(const std::string& tenant_id,
                                                 const std::string& id) = 0;
  virtual Result<Page<BusinessHours>> ListBusinessHours(const std::string& tenant_id,
                                                        const PageRequest& page) = 0;
  virtual Status UpdateBusinessHours(const BusinessHours& hours) = 0;
  // kConflict when a schedule still refers to it.
  virtual Status DeleteBusinessHours(const std::string& tenant_id, const std::string& id) = 0;
};

// The SLA kind's schedules.
class SlaScheduleStore {
 public:
  virtual ~SlaScheduleStore() = default;

  virtual Status InsertSlaSchedule(const SlaSchedule& schedule) = 0;
  virtual Result<SlaSchedule> GetSlaSchedule(const std::string& tenant_id,
                                             const std::string& id) = 0;
  virtual Result<Page<SlaSchedule>> ListSlaSchedules(const std::string& tenant_id,
                                                     const PageRequest& page) = 0;
  // Replaces name, disabled, timezone, settings, next_run_at and updated_at.
  virtual Status UpdateSlaSchedule(const SlaSchedule& schedule) = 0;
  virtual Status DeleteSlaSchedule(const std::string& tenant_id, const std::string& id) = 0;

  // Enabled SLA schedules with next_run_at <= now, oldest first.
  virtual Result<std::vector<SlaSchedule>> DueSlaSchedules(UnixMs now, int limit) = 0;
};

// The brand kind's brands and their facts.
class BrandStore {
 public:
  virtual ~BrandStore() = default;

  // With `facts` (not null), also writes the brand's facts in the same transaction (a brand
  // created or patched with `brand_info`). `brand.description` is not stored from here.
  virtual Status InsertBrand(const Brand& brand, const BrandFacts* facts) = 0;
  // Brands come with `description` read from their facts.
  virtual Result<Brand> GetBrand(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Brand>> ListBrands(const std::string& tenant_id, const PageRequest& page) = 0;
  // Replaces every mutable field of the stored brand with `brand`'s; `facts` as for InsertBrand.
  virtual Status UpdateBrand(const Brand& brand, const BrandFacts* facts) = 0;
  virtual Status DeleteBrand(const std::string& tenant_id, const std::string& id) = 0;

  // kNotFound when the brand has no facts.
  virtual Result<BrandFacts> GetBrandFacts(const std::string& tenant_id,
                                           const std::string& brand_id) = 0;
  virtual Status PutBrandFacts(const BrandFacts& facts) = 0;
  // Marks the facts `pending` (creating them empty if none) and enqueues `job`, in one
  // transaction.
  virtual Status EnqueueFactsResearch(const std::string& tenant_id, const std::string& brand_id,
                                      const Job& job, UnixMs now) = 0;
};

// The brand kind's scheduled reports.
class ScheduledReportStore {
 public:
  virtual ~ScheduledReportStore() = default;

  virtual Status InsertScheduledReport(const ScheduledReport& s) = 0;
  virtual Result<ScheduledReport> GetScheduledReport(const std::string& tenant_id,
                                                     const std::string& id) = 0;
  virtual Result<Page<ScheduledReport>> ListScheduledReports(const std::string& tenant_id,
                                                             const ScheduledReportFilter& filter,
                                                             const PageRequest& page) = 0;
  // Replaces name, frequency, is_active, next_run_at, updated_at.
  virtual Status UpdateScheduledReport(const ScheduledReport& s) = 0;
  // Deletes it and detaches its region configs.
  virtual Status DeleteScheduledReport(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<std::vector<ScheduledReport>> DueScheduledReports(UnixMs now, int limit) = 0;
};

// The brand kind's region configs.
class RegionConfigStore {
 public:
  virtual ~RegionConfigStore() = default;

  virtual Status InsertRegionConfig(const RegionConfig& c) = 0;
  virtual Result<RegionConfig> GetRegionConfig(const std::string& tenant_id,
                                               const std::string& id) = 0;
  // Configs of the tenant, or of one scheduled report when `scheduled_report_id` is set.
  virtual Result<Page<RegionConfig>> ListRegionConfigs(
      const std::string& tenant_id, const std::optional<std::string>& scheduled_report_id,
      const PageRequest& page) = 0;
  // Replaces every mutable field (incl. scheduled_report_id). Attaching to a schedule that
  // already has `max_per_schedule` configs is kConflict.
  virtual Status UpdateRegionConfig(const RegionConfig& c, int max_per_schedule) = 0;
  // Deletes it and its prompts.
  virtual Status DeleteRegionConfig(const std::string& tenant_id, const std::string& id) = 0;
};

// The brand kind's prompts.
class PromptStore {
 public:
  virtual ~PromptStore() = default;

  // Adds every prompt or none; kConflict when the config would exceed `max_per_config`.
  virtual Status InsertPrompts(const std::vector<Prompt>& prompts, int max_per_config) = 0;
  virtual Result<Prompt> GetPrompt(const std::string& tenant_id, const std::string& id) = 0;
  virtual Result<Page<Prompt>> ListPrompts(const std::string& tenant_id,
                                           const std::string& region_config_id,
                                           const PageRequest& page) = 0;
  virtual Status UpdatePrompt(const Prompt& p) = 0;
  virtual Status DeletePrompt(const std::string& tenant_id, const std::string& id) = 0;
};

// Brand run checkpoints (one row per answer; see BrandAnswer).
class BrandAnswerStore {
 public:
  virtual ~BrandAnswerStore() = default;

  // on `worker_id` holding the job's lease (kConflict otherwise), each its own short transaction.
  // PutBrandAnswer inserts or replaces the answer under its key (a retryable failure is replaced
  // by the answer asked again); PutBrandJudgement sets its judgement.
  virtual Status PutBrandAnswer(const BrandAnswer& answer, const std::string& worker_id) = 0;
  virtual Status PutBrandJudgement(const BrandAnswerKey& key, const std::string& judgement,
                                   int64_t prompt_tokens, int64_t completion_tokens,
                                   const std::string& worker_id) = 0;
  // The job's answers, in key order.
  virtual Result<std::vector<BrandAnswer>> ListBrandAnswers(const std::string& job_id) = 0;
};

// Citations of brand reports: stored with each report by CompleteJob through the brand's
// ReportHooks (BrandReportHooks, brand_report_hooks.hpp) from `Report::kind_data`.
class CitationStore {
 public:
  virtual ~CitationStore() = default;

  // The brand's citations with at least one occurrence matching `filter`, newest first (by id),
  // their counts, dates and `by_platform` summed over those occurrences only.
  virtual Result<Page<Citation>> ListCitations(const std::string& tenant_id,
                                               const std::string& brand_id,
                                               const CitationFilter& filter,
                                               const PageRequest& page) = 0;
  // One citation, over all its occurrences.
  virtual Result<Citation> GetCitation(const std::string& tenant_id, const std::string& id) = 0;
  // Occurrences matching `filter` summed per domain, most cited first (ties by domain); at most
  // `limit` domains, and the sum over every domain (the denominator of shares).
  virtual Result<std::pair<std::vector<DomainCount>, int64_t>> CountCitationsByDomain(
      const std::string& tenant_id, const std::string& brand_id, const CitationFilter& filter,
      int limit) = 0;
  // Reports stored before citations were (queued by the migration that added them), oldest
  // first; their `kind_data` is empty.
  virtual Result<std::vector<Report>> ReportsAwaitingCitations(int limit) = 0;
  // Stores the citations of a queued report (`kind_data`: a std::vector<CitationUse>) and takes
  // it off the queue, in one transaction; false (and nothing written) when it was no longer
  // queued (another node did it).
  virtual Result<bool> BackfillCitations(const Report& report) = 0;
};

// Tenants' branding (white-label), one row per tenant.
class WhiteLabelStore {
 public:
  virtual ~WhiteLabelStore() = default;

  // The tenant's branding; kNotFound when it never set any.
  virtual Result<WhiteLabel> GetWhiteLabel(const std::string& tenant_id) = 0;
  // Inserts or replaces the tenant's whole row with `label` (validated by the caller).
  virtual Status PutWhiteLabel(const WhiteLabel& label) = 0;
};

// A tenant's settings (GET/PUT /v1/settings); a tenant that never set any has the defaults.
struct TenantSettings {
  std::string tenant_id;
  // Days a report is kept when its schedule sets none (>= 1); nullopt: kept forever.
  std::optional<int64_t> report_retention_days;
  UnixMs updated_at = 0;  // 0: never set
};

// A report past its retention (RetentionStore::ExpiredReports).
struct ExpiredReport {
  std::string tenant_id;
  std::string id;
  std::string kind;
  int64_t artifact_bytes = 0;  // its PDF's size
};

// What a tenant keeps stored, for /metrics.
struct TenantStorage {
  std::string tenant_id;
  int64_t reports = 0;
  int64_t artifact_bytes = 0;  // every artifact of the tenant's jobs (the reports' PDFs)
};

// Retention of reports: tenants' defaults, the reports past their retention and their deletion,
// the space given back, and what each tenant keeps.
class RetentionStore {
 public:
  virtual ~RetentionStore() = default;

  // The tenant's settings (the defaults, updated_at 0, when it never set any).
  virtual Result<TenantSettings> GetTenantSettings(const std::string& tenant_id) = 0;
  // Inserts or replaces the tenant's settings (validated by the caller).
  virtual Status PutTenantSettings(const TenantSettings& settings) = 0;
  // Whether any tenant or schedule sets a retention (otherwise every report is kept and there
  // is nothing to purge).
  virtual Result<bool> AnyRetentionSet() = 0;
  // Reports of every tenant created before `now` minus their retention: the
  // `report_retention_days` of the schedule they came from (scheduled or run on demand), else
  // their tenant's default; neither set: kept. In id order after `after_id` (empty: from the
  // first), at most `limit`.
  virtual Result<std::vector<ExpiredReport>> ExpiredReports(UnixMs now, const std::string& after_id,
                                                            int limit) = 0;
  // Deletes each report as DeleteReport does (its PDF, what its kind's ReportHooks::deleted
  // removes: share links, citations) plus its e-mail delivery log, in one transaction; a report
  // already gone is skipped. Returns how many were deleted.
  virtual Result<int64_t> DeleteReports(const std::vector<ExpiredReport>& reports) = 0;
  // Gives freed pages back to the file system where the backend keeps them (SQLite: an
  // incremental vacuum); nothing elsewhere (PostgreSQL's autovacuum).
  virtual Status ReclaimSpace() = 0;
  // Reports and artifact bytes per tenant that has any, by tenant id.
  virtual Result<std::vector<TenantStorage>> StorageByTenant() = 0;
};

// What a report kind has the store do beside the generic rows of its reports and jobs, each in
// the transaction of the generic change, so the kind's rows can neither be lost nor doubled. A
// hook that throws fails the whole change (nothing of it is stored).
struct ReportHooks {
  std::string kind;  // reports whose Report::kind equals this
  // After the report row is inserted by CompleteJob (so `report` has its job_id, tenant_id and
  // created_at); writes e.g. the rows derived from `report.kind_data`.
  std::function<void(sql::Connection&, const Report& report)> stored;
  // In DeleteReport, before the report row goes.
  std::function<void(sql::Connection&, const std::string& tenant_id, const std::string& report_id)>
      deleted;
  // In PurgeFinishedJobs (for every registered kind), before the jobs finished before `cutoff`
  // are deleted, so the hook can still find them.
  std::function<void(sql::Connection&, UnixMs cutoff)> jobs_purged;
};

// A report kind's own tables: their migrations, and transactions on them written against the
// public SQL layer (<rapport/store/sql.hpp>, once for both backends). Errors as every store
// method: a DbError thrown inside becomes the Error it maps to, any other exception kInternal.
class KindDatabase {
 public:
  virtual ~KindDatabase() = default;

  // One schema change of a kind's track. `sqlite` and `postgres`: one or more statements without
  // parameters, ;-separated, in each backend's dialect. Append only: once released, a version is
  // never edited (its name is checked).
  struct Migration {
    int version;
    std::string name;
    std::string sqlite;
    std::string postgres;
  };

  // Applies, in version order, each migration of `track` (e.g. the kind's name) not yet recorded
  // in `kind_migrations`, each in one write transaction with its record. Safe when several nodes
  // start together (each version is applied once). Errors (kInternal): versions not > 0 and
  // strictly increasing, or a recorded version whose name differs; a migration that fails leaves
  // the versions before it applied.
  virtual Status ApplyMigrations(const std::string& track,
                                 const std::vector<Migration>& migrations) = 0;
  // Runs `fn` in one write transaction (read committed; committed when `fn` returns, rolled back
  // when it throws). The store may run `fn` again after a serialization failure or deadlock, so
  // it must have no effect outside the database.
  virtual Status Write(const std::function<void(sql::Connection&)>& fn) = 0;
  // Runs `fn` on a reader connection (each statement sees committed data).
  virtual Status Read(const std::function<void(sql::Connection&)>& fn) = 0;
  // Registers a kind's hooks (several per kind allowed, called in registration order). Call at
  // start-up, before the store serves: not thread-safe against any concurrent use of the store.
  virtual void AddReportHooks(ReportHooks hooks) = 0;
};

}  // namespace rapport
