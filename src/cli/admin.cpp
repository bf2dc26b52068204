#include "admin.hpp"

#include "cli.hpp"
#include "output.hpp"

#include <rapport/app/config.hpp>
#include <rapport/client/http_client.hpp>
#include <rapport/store/sqlite_backup.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace rapport::cli {
namespace {

struct AdminOptions {
  std::string config_file;
  std::string database;  // overrides the config's
  std::string file;      // the backup
};

// The SQLite database the options name, or an error message for the user.
std::optional<std::string> SqliteDatabase(const AdminOptions& o, std::string& data_dir,
                                          std::string& problem) {
  auto config = LoadConfig(o.config_file);
  if (!config.ok()) {
    problem = config.error().message();
    return std::nullopt;
  }
  data_dir = config->data_dir;
  std::string url = o.database.empty() ? config->DatabaseUrl() : o.database;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    problem = "admin backup/restore copy SQLite databases; for PostgreSQL use pg_dump/pg_restore";
    return std::nullopt;
  }
  return url;
}

// The address of a rapportd that answers from `data_dir` (its rapportd.addr), or "".
std::string RunningServer(const std::string& data_dir) {
  std::ifstream in(std::filesystem::path(data_dir) / "rapportd.addr");
  std::string address;
  if (!std::getline(in, address) || address.empty()) return "";
  client::HttpClient probe("http://" + address, 2000);
  auto health = probe.Send("GET", "/healthz");
  return health.ok() ? address : "";
}

// Prints how a copy went ("backup failed: …" or "backed up A to B: …"); returns the exit code.
int Report(const char* action, const char* done, const Result<SqliteCopyInfo>& info,
           const std::string& from, const std::string& to) {
  if (!info.ok()) {
    std::cerr << "rapport: " << action << " failed: " << info.error().message() << "\n";
    return info.error().code() == ErrorCode::kValidation ? kExitUsage : kExitApiError;
  }
  std::cout << done << " " << from << " to " << to << ": " << info->bytes
            << " bytes, schema version " << info->schema_version << "\n";
  return kExitOk;
}

int Backup(const AdminOptions& o) {
  std::string data_dir, problem;
  auto db = SqliteDatabase(o, data_dir, problem);
  if (!db) {
    std::cerr << "rapport: " << problem << "\n";
    return kExitUsage;
  }
  return Report("backup", "backed up", BackupSqliteDatabase(*db, o.file), *db, o.file);
}

int Restore(const AdminOptions& o) {
  std::string data_dir, problem;
  auto db = SqliteDatabase(o, data_dir, problem);
  if (!db) {
    std::cerr << "rapport: " << problem << "\n";
    return kExitUsage;
  }
  if (std::string address = RunningServer(data_dir); !address.empty()) {
    std::cerr << "rapport: rapportd is running on this data dir (" << address
              << "); stop it before restoring, then start it again\n";
    return kExitUsage;
  }
  return Report("restore", "restored", RestoreSqliteDatabase(o.file, *db), o.file, *db);
}

void AddDatabaseOptions(CLI::App* cmd, AdminOptions& o) {
  cmd->add_option("--config", o.config_file, "rapportd's TOML config (its data_dir, database_url)");
  cmd->add_option("--database", o.database,
                  "SQLite database (default: the config's, else $RAPPORT_DATA_DIR/rapport.db)");
}

}  // namespace

void AddAdminCommands(CLI::App& app, Session& session) {
  auto* admin = app.add_subcommand("admin", "Operate on rapportd's SQLite database directly")
                    ->require_subcommand(1);
  static AdminOptions backup;
  auto* backup_cmd = admin->add_subcommand(
      "backup",
      "Copy the database while rapportd runs (one consistent snapshot, SQLite's backup API)");
  AddDatabaseOptions(backup_cmd, backup);
  backup_cmd
      ->add_option("--output,-o", backup.file, "The backup file to create (never overwritten)")
      ->required();
  backup_cmd->callback([&] { session.exit_code = Backup(backup); });

  static AdminOptions restore;
  auto* restore_cmd = admin->add_subcommand(
      "restore", "Replace the database with a backup (rapportd must be stopped)");
  AddDatabaseOptions(restore_cmd, restore);
  restore_cmd->add_option("--input,-i", restore.file, "The backup file")->required();
  restore_cmd->callback([&] { session.exit_code = Restore(restore); });
}

}  // namespace rapport::cli
