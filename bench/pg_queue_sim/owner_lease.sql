-- `tenant_pk` (the primary key (tenant_id, id), no jobs_by_tenant) whose lease index is
-- (lease_owner, id) over processing jobs: a node finds its own jobs through it.
\ir tenant_pk.sql
DROP INDEX jobs_by_lease;
CREATE INDEX jobs_by_lease ON jobs (lease_owner, id) WHERE status = 'processing';
