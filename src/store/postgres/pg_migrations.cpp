#include "pg_migrations.hpp"

#include <array>
#include <set>

namespace rapport::pg {
namespace {

// The schema mirrors the SQLite store's, so that both run the same queries (src/store/sql):
// times are BIGINT milliseconds, JSON is TEXT, booleans are INTEGER 0/1, ids compare bytewise
// (COLLATE "C", as SQLite does: cursors depend on it), and two SQLite functions the queries use
// are defined here.
constexpr const char* kV1 = R"sql(
CREATE FUNCTION json_extract(doc TEXT, path TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS
  $$ SELECT doc::jsonb #>> string_to_array(substr(path, 3), '.') $$;
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS
  $$ SELECT strpos(haystack, needle) $$;
CREATE TABLE brands (
  id          TEXT COLLATE "C" PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  website     TEXT NOT NULL,
  aliases     TEXT NOT NULL DEFAULT '[]',
  competitors TEXT NOT NULL DEFAULT '[]',
  categories  TEXT NOT NULL DEFAULT '[]',
  country     TEXT,
  language    TEXT,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX brands_by_tenant ON brands (tenant_id, id);

CREATE TABLE sites (
  id         TEXT COLLATE "C" PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  tags       TEXT NOT NULL DEFAULT '{}',
  timezone   TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sites_by_tenant ON sites (tenant_id, id);

CREATE TABLE idempotency_keys (
  tenant_id   TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('started', 'done')),
  status      INTEGER,
  body        TEXT,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

CREATE TABLE jobs (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  kind             TEXT NOT NULL,
  payload          TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL
                   CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  step             TEXT,
  message          TEXT,
  completed        BIGINT NOT NULL DEFAULT 0,
  total            BIGINT NOT NULL DEFAULT 0,
  result           TEXT,
  attempts         BIGINT NOT NULL DEFAULT 0,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  run_after        BIGINT NOT NULL,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  updated_at       BIGINT NOT NULL,
  finished_at      BIGINT
);
CREATE INDEX jobs_by_tenant ON jobs (tenant_id, id);
CREATE INDEX jobs_runnable ON jobs (status, run_after, id);
)sql";

constexpr const char* kV2 = R"sql(
ALTER TABLE jobs ADD COLUMN max_attempts BIGINT NOT NULL DEFAULT 5;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_by_lease ON jobs (status, lease_expires_at);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE artifacts (
  job_id       TEXT NOT NULL,
  name         TEXT NOT NULL,
  tenant_id    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes        BYTEA NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (job_id, name)
);
)sql";

// The rest of the schema in its current shape (the SQLite store reached it through migrations
// 3-8; a new backend needs no upgrade path): SLA data, brand visibility, reports, the outbox and
// the delivery logs.
constexpr const char* kV3 = R"sql(
CREATE TABLE faults (
  id          TEXT COLLATE "C" PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  type        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  cause       TEXT NOT NULL DEFAULT '',
  message     TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  resolved_at BIGINT,
  source_key  TEXT,
  updated_at  BIGINT NOT NULL,
  CHECK (resolved_at IS NULL OR resolved_at >= created_at)
);
CREATE INDEX faults_by_tenant ON faults (tenant_id, id);
CREATE INDEX faults_by_resource ON faults (tenant_id, resource_id, type, created_at);
CREATE UNIQUE INDEX faults_by_source ON faults (tenant_id, source_key)
  WHERE source_key IS NOT NULL;

CREATE TABLE business_hours (
  id         TEXT COLLATE "C" PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  timezone   TEXT NOT NULL,
  hours      TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX business_hours_by_tenant ON business_hours (tenant_id, id);

CREATE TABLE sla_schedules (
  id                TEXT COLLATE "C" PRIMARY KEY,
  tenant_id         TEXT NOT NULL,
  name              TEXT NOT NULL,
  disabled          INTEGER NOT NULL DEFAULT 0,
  timezone          TEXT NOT NULL,
  settings          TEXT NOT NULL,
  business_hours_id TEXT,
  next_run_at       BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX sla_schedules_by_tenant ON sla_schedules (tenant_id, id);
CREATE INDEX sla_schedules_due ON sla_schedules (next_run_at) WHERE disabled = 0;

CREATE TABLE schedule_runs (
  id           TEXT COLLATE "C" PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  schedule_id  TEXT NOT NULL,
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('scheduled', 'on_demand')),
  from_date    TEXT NOT NULL,
  to_date      TEXT NOT NULL,
  job_id       TEXT,
  status       TEXT NOT NULL,
  error        TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL,
  started_at   BIGINT,
  finished_at  BIGINT
);
CREATE INDEX schedule_runs_by_schedule ON schedule_runs (tenant_id, schedule_id, id);
CREATE UNIQUE INDEX schedule_runs_one_per_period ON schedule_runs (schedule_id, from_date, to_date)
  WHERE trigger_kind = 'scheduled';
CREATE INDEX schedule_runs_by_job ON schedule_runs (job_id);

CREATE TABLE events (
  id           TEXT COLLATE "C" PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  type         TEXT NOT NULL,
  payload      TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX events_undelivered ON events (created_at) WHERE delivered_at IS NULL;

CREATE TABLE brand_facts (
  brand_id        TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  body            TEXT NOT NULL,
  research_status TEXT NOT NULL,
  updated_at      BIGINT NOT NULL
);

CREATE TABLE scheduled_reports (
  id          TEXT COLLATE "C" PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  brand_id    TEXT NOT NULL,
  name        TEXT NOT NULL,
  frequency   TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  is_active   INTEGER NOT NULL DEFAULT 1,
  next_run_at BIGINT,
  missed_runs TEXT NOT NULL DEFAULT 'once',
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX scheduled_reports_by_brand ON scheduled_reports (tenant_id, brand_id, id);
CREATE INDEX scheduled_reports_due ON scheduled_reports (next_run_at) WHERE is_active = 1;

CREATE TABLE region_configs (
  id                  TEXT COLLATE "C" PRIMARY KEY,
  tenant_id           TEXT NOT NULL,
  brand_id            TEXT NOT NULL,
  scheduled_report_id TEXT,
  name                TEXT NOT NULL,
  country             TEXT NOT NULL,
  language            TEXT NOT NULL,
  location            TEXT NOT NULL DEFAULT '',
  ai_platforms        TEXT NOT NULL,
  is_active           INTEGER NOT NULL DEFAULT 1,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
);
CREATE INDEX region_configs_by_tenant ON region_configs (tenant_id, id);
CREATE INDEX region_configs_by_schedule ON region_configs (tenant_id, scheduled_report_id, id);

CREATE TABLE prompts (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  region_config_id TEXT NOT NULL,
  prompt_text      TEXT NOT NULL,
  category         TEXT NOT NULL DEFAULT '',
  is_enabled       INTEGER NOT NULL DEFAULT 1,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX prompts_by_config ON prompts (tenant_id, region_config_id, id);

CREATE TABLE reports (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  kind             TEXT NOT NULL,
  schedule_id      TEXT NOT NULL,
  job_id           TEXT NOT NULL,
  part             TEXT NOT NULL DEFAULT '',
  trigger_kind     TEXT NOT NULL,
  from_date        TEXT NOT NULL,
  to_date          TEXT NOT NULL,
  body             TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  brand_id         TEXT,
  region_config_id TEXT,
  batch_id         TEXT,
  status           TEXT NOT NULL DEFAULT 'completed',
  UNIQUE (job_id, part)
);
CREATE INDEX reports_by_tenant ON reports (tenant_id, kind, id);
CREATE INDEX reports_by_schedule ON reports (tenant_id, schedule_id, id);
CREATE INDEX reports_by_brand ON reports (tenant_id, brand_id, id);
CREATE INDEX reports_by_region_config ON reports (tenant_id, region_config_id, id);

CREATE TABLE webhook_endpoints (
  id         TEXT COLLATE "C" PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  owner_kind TEXT NOT NULL,
  brand_id   TEXT NOT NULL DEFAULT '',
  url        TEXT NOT NULL,
  events     TEXT NOT NULL,
  enabled    INTEGER NOT NULL,
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_by_owner ON webhook_endpoints (tenant_id, owner_kind, brand_id, id);

CREATE TABLE webhook_deliveries (
  id              TEXT COLLATE "C" PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  endpoint_id     TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  job_id          TEXT NOT NULL UNIQUE,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        BIGINT NOT NULL DEFAULT 0,
  response_status BIGINT,
  error           TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  delivered_at    BIGINT,
  redelivery_of   TEXT,
  attempt_log     JSONB NOT NULL DEFAULT '[]'
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (tenant_id, endpoint_id, id);

CREATE TABLE email_deliveries (
  id            TEXT COLLATE "C" PRIMARY KEY,
  tenant_id     TEXT NOT NULL,
  report_id     TEXT NOT NULL,
  schedule_id   TEXT NOT NULL,
  recipient     TEXT NOT NULL,
  job_id        TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL,
  attempts      BIGINT NOT NULL DEFAULT 0,
  smtp_status   BIGINT,
  error         TEXT NOT NULL DEFAULT '',
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  delivered_at  BIGINT,
  redelivery_of TEXT,
  attempt_log   JSONB NOT NULL DEFAULT '[]'
);
CREATE INDEX email_deliveries_by_report ON email_deliveries (tenant_id, report_id, id);
)sql";

// The LLM-tier rate limit's one-minute windows, shared by every node on the database.
constexpr const char* kV4 = R"sql(
CREATE TABLE rate_windows (
  key    TEXT NOT NULL,
  minute BIGINT NOT NULL,
  calls  BIGINT NOT NULL,
  PRIMARY KEY (key, minute)
);
CREATE INDEX rate_windows_by_minute ON rate_windows (minute);
-- Stored uncompressed out of line, so that a download reads a piece without the whole.
ALTER TABLE artifacts ALTER COLUMN bytes SET STORAGE EXTERNAL;
)sql";

constexpr const char* kV5 = R"sql(
ALTER TABLE jobs ADD COLUMN request_key TEXT;
CREATE INDEX jobs_by_request_key ON jobs (tenant_id, request_key) WHERE request_key IS NOT NULL;
)sql";

// Citations: the URLs a brand's reports cite (one row per tenant, brand and URL) and their
// occurrences (one row per citation, report and platform, with the report's region config and
// time), written with each report. Reports stored earlier are queued in citation_backfill; the
// brand module's start-up backfill (BackfillCitations) reads their JSON in C++, the one parser
// of report citations, mints the cit_ ids and empties the queue.
constexpr const char* kV6 = R"sql(
CREATE TABLE citations (
  id         TEXT COLLATE "C" PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  brand_id   TEXT NOT NULL,
  url        TEXT NOT NULL,
  domain     TEXT COLLATE "C" NOT NULL,
  title      TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, brand_id, url)
);
CREATE INDEX citations_by_brand ON citations (tenant_id, brand_id, id);
CREATE TABLE citation_uses (
  citation_id      TEXT COLLATE "C" NOT NULL,
  report_id        TEXT COLLATE "C" NOT NULL,
  platform         TEXT NOT NULL,
  tenant_id        TEXT NOT NULL,
  brand_id         TEXT NOT NULL,
  region_config_id TEXT,
  cited_at         BIGINT NOT NULL,
  times_cited      BIGINT NOT NULL CHECK (times_cited > 0),
  PRIMARY KEY (citation_id, report_id, platform)
);
CREATE INDEX citation_uses_by_report ON citation_uses (report_id);
CREATE INDEX citation_uses_by_brand ON citation_uses (tenant_id, brand_id, cited_at);
CREATE TABLE citation_backfill (report_id TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO citation_backfill (report_id) SELECT id FROM reports WHERE kind = 'brand';
)sql";

// Brand runs at the providers' pace: samples per prompt (scheduled reports; region configs may
// override), and the runs' checkpoints: one row per answer (job, region config, prompt, platform,
// sample), written as it arrives, so a run claimed again asks only what is missing. The rows
// stay with the run's reports (raw text, model, latency, tokens).
constexpr const char* kV7 = R"sql(
ALTER TABLE scheduled_reports ADD COLUMN samples_per_prompt BIGINT NOT NULL DEFAULT 1;
ALTER TABLE region_configs ADD COLUMN samples_per_prompt BIGINT;
CREATE TABLE brand_answers (
  job_id                  TEXT COLLATE "C" NOT NULL,
  region_config_id        TEXT COLLATE "C" NOT NULL,
  prompt_id               TEXT COLLATE "C" NOT NULL,
  platform                TEXT COLLATE "C" NOT NULL,
  sample                  BIGINT NOT NULL,
  tenant_id               TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('answered', 'failed')),
  retryable               BIGINT NOT NULL,
  error                   TEXT NOT NULL,
  model                   TEXT NOT NULL,
  answer                  TEXT NOT NULL,
  sources                 TEXT NOT NULL,
  latency_ms              BIGINT NOT NULL,
  prompt_tokens           BIGINT NOT NULL,
  completion_tokens       BIGINT NOT NULL,
  judgement               TEXT,
  judge_prompt_tokens     BIGINT NOT NULL DEFAULT 0,
  judge_completion_tokens BIGINT NOT NULL DEFAULT 0,
  created_at              BIGINT NOT NULL,
  PRIMARY KEY (job_id, region_config_id, prompt_id, platform, sample)
);
)sql";

// The migrations of report kinds' own tables (KindDatabase::ApplyMigrations), as SQLite's 13.
constexpr const char* kV8 = R"sql(
CREATE TABLE kind_migrations (
  track      TEXT NOT NULL,
  version    BIGINT NOT NULL,
  name       TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (track, version)
);
)sql";

// Tenants' branding (WhiteLabelStore), as SQLite's 14.
constexpr const char* kV9 = R"sql(
CREATE TABLE white_labels (
  tenant_id         TEXT COLLATE "C" PRIMARY KEY,
  name              TEXT,
  accent_color      TEXT,
  logo_content_type TEXT NOT NULL DEFAULT '',
  logo              BYTEA NOT NULL DEFAULT '',
  updated_at        BIGINT NOT NULL
);
)sql";

// A job enqueued by any node wakes the idle engines of all (LISTEN rapport_jobs): once per
// inserting statement, and PostgreSQL folds the notices of one transaction into one.
//
// The indexes the engine reads cover only the rows of their status (pending: due order;
// processing: lease expiry), so that finishing a job adds no entry to either and a claim none to
// the pending one: half the index writes of a job's two updates.
constexpr const char* kV10 = R"sql(
ALTER TABLE jobs ADD COLUMN lease_losses BIGINT NOT NULL DEFAULT 0;
DROP INDEX jobs_runnable;
CREATE INDEX jobs_runnable ON jobs (run_after, id) WHERE status = 'pending';
DROP INDEX jobs_by_lease;
CREATE INDEX jobs_by_lease ON jobs (lease_expires_at) WHERE status = 'processing';
CREATE FUNCTION rapport_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rapport_jobs', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
  FOR EACH STATEMENT EXECUTE FUNCTION rapport_jobs_notify();
)sql";

