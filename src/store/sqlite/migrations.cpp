#include "migrations.hpp"

#include <array>

namespace rapport::sqlite {
namespace {

constexpr const char* kV1 = R"sql(
CREATE TABLE brands (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  website     TEXT NOT NULL,
  aliases     TEXT NOT NULL DEFAULT '[]',
  competitors TEXT NOT NULL DEFAULT '[]',
  categories  TEXT NOT NULL DEFAULT '[]',
  country     TEXT,
  language    TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX brands_by_tenant ON brands (tenant_id, id);

CREATE TABLE sites (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  tags       TEXT NOT NULL DEFAULT '{}',
  timezone   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sites_by_tenant ON sites (tenant_id, id);

CREATE TABLE idempotency_keys (
  tenant_id   TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('started', 'done')),
  status      INTEGER,
  body        TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  kind             TEXT NOT NULL,
  payload          TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL
                   CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  step             TEXT,
  message          TEXT,
  completed        INTEGER NOT NULL DEFAULT 0,
  total            INTEGER NOT NULL DEFAULT 0,
  result           TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  run_after        INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  updated_at       INTEGER NOT NULL,
  finished_at      INTEGER
);
CREATE INDEX jobs_by_tenant ON jobs (tenant_id, id);
CREATE INDEX jobs_runnable ON jobs (status, run_after);
)sql";

constexpr const char* kV2 = R"sql(
ALTER TABLE jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 5;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_by_lease ON jobs (status, lease_expires_at);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE artifacts (
  job_id       TEXT NOT NULL,
  name         TEXT NOT NULL,
  tenant_id    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes        BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (job_id, name)
);
)sql";

constexpr const char* kV3 = R"sql(
CREATE TABLE faults (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  type        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  cause       TEXT NOT NULL DEFAULT '',
  message     TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  source_key  TEXT,
  updated_at  INTEGER NOT NULL,
  CHECK (resolved_at IS NULL OR resolved_at >= created_at)
);
CREATE INDEX faults_by_tenant ON faults (tenant_id, id);
CREATE INDEX faults_by_resource ON faults (tenant_id, resource_id, type, created_at);
CREATE UNIQUE INDEX faults_by_source ON faults (tenant_id, source_key)
  WHERE source_key IS NOT NULL;

CREATE TABLE business_hours (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  timezone   TEXT NOT NULL,
  hours      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX business_hours_by_tenant ON business_hours (tenant_id, id);

CREATE TABLE sla_schedules (
  id                TEXT PRIMARY KEY,
  tenant_id         TEXT NOT NULL,
  name              TEXT NOT NULL,
  disabled          INTEGER NOT NULL DEFAULT 0,
  timezone          TEXT NOT NULL,
  settings          TEXT NOT NULL,
  business_hours_id TEXT,
  next_run_at       INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX sla_schedules_by_tenant ON sla_schedules (tenant_id, id);
CREATE INDEX sla_schedules_due ON sla_schedules (next_run_at) WHERE disabled = 0;

CREATE TABLE schedule_runs (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  schedule_id TEXT NOT NULL,
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('scheduled', 'on_demand')),
  from_date   TEXT NOT NULL,
  to_date     TEXT NOT NULL,
  job_id      TEXT,
  status      TEXT NOT NULL,
  error       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  started_at  INTEGER,
  finished_at INTEGER
);
CREATE INDEX schedule_runs_by_schedule ON schedule_runs (tenant_id, schedule_id, id);
CREATE UNIQUE INDEX schedule_runs_one_per_period ON schedule_runs (schedule_id, from_date, to_date)
  WHERE trigger_kind = 'scheduled';
CREATE INDEX schedule_runs_by_job ON schedule_runs (job_id);

CREATE TABLE reports (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  schedule_id TEXT NOT NULL,
  job_id      TEXT NOT NULL UNIQUE,
  trigger_kind TEXT NOT NULL,
  from_date   TEXT NOT NULL,
  to_date     TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX reports_by_tenant ON reports (tenant_id, kind, id);
CREATE INDEX reports_by_schedule ON reports (tenant_id, schedule_id, id);
)sql";

constexpr const char* kV4 = R"sql(
CREATE TABLE events (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  type       TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX events_undelivered ON events (created_at) WHERE delivered_at IS NULL;
)sql";

// Brand visibility: facts, scheduled reports, region configs, prompts; reports may now hold
// several rows per job (one per region config), unique on (job_id, part).
constexpr const char* kV5 = R"sql(
CREATE TABLE brand_facts (
  brand_id        TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  body            TEXT NOT NULL,
  research_status TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);

CREATE TABLE scheduled_reports (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  brand_id    TEXT NOT NULL,
  name        TEXT NOT NULL,
  frequency   TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  is_active   INTEGER NOT NULL DEFAULT 1,
  next_run_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX scheduled_reports_by_brand ON scheduled_reports (tenant_id, brand_id, id);
CREATE INDEX scheduled_reports_due ON scheduled_reports (next_run_at) WHERE is_active = 1;

CREATE TABLE region_configs (
  id                  TEXT PRIMARY KEY,
  tenant_id           TEXT NOT NULL,
  brand_id            TEXT NOT NULL,
  scheduled_report_id TEXT,
  name                TEXT NOT NULL,
  country             TEXT NOT NULL,
  language            TEXT NOT NULL,
  location            TEXT NOT NULL DEFAULT '',
  ai_platforms        TEXT NOT NULL,
  is_active           INTEGER NOT NULL DEFAULT 1,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX region_configs_by_tenant ON region_configs (tenant_id, id);
CREATE INDEX region_configs_by_schedule ON region_configs (tenant_id, scheduled_report_id, id);

CREATE TABLE prompts (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  region_config_id TEXT NOT NULL,
  prompt_text      TEXT NOT NULL,
  category         TEXT NOT NULL DEFAULT '',
  is_enabled       INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX prompts_by_config ON prompts (tenant_id, region_config_id, id);

CREATE TABLE reports_v5 (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  kind             TEXT NOT NULL,
  schedule_id      TEXT NOT NULL,
  job_id           TEXT NOT NULL,
  part             TEXT NOT NULL DEFAULT '',
  trigger_kind     TEXT NOT NULL,
  from_date        TEXT NOT NULL,
  to_date          TEXT NOT NULL,
  body             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  brand_id         TEXT,
  region_config_id TEXT,
  batch_id         TEXT,
  status           TEXT NOT NULL DEFAULT 'completed',
  UNIQUE (job_id, part)
);
INSERT INTO reports_v5 (id, tenant_id, kind, schedule_id, job_id, trigger_kind, from_date, to_date,
                        body, created_at)
  SELECT id, tenant_id, kind, schedule_id, job_id, trigger_kind, from_date, to_date, body,
         created_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_v5 RENAME TO reports;
CREATE INDEX reports_by_tenant ON reports (tenant_id, kind, id);
CREATE INDEX reports_by_schedule ON reports (tenant_id, schedule_id, id);
CREATE INDEX reports_by_brand ON reports (tenant_id, brand_id, id);
CREATE INDEX reports_by_region_config ON reports (tenant_id, region_config_id, id);
)sql";

constexpr const char* kV6 = R"sql(
ALTER TABLE scheduled_reports ADD COLUMN missed_runs TEXT NOT NULL DEFAULT 'once';
)sql";

// Webhooks: endpoints per owner (a brand, or the tenant's SLA side) and the delivery log.
constexpr const char* kV7 = R"sql(
CREATE TABLE webhook_endpoints (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  owner_kind TEXT NOT NULL,
  brand_id   TEXT NOT NULL DEFAULT '',
  url        TEXT NOT NULL,
  events     TEXT NOT NULL,
  enabled    INTEGER NOT NULL,
  secret     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_by_owner ON webhook_endpoints (tenant_id, owner_kind, brand_id, id);
CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  endpoint_id     TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  job_id          TEXT NOT NULL UNIQUE,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  response_status INTEGER,
  error           TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  redelivery_of   TEXT,
  attempt_log     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (tenant_id, endpoint_id, id);
)sql";

// E-mail deliveries of SLA reports to their schedule's recipients.
constexpr const char* kV8 = R"sql(
CREATE TABLE email_deliveries (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL,
  report_id     TEXT NOT NULL,
  schedule_id   TEXT NOT NULL,
  recipient     TEXT NOT NULL,
  job_id        TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  smtp_status   INTEGER,
  error         TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  delivered_at  INTEGER,
  redelivery_of TEXT,
  attempt_log   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX email_deliveries_by_report ON email_deliveries (tenant_id, report_id, id);
)sql";

// The LLM-tier rate limit's one-minute windows, shared by every node on the database.
constexpr const char* kV9 = R"sql(
CREATE TABLE rate_windows (
  key    TEXT NOT NULL,
  minute INTEGER NOT NULL,
  calls  INTEGER NOT NULL,
  PRIMARY KEY (key, minute)
);
CREATE INDEX rate_windows_by_minute ON rate_windows (minute);
)sql";

constexpr const char* kV10 = R"sql(
ALTER TABLE jobs ADD COLUMN request_key TEXT;
CREATE INDEX jobs_by_request_key ON jobs (tenant_id, request_key) WHERE request_key IS NOT NULL;
)sql";

// Citations: the URLs a brand's reports cite (one row per tenant, brand and URL) and their
// occurrences (one row per citation, report and platform, with the report's region config and
// time), written with each report. Reports stored earlier are queued in citation_backfill; the
// brand module's start-up backfill (BackfillCitations) reads their JSON in C++, the one parser
// of report citations, mints the cit_ ids and empties the queue.
constexpr const char* kV11 = R"sql(
CREATE TABLE citations (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  brand_id   TEXT NOT NULL,
  url        TEXT NOT NULL,
  domain     TEXT NOT NULL,
  title      TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (tenant_id, brand_id, url)
);
CREATE INDEX citations_by_brand ON citations (tenant_id, brand_id, id);
CREATE TABLE citation_uses (
  citation_id      TEXT NOT NULL,
  report_id        TEXT NOT NULL,
  platform         TEXT NOT NULL,
  tenant_id        TEXT NOT NULL,
  brand_id         TEXT NOT NULL,
  region_config_id TEXT,
  cited_at         INTEGER NOT NULL,
  times_cited      INTEGER NOT NULL CHECK (times_cited > 0),
  PRIMARY KEY (citation_id, report_id, platform)
);
CREATE INDEX citation_uses_by_report ON citation_uses (report_id);
CREATE INDEX citation_uses_by_brand ON citation_uses (tenant_id, brand_id, cited_at);
CREATE TABLE citation_backfill (report_id TEXT PRIMARY KEY);
INSERT INTO citation_backfill (report_id) SELECT id FROM reports WHERE kind = 'brand';
)sql";

