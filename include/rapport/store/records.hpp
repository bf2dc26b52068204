// Rows the store keeps. Every row belongs to exactly one tenant; the store never returns a row to
// a caller asking with another tenant.
#pragma once

#include <rapport/core/time.hpp>

#include <any>
#include <compare>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rapport {

struct Competitor {
  std::string name;
  std::vector<std::string> aliases;
  bool operator==(const Competitor&) const = default;
};

struct Brand {
  std::string id;  // "brand_…"
  std::string tenant_id;
  std::string name;
  std::string website;
  std::vector<std::string> aliases;
  std::vector<Competitor> competitors;
  std::vector<std::string> categories;
  std::optional<std::string> country;   // ISO 3166-1 alpha-2
  std::optional<std::string> language;  // ISO 639-1, optionally with a region
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  // `brand_info.description`: the description in the brand's facts (read with the brand).
  std::optional<std::string> description;
  bool operator==(const Brand&) const = default;
};

struct Site {
  std::string id;  // "site_…"
  std::string tenant_id;
  std::string name;
  std::map<std::string, std::string> tags;
  std::string timezone;  // IANA name
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  bool operator==(const Site&) const = default;
};

// A page request over a newest-first list: at most `limit` rows strictly older than `after_id`.
struct PageRequest {
  int limit = 20;
  std::optional<std::string> after_id;
};

template <class T>
struct Page {
  std::vector<T> items;
  bool has_more = false;
};

// What an Idempotency-Key refers to: the first request made with it and, once done, its response.
struct IdempotencyKey {
  std::string tenant_id;
  std::string key;
  std::string fingerprint;  // hash of method, route and body
};

enum class IdempotencyState { kStarted, kReplay, kInUse, kMismatch };

struct IdempotencyClaim {
  IdempotencyState state = IdempotencyState::kStarted;
  int status = 0;    // kReplay: the stored response
  std::string body;  // kReplay
};

enum class JobStatus { kPending, kProcessing, kCompleted, kFailed, kCancelled };

std::string_view JobStatusName(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view text);
inline bool IsTerminal(JobStatus s) {
  return s == JobStatus::kCompleted || s == JobStatus::kFailed || s == JobStatus::kCancelled;
}

// A unit of asynchronous work (seed 000's job). `payload` and `result` are JSON object texts.
struct Job {
  std::string id;  // "job_…"
  std::string tenant_id;
  std::string kind;
  std::string payload = "{}";
  JobStatus status = JobStatus::kPending;
  std::string step;
  std::string message;
  int64_t completed = 0;
  int64_t total = 0;
  std::string result;  // empty until the job ends
  int64_t attempts = 0;
  int64_t max_attempts = 5;
  int64_t lease_losses = 0;  // attempts cut short by a worker that died (of `attempts`)
  bool cancel_requested = false;
  std::string lease_owner;
  UnixMs lease_expires_at = 0;
  UnixMs run_after = 0;
  UnixMs created_at = 0;
  std::optional<UnixMs> started_at;
  UnixMs updated_at = 0;
  std::optional<UnixMs> finished_at;
  // The Idempotency-Key of the API request that created the job ("" for none): a retry of that
  // request finds this job instead of creating another (see Store::FindJobByRequestKey).
  std::string request_key;
};

// A file a job produced, stored in the transaction that completes the job.
struct Artifact {
  std::string name;  // unique per job, e.g. "report.json", "report.pdf"
  std::string content_type;
  std::string bytes;
};

// An artifact without its bytes, for reading them piece by piece.
struct ArtifactInfo {
  std::string name;
  std::string content_type;
  int64_t size = 0;
};

// Progress a worker reports while it holds a job's lease.
struct JobProgress {
  std::string step;
  std::string message;
  int64_t completed = 0;
  int64_t total = 0;
};

// A job lease taken or renewed at `now` on the lease clock (LeaseClock()) for `ms`. Leases are
// only compared with lease-clock readings, never with the wall clock.
struct LeaseTerm {
  UnixMs now = 0;
  int64_t ms = 0;
};

// How a worker's attempt of a job ended, recorded in a batch (JobQueue::RunJobBatch). An
// attempt that stores artifacts, reports or events ends through CompleteJob/FailJob instead.
enum class JobEnd {
  kCompleted,  // done; `result`
  kFailed,     // failed for good; `result`
  kRetry,      // pending again at `retry_at`; `result` is the error
  kCancelled,  // the worker saw the cancellation request
  kReleased,   // handed back untouched (shutdown): pending now, the attempt not counted
};

struct JobFinish {
  std::string job_id;
  JobEnd end = JobEnd::kCompleted;
  std::string result;
  UnixMs retry_at = 0;
};

