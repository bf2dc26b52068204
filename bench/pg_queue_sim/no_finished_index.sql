-- `single` without jobs_finished.
\ir single.sql
DROP INDEX jobs_finished;
