// `rapport admin backup` while rapportd serves writes, and `rapport admin restore` after it is
// stopped: what the backup held comes back, what changed after it is gone. SQLite only (the
// pg. variant skips: PostgreSQL is backed up with pg_dump, as the command says).
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

namespace rapport::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Admin(const ServerProcess& server, const std::string& args) {
  return RunCommand("RAPPORT_DATA_DIR=" + server.data_dir().string() + " " + RAPPORT_CLI_PATH +
                    " admin " + args);
}

TEST(CliAdminTest, BackupWhileServingThenRestoreAfterStopBringsTheSnapshotBack) {
  if (UsingPostgres()) GTEST_SKIP() << "admin backup/restore copy SQLite databases";
  ServerProcess server(
      std::map<std::string, std::string>{{"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}});
  server.Start();
  Api api(server, Token("t1"));
  auto kept = api.Send("POST", "/sites", R"({"name":"Kept","timezone":"UTC"})");
  ASSERT_EQ(kept.status, 201);
  std::string kept_id(Json(kept).at("id").as_string());

  // Writes go on during the backup.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    Api w(server, Token("t1"));
    for (int i = 0; !stop; ++i) {
      w.Send("POST", "/sites", R"({"name":"w)" + std::to_string(i) + R"(","timezone":"UTC"})");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  fs::path file = server.data_dir() / "backup.db";
  CommandResult backup = Admin(server, "backup -o " + file.string());
  stop = true;
  writer.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.out.find("backed up"), std::string::npos) << backup.out;
  std::string in_backup = Sql(file.string(), "SELECT COUNT(*) FROM sites");
  EXPECT_EQ(Sql(file.string(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Admin(server, "backup -o " + file.string()).exit_code, 2);  // never overwrites

  // After the backup: the kept site is deleted and another one added.
  EXPECT_EQ(api.Send("DELETE", "/sites/" + kept_id).status, 204);
  ASSERT_EQ(api.Send("POST", "/sites", R"({"name":"Later","timezone":"UTC"})").status, 201);

  CommandResult refused = Admin(server, "restore -i " + file.string());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("rapportd is running"), std::string::npos) << refused.err;

  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ(Admin(server, "restore -i " + file.string() + ".missing").exit_code, 2);
  CommandResult restored = Admin(server, "restore -i " + file.string());
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  server.Start();
  Api again(server, Token("t1"));
  EXPECT_EQ(again.Get("/sites/" + kept_id).status, 200);
  EXPECT_EQ(Sql(server.database_url(), "SELECT COUNT(*) FROM sites"), in_backup);
  EXPECT_EQ(Sql(server.database_url(), "SELECT COUNT(*) FROM sites WHERE name = 'Later'"), "0");
}

TEST(CliAdminTest, PostgresqlIsPointedToPgDump) {
  ServerProcess server;
  CommandResult r = Admin(server, "backup --database postgresql://u@localhost/db -o /tmp/x.db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pg_dump"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rapport::testing
