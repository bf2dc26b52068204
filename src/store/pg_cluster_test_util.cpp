#include "pg_cluster_test_util.hpp"

#include <rapport/core/ids.hpp>

#include <libpq-fe.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace rapport::pgtest {
namespace {

std::string Shell(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[512];
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string Script() { return std::string(RAPPORT_SOURCE_DIR) + "/scripts/pg-cluster.sh"; }

// The cluster this process started itself, stopped and removed at exit.
struct OwnCluster {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("rapport-pg-" + NewUuidV4());
  std::string url = Shell("bash " + Script() + " start " + dir.string());
  ~OwnCluster() {
    Shell("bash " + Script() + " stop " + dir.string());
    std::filesystem::remove_all(dir);
  }
};

std::string ReadUrl(const std::filesystem::path& dir) {
  std::ifstream in(dir / "url");
  std::string url;
  std::getline(in, url);
  return url;
}

bool Answers(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  PQfinish(c);
  return ok;
}

}  // namespace

const std::string& PgClusterUrl() {
  static const std::string url = [] {
    // The cluster ctest's `pg` fixture started for this build, when it is up.
    std::string shared = ReadUrl(RAPPORT_TEST_PG_DIR);
    if (!shared.empty() && Answers(shared)) return shared;
    static OwnCluster own;
    return own.url;
  }();
  return url;
}

std::string FreshPgDatabase() {
  const std::string& base = PgClusterUrl();
  if (base.empty()) return "";
  std::string name = "t_" + NewUuidV4().substr(0, 8);
  PGconn* admin = PQconnectdb(base.c_str());
  PGresult* r = PQexec(admin, ("CREATE DATABASE " + name).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQfinish(admin);
  if (!ok) return "";
  return base.substr(0, base.rfind('/') + 1) + name;
}

}  // namespace rapport::pgtest
