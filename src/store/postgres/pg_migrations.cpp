#include "pg_migrations.hpp"

#include <array>
#include <set>

namespace rapport::pg {
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
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX brands_by_tenant ON brands (tenant_id, id);

CREATE TABLE sites (
  id         TEXT PRIMARY KEY,
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
  id               TEXT PRIMARY KEY,
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
CREATE INDEX jobs_runnable ON jobs (status, run_after);
)sql";

constexpr const char* kV2 = R"sql(
ALTER TABLE jobs ADD COLUMN max_attempts BIGINT NOT NULL DEFAULT 5;
ALTER TABLE jobs ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
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

constexpr std::array kMigrations = {
    Migration{1, "brands, sites, idempotency keys, jobs", kV1},
    Migration{2, "job attempts limit, cancellation flag, artifacts", kV2},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

Result<std::vector<int>> Migrate(Connection& c, std::span<const Migration> migrations) {
  std::vector<int> applied;
  try {
    c.Exec("SELECT pg_advisory_lock($1)", {P(kMigrationLock)});
    try {
      c.Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
          "description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      std::set<int> done;
      Rows rows = c.Exec("SELECT version FROM schema_migrations");
      for (int i = 0; i < rows.size(); ++i) done.insert(static_cast<int>(rows.Int(i, 0)));
      for (const auto& m : migrations) {
        if (done.contains(m.version)) continue;
        Transaction txn(c);
        c.Script(m.sql);
        c.Exec("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
               {P(int64_t{m.version}), P(std::string(m.description))});
        txn.Commit();
        applied.push_back(m.version);
      }
    } catch (...) {
      c.Exec("SELECT pg_advisory_unlock($1)", {P(kMigrationLock)});
      throw;
    }
    c.Exec("SELECT pg_advisory_unlock($1)", {P(kMigrationLock)});
  } catch (const PgError& e) {
    return ToError(e);
  }
  return applied;
}

}  // namespace rapport::pg
