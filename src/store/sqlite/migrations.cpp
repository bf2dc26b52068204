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

constexpr std::array kMigrations = {
    Migration{1, "brands, sites, idempotency keys, jobs", kV1},
    Migration{2, "job attempts limit, cancellation flag, artifacts", kV2},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace rapport::sqlite