// One round trip of a node's job engine (see JobQueue::RunJobBatch).
struct JobBatch {
  std::string owner;  // the lease holder: the node's engine
  UnixMs now = 0;     // wall clock: run_after, timestamps
  LeaseTerm lease;    // renewed and new leases run to lease.now + lease.ms
  std::vector<JobFinish> finishes;
  std::vector<std::string> renew;  // ids of jobs `owner` still works on
  int claim = 0;                   // how many due jobs to claim
};

struct JobBatchResult {
  std::vector<bool> finished;  // per finish: whether `owner` still held the job (else no-op)
  // Per renewed job `owner` still holds: whether cancellation was requested. A renewed id
  // missing here lost its lease.
  std::vector<std::pair<std::string, bool>> renewed;
  std::vector<Job> claimed;  // oldest due first
};

// What becomes of jobs whose worker died (see JobQueue::RecoverLostJobs).
struct LostJobPolicy {
  int64_t poison_limit = 10;
  int64_t backoff_base_ms = 1'000;
  int64_t backoff_max_ms = 5 * 60'000;
};

// A fault on a monitored resource: the input of SLA reports. `created_at` is when the fault
// began, `resolved_at` when it ended (nullopt while unresolved).
struct Fault {
  std::string id;  // "flt_…"
  std::string tenant_id;
  std::string resource_id;  // a site id
  std::string type;         // "site", "wantunnel", …
  std::string severity;     // LOW | MEDIUM | HIGH | CRITICAL
  std::string cause;
  std::string message;
  UnixMs created_at = 0;
  std::optional<UnixMs> resolved_at;
  // Set for faults from an external source (Alertmanager, Grafana: the source, fingerprint and
  // startsAt): a second delivery with the same key only resolves the fault.
  std::optional<std::string> source_key;
  UnixMs updated_at = 0;
  bool operator==(const Fault&) const = default;
};

// What the SLA report reads of a fault in its window (FaultStore::ScanFaultsInWindow).
struct FaultInWindow {
  std::string id;
  std::string cause;
  UnixMs created_at = 0;
  std::optional<UnixMs> resolved_at;
};

// GET /faults filters; a fault matches [from, to) when it was active at some instant in it.
struct FaultFilter {
  std::optional<std::string> resource_id;
  std::optional<std::string> type;
  std::optional<std::string> severity;
  std::optional<UnixMs> from;
  std::optional<UnixMs> to;
};

// Weekly opening hours referenced by SLA schedules. `hours` is the JSON array text of
// {day, start, end}.
struct BusinessHours {
  std::string id;  // "sch_…"
  std::string tenant_id;
  std::string name;
  std::string timezone;
  std::string hours = "[]";
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  bool operator==(const BusinessHours&) const = default;
};

// An SLA report schedule. `settings` is the JSON object text of every configurable field the
// API shows (the sla module owns its shape); the columns the store queries are lifted out.
struct SlaSchedule {
  std::string id;  // "sla_…"
  std::string tenant_id;
  std::string name;
  bool disabled = false;
  std::string timezone;
  std::string settings = "{}";
  std::optional<UnixMs> next_run_at;
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  // Read-only, from the schedule's latest run.
  std::optional<UnixMs> last_run_at;
  std::string last_run_status;
  std::string last_error_message;
};

// One run of a schedule, scheduled or manual, with the period it covers and the job doing it.
struct ScheduleRun {
  std::string id;  // "run_…"
  std::string tenant_id;
  std::string schedule_id;
  std::string trigger;  // "scheduled" | "on_demand"
  std::string from_date;
  std::string to_date;
  std::string job_id;  // empty for a period recorded as missed
  std::string status;  // the job's status, or "missed" / "skipped"
  std::string error;   // why it failed or was missed
  UnixMs created_at = 0;
  std::optional<UnixMs> started_at;
  std::optional<UnixMs> finished_at;
};

// An event for delivery (webhooks, email), written in the transaction of the change it reports:
// an outbox the delivery workers read.
struct Event {
  std::string id;  // "evt_…"
  std::string tenant_id;
  std::string type;  // e.g. "schedule.run.missed"
  std::string payload = "{}";
  UnixMs created_at = 0;
};

// A URL Rapport POSTs signed events to. Its owner decides which events reach it: a resource of
// a report kind's owner type (`owner_kind` "brand", `owner_id` the brand's id) or the tenant's
// side of a kind ("sla", `owner_id` empty). Stored in the `brand_id` column.
struct WebhookEndpoint {
  std::string id;  // "whk_…"
  std::string tenant_id;
  std::string owner_kind;  // a WebhookOwnerType's kind: "brand" | "sla"
  std::string owner_id;
  std::string url;
  std::vector<std::string> events;  // event types it receives
  bool enabled = true;
  std::string secret;  // the HMAC key, "whsec_…"; never logged
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  // What is POSTed: "signed" (the signed envelope), "slack" (a Slack incoming-webhook message)
  // or "teams" (a Teams Workflows message with an Adaptive Card). For slack and teams the URL is
  // the secret: never logged whole.
  std::string format = "signed";
};