// A node's engine finds the jobs it holds by its lease (lease_owner, id), and the API a job by
// its tenant (the primary key): every job update writes one index entry fewer than with the
// separate jobs_by_tenant (its inserts, claims and finishes each wrote one; a job's updates are
// never HOT, as they change the indexed status). Lost leases are found by scanning the processing
// jobs, a few per worker.
constexpr const char* kV11 = R"sql(
ALTER TABLE jobs DROP CONSTRAINT jobs_pkey;
ALTER TABLE jobs ADD PRIMARY KEY (tenant_id, id);
DROP INDEX jobs_by_tenant;
DROP INDEX jobs_by_lease;
CREATE INDEX jobs_by_lease ON jobs (lease_owner, id) WHERE status = 'processing';
)sql";

// SLA maintenance windows (src/sla/maintenance_window_store.cpp); `definition` is JSON text.
constexpr const char* kV12 = R"sql(
CREATE TABLE maintenance_windows (
  id         TEXT COLLATE "C" PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX maintenance_windows_by_tenant ON maintenance_windows (tenant_id, id);
)sql";

// Slack and Teams delivery endpoints; the visibility drop threshold, as SQLite's 17.
constexpr const char* kV13 = R"sql(
ALTER TABLE webhook_endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'signed';
ALTER TABLE scheduled_reports ADD COLUMN visibility_drop_threshold BIGINT;
)sql";