// Brand runs at the providers' pace: samples per prompt (scheduled reports; region configs may
// override), and the runs' checkpoints: one row per answer (job, region config, prompt, platform,
// sample), written as it arrives, so a run claimed again asks only what is missing. The rows
// stay with the run's reports (raw text, model, latency, tokens).
constexpr const char* kV12 = R"sql(
ALTER TABLE scheduled_reports ADD COLUMN samples_per_prompt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE region_configs ADD COLUMN samples_per_prompt INTEGER;
CREATE TABLE brand_answers (
  job_id                  TEXT NOT NULL,
  region_config_id        TEXT NOT NULL,
  prompt_id               TEXT NOT NULL,
  platform                TEXT NOT NULL,
  sample                  INTEGER NOT NULL,
  tenant_id               TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('answered', 'failed')),
  retryable               INTEGER NOT NULL,
  error                   TEXT NOT NULL,
  model                   TEXT NOT NULL,
  answer                  TEXT NOT NULL,
  sources                 TEXT NOT NULL,
  latency_ms              INTEGER NOT NULL,
  prompt_tokens           INTEGER NOT NULL,
  completion_tokens       INTEGER NOT NULL,
  judgement               TEXT,
  judge_prompt_tokens     INTEGER NOT NULL DEFAULT 0,
  judge_completion_tokens INTEGER NOT NULL DEFAULT 0,
  created_at              INTEGER NOT NULL,
  PRIMARY KEY (job_id, region_config_id, prompt_id, platform, sample)
);
)sql";