// One event sent to one endpoint, by one `webhook_delivery` job (retried with backoff). `body`
// is the envelope, fixed when the event is fanned out: every attempt and every re-delivery sends
// the same bytes.
struct WebhookDelivery {
  std::string id;  // "dlv_…"
  std::string tenant_id;
  std::string endpoint_id;
  std::string event_id;
  std::string event_type;
  std::string job_id;
  std::string body;
  std::string status = "pending";  // pending | succeeded | failed
  int64_t attempts = 0;
  std::optional<int64_t> response_status;  // the receiver's last HTTP status
  std::string error;                       // why the last attempt failed
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  std::optional<UnixMs> delivered_at;
  std::optional<std::string> redelivery_of;  // the delivery this one re-sends
  // Every attempt, oldest first: JSON array of {at, status, response_status, error}.
  std::string attempt_log = "[]";
};

// One report e-mailed to one recipient, by one `email_delivery` job (retried with backoff).
struct EmailDelivery {
  std::string id;  // "eml_…"
  std::string tenant_id;
  std::string report_id;
  std::string schedule_id;
  std::string recipient;
  std::string job_id;
  std::string status = "pending";  // pending | succeeded | failed
  int64_t attempts = 0;
  std::optional<int64_t> smtp_status;  // the server's last reply code (250 accepted)
  std::string error;                   // why the last attempt failed
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  std::optional<UnixMs> delivered_at;
  std::optional<std::string> redelivery_of;
  // Every attempt, oldest first: JSON array of {at, status, smtp_status, error}.
  std::string attempt_log = "[]";
};

// What the scheduler decided for one due schedule: advance `next_run_at` from `expected` (a
// compare-and-set: a schedule another scheduler already advanced is left alone) and record
// `runs`, each with the job that performs it or none (a missed or failed period).
struct ScheduleFiring {
  std::string kind;            // the report kind's name (metrics)
  std::string schedule_table;  // the kind's schedule table (ScheduleKindHook::ScheduleTable)
  std::string enabled_column;  // "": none; else it must equal enabled_value (EnabledColumn)
  int64_t enabled_value = 1;
  std::string tenant_id;
  std::string schedule_id;
  UnixMs expected_next_run_at = 0;
  std::optional<UnixMs> new_next_run_at;
  std::vector<std::pair<ScheduleRun, std::optional<Job>>> runs;
  std::vector<Event> events;
};

// One URL (or bare domain) a report's answers cite on one platform: how many of the report's
// answers on that platform cite it.
struct CitationUse {
  std::string url;
  std::string domain;  // lower case, without "www."
  std::string platform;
  int64_t times_cited = 0;
};

// An immutable generated report. Written in the transaction that completes its job, unique on
// the job: a retried job can never produce two.
struct Report {
  std::string id;  // "rpt_…"
  std::string tenant_id;
  std::string kind;  // "sla" | "brand"
  std::string schedule_id;
  std::string job_id;
  std::string part;  // which report of the job ("" for SLA, the region config id for brand runs)
  std::string trigger;
  std::string from_date;
  std::string to_date;
  std::string body;  // the report's JSON text
  UnixMs created_at = 0;
  std::optional<std::string> brand_id;
  std::optional<std::string> region_config_id;
  std::optional<std::string> batch_id;  // reports of one run share it
  std::string status = "completed";     // "completed" | "failed"
  bool has_pdf = false;  // read-only: a "<part>report.pdf" artifact exists for the job
  // Write-only: what the kind's ReportHooks::stored writes beside the report (in CompleteJob's
  // transaction), e.g. a kind's own rows derived from the report; never read back into it.
  std::any kind_data;
};

struct ReportFilter {
  std::string kind;
  std::optional<std::string> schedule_id;
  std::optional<std::string> brand_id;
  std::optional<std::string> status;
  std::optional<std::string> batch_id;
  std::optional<std::string> region_config_id;
};

// What is known about a brand, the ground truth brand reports are judged against. `body` is the
// JSON object of the fact fields.
struct BrandFacts {
  std::string brand_id;
  std::string tenant_id;
  std::string body = "{}";
  std::string research_status = "completed";  // "pending" while a regenerate job runs
  UnixMs updated_at = 0;
};