// The audit log: one row per write request through the API or the console (issue 22).
constexpr const char* kV14 = R"sql(
CREATE TABLE audit_events (
  id          TEXT COLLATE "C" PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  method      TEXT NOT NULL,
  route       TEXT NOT NULL,
  path        TEXT NOT NULL,
  resource_id TEXT,
  outcome     TEXT NOT NULL,
  status      BIGINT,
  request_id  TEXT NOT NULL
);
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_by_age ON audit_events (occurred_at);
)sql";

// Retention of reports: a scheduled report's own retention, and each tenant's default.
constexpr const char* kV15 = R"sql(
ALTER TABLE scheduled_reports ADD COLUMN report_retention_days BIGINT;
CREATE TABLE tenant_settings (
  tenant_id             TEXT COLLATE "C" PRIMARY KEY,
  report_retention_days BIGINT,
  updated_at            BIGINT NOT NULL
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "SQLite functions, brands, sites, idempotency keys, jobs", kV1},
    Migration{2, "job attempts limit, cancellation flag, artifacts", kV2},
    Migration{3, "SLA data, brand visibility, reports, outbox, delivery logs", kV3},
    Migration{4, "rate-limit windows; artifacts stored for piecewise reads", kV4},
    Migration{5, "the request that created a job", kV5},
    Migration{6, "citations and their occurrences; backfill queue", kV6},
    Migration{7, "samples per prompt; brand run checkpoints", kV7},
    Migration{8, "migrations of report kinds' own tables", kV8},
    Migration{9, "tenants' branding (white-label)", kV9},
    Migration{10, "jobs lost by a dead worker apart from attempts; NOTIFY on enqueue", kV10},
    Migration{11, "jobs keyed by tenant; a node's held jobs indexed by lease owner", kV11},
    Migration{12, "SLA maintenance windows", kV12},
    Migration{13, "webhook endpoint formats (slack, teams); visibility drop threshold", kV13},
    Migration{14, "audit log", kV14},
    Migration{15, "report retention: scheduled reports' days, tenants' default", kV15},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

Result<std::vector<int>> Migrate(Connection& c, std::span<const Migration> migrations) {
  std::vector<int> applied;
  try {
    c.Query("SELECT pg_advisory_lock($1)", {P(kMigrationLock)});
    try {
      c.Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
          "description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      std::set<int> done;
      Rows rows = c.Query("SELECT version FROM schema_migrations");
      for (int i = 0; i < rows.size(); ++i) done.insert(static_cast<int>(rows.Int(i, 0)));
      for (const auto& m : migrations) {
        if (done.contains(m.version)) continue;
        Transaction txn(c);
        c.Exec(m.sql);
        c.Query("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
                {P(int64_t{m.version}), P(std::string(m.description))});
        txn.Commit();
        applied.push_back(m.version);
      }
    } catch (...) {
      c.Query("SELECT pg_advisory_unlock($1)", {P(kMigrationLock)});
      throw;
    }
    c.Query("SELECT pg_advisory_unlock($1)", {P(kMigrationLock)});
  } catch (const PgError& e) {
    return ToError(e);
  }
  return applied;
}

}  // namespace rapport::pg
