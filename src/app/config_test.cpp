#include <rapport/app/config.hpp>

#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace rapport {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("rapport-config-" + std::to_string(getpid()) + ".toml");
    for (const auto& s : Settings()) unsetenv(s.env.c_str());
  }
  void TearDown() override {
    std::filesystem::remove(file_);
    for (const auto& s : Settings()) unsetenv(s.env.c_str());
  }
  Result<Config> Load(std::vector<std::string> args) {
    CLI::App app;
    ConfigLoader loader(app);
    args.insert(args.begin(), "rapportd");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return loader.Resolve();
  }
  std::filesystem::path file_;
};

TEST(ConfigUrlTest, DatabasePasswordsNeverReachTheLog) {
  Config c;
  c.database_url = "postgresql://rapport:s3cret@db.internal:5432/rapport";
  EXPECT_EQ(c.DatabaseUrlForLog(), "postgresql://rapport:***@db.internal:5432/rapport");
  c.database_url = "postgresql://db.internal/rapport?user=r&password=s3cret&sslmode=require";
  EXPECT_EQ(c.DatabaseUrlForLog(),
            "postgresql://db.internal/rapport?user=r&password=***&sslmode=require");
  c.database_url = "postgresql://rapport@db.internal/rapport";
  EXPECT_EQ(c.DatabaseUrlForLog(), c.database_url);
  c.database_url = "/var/lib/rapport/rapport.db";
  EXPECT_EQ(c.DatabaseUrlForLog(), c.database_url);
}

TEST_F(ConfigTest, DefaultsMatchTheDocumentation) {
  auto c = Load({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->DatabaseUrl(), "./data/rapport.db");
  EXPECT_EQ(c->max_body_bytes, 1024 * 1024);
  EXPECT_EQ(c->rate_limit_burst_per_min, 120);
  EXPECT_EQ(c->rate_limit_llm_per_min, 10);
}

TEST_F(ConfigTest, AuditRetentionDefaultsToAYearAndMustBeAtLeastADay) {
  EXPECT_EQ(Load({}).value().audit_retention_days, 365);
  std::ofstream(file_) << "[audit]\nretention_days = 90\n";
  EXPECT_EQ(Load({"--config", file_.string()}).value().audit_retention_days, 90);
  setenv("RAPPORT_AUDIT_RETENTION_DAYS", "30", 1);
  EXPECT_EQ(Load({"--config", file_.string()}).value().audit_retention_days, 30);
  EXPECT_EQ(Load({"--audit-retention-days", "7"}).value().audit_retention_days, 7);
  auto zero = Load({"--audit-retention-days", "0"});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message().find("audit.retention_days"), std::string::npos);
}

TEST_F(ConfigTest, FileThenEnvironmentThenFlags) {
  std::ofstream(file_) << "listen = \"0.0.0.0:1\"\ndata_dir = \"/f\"\n[rate_limit]\n"
                          "burst_per_min = 7\nllm_per_min = 3\n[log]\nrequests = false\n";
  setenv("RAPPORT_DATA_DIR", "/env", 1);
  setenv("RAPPORT_RATE_LIMIT_BURST_PER_MIN", "8", 1);
  auto c = Load({"--config", file_.string(), "--rate-limit-burst", "9"});
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->listen, "0.0.0.0:1");          // file
  EXPECT_EQ(c->data_dir, "/env");             // env over file
  EXPECT_EQ(c->rate_limit_burst_per_min, 9);  // flag over env
  EXPECT_EQ(c->rate_limit_llm_per_min, 3);    // file
  EXPECT_FALSE(c->log_requests);
}

TEST_F(ConfigTest, BadValuesNameTheirSource) {
  setenv("RAPPORT_MAX_BODY_BYTES", "lots", 1);
  auto c = Load({});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("RAPPORT_MAX_BODY_BYTES"), std::string::npos);
  unsetenv("RAPPORT_MAX_BODY_BYTES");
  std::ofstream(file_) << "listen = \n";
  auto bad_file = Load({"--config", file_.string()});
  ASSERT_FALSE(bad_file.ok());
  EXPECT_NE(bad_file.error().message().find("line 1"), std::string::npos);
  EXPECT_FALSE(Load({"--listen", "nocolon"}).ok());
  EXPECT_FALSE(Load({"--log-level", "loud"}).ok());
}

TEST_F(ConfigTest, SecretFileIsReadAndTrimmed) {
  std::ofstream(file_) << "s3cret\n";
  auto c = Load({"--auth-hs256-secret-file", file_.string()});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->Hs256Secret().value(), "s3cret");
}

// The [console] settings: sessions and the sign-in throttle, with their bounds.
TEST_F(ConfigTest, ConsoleSettingsHaveDefaultsAndBounds) {
  auto c = Load({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->console_session_idle_minutes, 30);
  EXPECT_EQ(c->console_session_absolute_hours, 12);
  EXPECT_EQ(c->console_login_max_failures_per_account, 5);
  EXPECT_EQ(c->console_login_max_failures_per_address, 20);
  EXPECT_EQ(c->console_login_window_minutes, 15);
  std::ofstream(file_) << "[console]\nsession_idle_minutes = 5\nlogin_window_minutes = 60\n";
  auto from_file = Load({"--config", file_.string()});
  ASSERT_TRUE(from_file.ok()) << from_file.error().message();
  EXPECT_EQ(from_file->console_session_idle_minutes, 5);
  EXPECT_EQ(from_file->console_login_window_minutes, 60);
  for (std::string bad :
       {"--console-session-idle-minutes=0", "--console-session-absolute-hours=721",
        "--console-login-max-failures-per-account=0", "--console-login-window-minutes=1441"}) {
    auto refused = Load({bad});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message().find("console."), std::string::npos)
        << refused.error().message();
  }
}

}  // namespace
}  // namespace rapport
