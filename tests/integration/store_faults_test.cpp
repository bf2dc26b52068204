// What a caller sees when the store fails: 503 with retry_after while the database is locked
// (and recovery without a restart), 500 with a request id when stored data is unreadable. On
// either backend: SQLite's busy timeout and PostgreSQL's lock_timeout both come from
// database.busy_timeout_ms.
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>

#include <thread>

namespace rapport::testing {
namespace {

// A second connection to the server's database (SQLite or PostgreSQL) that can hold the write
// lock the server's writes then wait for.
class Db {
 public:
  explicit Db(const std::string& url) : url_(url) {
    if (url.starts_with("postgresql://")) {
      pg_ = PQconnectdb(url.c_str());
      EXPECT_EQ(PQstatus(pg_), CONNECTION_OK) << PQerrorMessage(pg_);
    } else {
      EXPECT_EQ(sqlite3_open(url.c_str(), &db_), SQLITE_OK);
      sqlite3_busy_timeout(db_, 5000);
    }
  }
  ~Db() {
    if (pg_ != nullptr) PQfinish(pg_);
    if (db_ != nullptr) sqlite3_close(db_);
  }
  void Exec(const std::string& sql) {
    if (pg_ != nullptr) {
      PGresult* r = PQexec(pg_, sql.c_str());
      EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
      PQclear(r);
      return;
    }
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
  }
  // Blocks every write of the server, not its reads, until Release().
  void HoldWriteLock() {
    if (pg_ != nullptr) {
      Exec("BEGIN");
      Exec("LOCK TABLE idempotency_keys, brands, sites IN EXCLUSIVE MODE");
    } else {
      Exec("BEGIN EXCLUSIVE");
    }
  }
  void Release() { Exec("ROLLBACK"); }

 private:
  std::string url_;
  sqlite3* db_ = nullptr;
  PGconn* pg_ = nullptr;
};

TEST(StoreFaultsTest, LockedDatabaseIs503WithRetryAfterAndRecovers) {
  ServerProcess server(std::map<std::string, std::string>{{"RAPPORT_DB_BUSY_TIMEOUT_MS", "200"}});
  server.Start();
  Api api(server, Token("t1"));
  const std::string brand = R"({"name":"Acme","website":"https://acme.example"})";
  {
    Db db(server.database_url());
    db.HoldWriteLock();  // another process holds the write lock
    auto v1 = api.Send("POST", "/v1/brands", brand, {"Idempotency-Key: locked-1"});
    EXPECT_EQ(v1.status, 503);
    auto body = Json(v1);
    EXPECT_EQ(body.at("error").at("code").as_string(), "service_unavailable");
    EXPECT_EQ(body.at("error").at("details").at("retry_after").as_int64(), 1);
    EXPECT_EQ(v1.Header("retry-after"), "1");
    auto sla = api.Send("POST", "/sites", R"({"name":"HQ","timezone":"UTC"})");
    EXPECT_EQ(sla.status, 503);
    EXPECT_EQ(Json(sla).at("code").as_string(), "service_unavailable");
    EXPECT_EQ(api.Get("/v1/brands").status, 200);  // readers are not blocked
    db.Release();
  }
  // Same key again: the failed attempt was not recorded, so it runs now.
  auto retried = api.Send("POST", "/v1/brands", brand, {"Idempotency-Key: locked-1"});
  EXPECT_EQ(retried.status, 201);
  EXPECT_FALSE(retried.Header("idempotent-replayed"));
  EXPECT_EQ(Json(api.Get("/v1/brands")).at("data").as_array().size(), 1u);
}

TEST(ShutdownTest, SigtermFinishesTheRequestInFlightThenExitsZero) {
  ServerProcess server(std::map<std::string, std::string>{{"RAPPORT_DB_BUSY_TIMEOUT_MS", "5000"}});
  server.Start();
  Api api(server, Token("t1"));
  ASSERT_EQ(api.Get("/healthz").status, 200);
  Db db(server.database_url());
  db.HoldWriteLock();  // the next write waits on this lock
  std::thread writer([&] {
    Api own(server, Token("t1"));
    auto r = own.Send("POST", "/sites", R"({"name":"in flight","timezone":"UTC"})");
    EXPECT_EQ(r.status, 201) << r.body;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(server.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  db.Release();  // the write can proceed; the draining server must still answer it
  writer.join();
  EXPECT_EQ(server.Stop(), 0);
}

TEST(StoreFaultsTest, UnreadableRowIs500WithRequestIdNotACrash) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  auto created = api.Post("/v1/brands", R"({"name":"Acme","website":"https://acme.example"})");
  std::string id(Json(created).at("id").as_string());
  {
    Db db(server.database_url());
    db.Exec("UPDATE brands SET aliases = 'not json' WHERE id = '" + id + "'");
  }
  auto r = api.Get("/v1/brands/" + id);
  EXPECT_EQ(r.status, 500);
  auto body = Json(r);
  EXPECT_EQ(body.at("error").at("code").as_string(), "internal_error");
  EXPECT_EQ(body.at("error").at("message").as_string(), "An unexpected error occurred");
  EXPECT_EQ(body.at("request_id").as_string(), *r.Header("x-correlation-id"));
  EXPECT_EQ(api.Get("/healthz").status, 200);  // still serving
}

TEST(CliTest, MintedTokenIsAcceptedAndScoped) {
  ServerProcess server;
  server.Start();
  std::string cmd = std::string("RAPPORT_AUTH_HS256_SECRET=") + kSecret + " " + RAPPORT_CLI_PATH +
                    " token mint --tenant cli-tenant --scope read:sla --ttl 5m";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[2048] = {0};
  size_t n = fread(buf, 1, sizeof(buf) - 1, p);
  ASSERT_EQ(pclose(p), 0);
  std::string token(buf, n);
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(token.back(), '\n');
  token.pop_back();
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  Api api(server, token);
  EXPECT_EQ(api.Get("/sites").status, 200);
  EXPECT_EQ(api.Get("/v1/brands").status, 403);
}

TEST(CliTest, MintWithoutSecretFailsWithUsageExitCode) {
  std::string cmd =
      std::string("env -u RAPPORT_AUTH_HS256_SECRET -u RAPPORT_AUTH_HS256_SECRET_FILE ") +
      RAPPORT_CLI_PATH + " token mint --tenant t 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[512] = {0};
  size_t n = fread(buf, 1, sizeof(buf) - 1, p);
  int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(std::string(buf, n).find("HS256"), std::string::npos);
}

}  // namespace
}  // namespace rapport::testing
