-- `single` with the primary key (tenant_id, id) in place of id and jobs_by_tenant (PostgreSQL
-- migration 11), the jobs spread over 50 tenants.
SET client_min_messages = warning;
DROP TABLE IF EXISTS jobs, job_queue;
CREATE TABLE jobs (
  id TEXT NOT NULL, tenant_id TEXT NOT NULL, kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}', status TEXT NOT NULL, step TEXT, message TEXT,
  completed BIGINT NOT NULL DEFAULT 0, total BIGINT NOT NULL DEFAULT 0, result TEXT,
  attempts BIGINT NOT NULL DEFAULT 0, lease_owner TEXT, lease_expires_at BIGINT,
  run_after BIGINT NOT NULL, created_at BIGINT NOT NULL, started_at BIGINT,
  updated_at BIGINT NOT NULL, finished_at BIGINT, max_attempts BIGINT NOT NULL DEFAULT 5,
  cancel_requested INTEGER NOT NULL DEFAULT 0, request_key TEXT,
  lease_losses BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, id));
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_by_request_key ON jobs (tenant_id, request_key) WHERE request_key IS NOT NULL;
CREATE INDEX jobs_runnable ON jobs (run_after, id) WHERE status = 'pending';
CREATE INDEX jobs_by_lease ON jobs (lease_expires_at) WHERE status = 'processing';
INSERT INTO jobs (id, tenant_id, kind, status, run_after, created_at, updated_at)
SELECT 'job_' || lpad(to_hex(g), 12, '0') || left(md5(g::text), 12), 'ten_' || (g % 50), 'noop',
       'pending', 1000 + g, 1000 + g, 1000 + g
FROM generate_series(1, 200000) AS g;
VACUUM ANALYZE jobs;