// The migrations of report kinds' own tables (KindDatabase::ApplyMigrations): one row per applied
// version of a kind's track.
constexpr const char* kV13 = R"sql(
CREATE TABLE kind_migrations (
  track      TEXT NOT NULL,
  version    INTEGER NOT NULL,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (track, version)
);
)sql";

// Tenants' branding (WhiteLabelStore): name, accent colour and logo, one row per tenant.
constexpr const char* kV14 = R"sql(
CREATE TABLE white_labels (
  tenant_id         TEXT PRIMARY KEY,
  name              TEXT,
  accent_color      TEXT,
  logo_content_type TEXT NOT NULL DEFAULT '',
  logo              BLOB NOT NULL DEFAULT x'',
  updated_at        INTEGER NOT NULL
);
)sql";

constexpr const char* kV15 = R"sql(
ALTER TABLE jobs ADD COLUMN lease_losses INTEGER NOT NULL DEFAULT 0;
)sql";

// SLA maintenance windows (src/sla/maintenance_window_store.cpp); `definition` is JSON text.
constexpr const char* kV16 = R"sql(
CREATE TABLE maintenance_windows (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX maintenance_windows_by_tenant ON maintenance_windows (tenant_id, id);
)sql";

// Slack and Teams delivery endpoints (the body an endpoint is sent); the visibility drop that
// fires `visibility.dropped` per scheduled report.
constexpr const char* kV17 = R"sql(
ALTER TABLE webhook_endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'signed';
ALTER TABLE scheduled_reports ADD COLUMN visibility_drop_threshold INTEGER;
)sql";

