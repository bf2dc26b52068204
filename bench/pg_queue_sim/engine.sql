-- The jobs table as PostgreSQL migration 10 leaves it, for the engine's own statement.
\ir single.sql
