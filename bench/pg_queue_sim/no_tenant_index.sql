-- `single` without jobs_by_tenant.
\ir single.sql
DROP INDEX jobs_by_tenant;
