// Test support: a private PostgreSQL cluster (scripts/pg-cluster.sh) and a fresh database in it
// per caller. Under ctest one cluster serves every test process (the `pg` fixture starts it in
// RAPPORT_TEST_PG_DIR, <build>/pg-test); a test binary run by hand when that cluster is down
// starts its own for the process.
#pragma once

#include <string>

namespace rapport::pgtest {

// postgresql://… of the cluster's `postgres` database; empty when no cluster could start.
const std::string& PgClusterUrl();
// Creates an empty database and returns its postgresql:// URL; empty when there is no cluster.
std::string FreshPgDatabase();

}  // namespace rapport::pgtest
