-- `single` with the primary key (tenant_id, id) in place of id and jobs_by_tenant (PostgreSQL
-- migration 11), the jobs spread over 50 tenants.
\ir single.sql
UPDATE jobs SET tenant_id = 'ten_' || (run_after % 50);
ALTER TABLE jobs DROP CONSTRAINT jobs_pkey;
ALTER TABLE jobs ADD PRIMARY KEY (tenant_id, id);
DROP INDEX jobs_by_tenant;
VACUUM FULL jobs;
ANALYZE jobs;