// Seed 000's scheduled report: a brand's cadence of visibility runs.
struct ScheduledReport {
  std::string id;  // "srep_…"
  std::string tenant_id;
  std::string brand_id;
  std::string name;
  std::string frequency;  // daily | weekly | monthly
  // Days its reports are kept (1-36500); nullopt: the tenant's default.
  std::optional<int64_t> report_retention_days;
  bool is_active = true;
  std::string missed_runs = "once";  // skip | once | all
  int samples_per_prompt = 1;        // 1-10: times each prompt is asked per platform
  std::optional<UnixMs> next_run_at;
  // A region's visibility down by at least this many points from its previous run fires
  // `visibility.dropped`; nullopt: never.
  std::optional<int64_t> visibility_drop_threshold;  // 1-100 points
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  // Read-only, from the latest run.
  std::optional<UnixMs> last_run_at;
  std::string last_run_status;
  std::string last_error_message;
};

struct ScheduledReportFilter {
  std::string brand_id;
  std::optional<bool> is_active;
  std::optional<std::string> frequency;
  std::optional<std::string> search;  // case-insensitive substring of the name
};

// Where and on which answer engines a brand is measured.
struct RegionConfig {
  std::string id;  // "rcfg_…"
  std::string tenant_id;
  std::string brand_id;
  std::optional<std::string> scheduled_report_id;
  std::string name;
  std::string country;   // free text (1-100 characters): a name or an ISO 3166-1 code
  std::string language;  // an ISO 639-1 code (with a region) or an English name; "en" by default
  std::string location;  // free text, e.g. "Berlin"
  std::vector<std::string> ai_platforms;
  std::optional<int> samples_per_prompt;  // 1-10; nullopt: the scheduled report's
  bool is_active = true;
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  // Read-only.
  int64_t prompts_count = 0;
  std::optional<UnixMs> last_run_at;
  std::string last_run_status;
  std::string last_error_message;
};

// One sample of one prompt asked of one platform during a brand run (`brand_report` job): the
// run's checkpoint, stored as it arrives so that a run resumed after a crash asks only what is
// missing, and kept with the run's reports (a later methodology can re-score it).
struct BrandAnswerKey {
  std::string job_id;
  std::string region_config_id;
  std::string prompt_id;
  std::string platform;
  int sample = 1;  // 1-based
  auto operator<=>(const BrandAnswerKey&) const = default;
};

struct BrandAnswer {
  BrandAnswerKey key;
  std::string tenant_id;
  std::string status = "answered";  // answered | failed
  bool retryable = false;           // failed for a transient reason: asked again on a resume
  std::string error;                // why it failed, as the provider said
  std::string model;
  std::string answer;
  std::string sources = "[]";  // JSON [{"url", "title"}] the provider returned with the answer
  int64_t latency_ms = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  // The judge's verdict on the answer's claims, as JSON ({"claims": [...]} or {"error": "..."});
  // nullopt: not judged yet.
  std::optional<std::string> judgement;
  int64_t judge_prompt_tokens = 0;
  int64_t judge_completion_tokens = 0;
  UnixMs created_at = 0;
};

struct Prompt {
  std::string id;  // "prm_…"
  std::string tenant_id;
  std::string region_config_id;
  std::string prompt_text;
  std::string category;
  bool is_enabled = true;
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
};

// A URL cited in a brand's reports, with its occurrences summed over the reports (and platforms,
// region configs and dates) a query selects.
struct Citation {
  std::string id;  // "cit_…", minted when the brand's reports first cite the URL
  std::string tenant_id;
  std::string brand_id;
  std::string url;
  std::string domain;
  std::optional<std::string> title;  // none is extracted today
  int64_t times_cited = 0;
  UnixMs first_seen_at = 0;  // created_at of the first and last report citing it
  UnixMs last_seen_at = 0;
  std::vector<std::pair<std::string, int64_t>> by_platform;  // platform, times cited; by name
};

// Which occurrences of a brand's citations count. `to` is exclusive.
struct CitationFilter {
  std::optional<std::string> platform;
  std::optional<std::string> region_config_id;
  std::optional<UnixMs> from;
  std::optional<UnixMs> to;
};

struct DomainCount {
  std::string domain;
  int64_t times_cited = 0;
};

// A tenant's branding (white-label): what the console, shared pages and PDFs show instead of
// "Rapport". Every field is optional; a tenant without a row has none.
struct WhiteLabel {
  std::string tenant_id;
  std::optional<std::string> name;          // <= 100 characters
  std::optional<std::string> accent_color;  // "#RRGGBB"
  std::string logo_content_type;            // "image/png" or "image/svg+xml"; "" without a logo
  std::string logo;                         // the logo's bytes (an SVG sanitised); "" for none
  UnixMs updated_at = 0;
};

}  // namespace rapport