// The audit log: one row per write request through the API or the console (issue 22).
constexpr const char* kV18 = R"sql(
CREATE TABLE audit_events (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  method      TEXT NOT NULL,
  route       TEXT NOT NULL,
  path        TEXT NOT NULL,
  resource_id TEXT,
  outcome     TEXT NOT NULL,
  status      INTEGER,
  request_id  TEXT NOT NULL
);
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_by_age ON audit_events (occurred_at);
)sql";

// Retention of reports: a scheduled report's own retention, and each tenant's default.
constexpr const char* kV19 = R"sql(
ALTER TABLE scheduled_reports ADD COLUMN report_retention_days INTEGER;
CREATE TABLE tenant_settings (
  tenant_id             TEXT PRIMARY KEY,
  report_retention_days INTEGER,
  updated_at            INTEGER NOT NULL
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "brands, sites, idempotency keys, jobs", kV1},
    Migration{2, "job attempts limit, cancellation flag, artifacts", kV2},
    Migration{3, "faults, business hours, SLA schedules, schedule runs, reports", kV3},
    Migration{4, "events outbox", kV4},
    Migration{5, "brand facts, scheduled reports, region configs, prompts; reports per part", kV5},
    Migration{6, "missed-run policy of scheduled reports", kV6},
    Migration{7, "webhook endpoints and deliveries", kV7},
    Migration{8, "e-mail deliveries", kV8},
    Migration{9, "rate-limit windows", kV9},
    Migration{10, "the request that created a job", kV10},
    Migration{11, "citations and their occurrences; backfill queue", kV11},
    Migration{12, "samples per prompt; brand run checkpoints", kV12},
    Migration{13, "migrations of report kinds' own tables", kV13},
    Migration{14, "tenants' branding (white-label)", kV14},
    Migration{15, "jobs lost by a dead worker, counted apart from attempts", kV15},
    Migration{16, "SLA maintenance windows", kV16},
    Migration{17, "webhook endpoint formats (slack, teams); visibility drop threshold", kV17},
    Migration{18, "audit log", kV18},
    Migration{19, "report retention: scheduled reports' days, tenants' default", kV19},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace rapport::sqlite
