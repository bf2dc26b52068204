// rapportd's settings. Precedence: built-in defaults < TOML file (--config) < environment
// (RAPPORT_*) < command-line flags. Every setting has all three spellings; see Settings().
#pragma once

#include <rapport/core/result.hpp>

#include <string>
#include <variant>
#include <vector>

namespace CLI {
class App;
}

namespace rapport {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string database_url;  // empty: <data_dir>/rapport.db
  int64_t db_busy_timeout_ms = 5000;
  int64_t workers = 0;       // job workers; 0: one per core
  int64_t http_threads = 0;  // request handler threads for reads; 0: one per core
  int64_t job_lease_seconds = 30;
  int64_t job_max_attempts = 5;
  int64_t job_poison_limit = 10;       // lost leases before a job fails 'worker_lost'
  int64_t job_lost_backoff_ms = 1000;  // first delay before a lost job runs again (doubles)
  int64_t job_retention_days = 7;
  int64_t metrics_storage_ttl_seconds = 30;  // /metrics' per-tenant storage gauges cached this long
  int64_t audit_retention_days = 365;        // audit rows older than this are purged (at least 1)
  int64_t idempotency_in_flight_seconds = 60;
  int64_t job_queue_per_tenant = 100;  // unfinished jobs; past them a run request gets 503
  int64_t job_queue_total = 1000;
  std::string alertmanager_site_label = "site";
  std::string grafana_site_label = "site";
  std::string zabbix_site_tag = "site";
  // Where an Uptime Kuma monitor names its site: "name" or "tag:<monitor tag name>".
  std::string uptime_kuma_site_field = "name";
  int64_t job_step_delay_ms = 0;  // fault injection for crash tests; 0 in production
  std::string llm_base_url;       // default provider for every unmapped platform
  std::string llm_api_key;        // its key (never logged)
  std::string llm_platforms;      // "platform=base_url|model|API_KEY_ENV;…"
  int64_t llm_timeout_ms = 60'000;
  int64_t llm_max_retries = 3;
  int64_t llm_backoff_base_ms = 500;
  int64_t llm_max_calls_per_run = 2000;
  std::string llm_judge_platform = "chatgpt";
  int64_t llm_concurrency = 8;               // calls in flight per provider endpoint
  int64_t llm_max_in_flight = 64;            // per process
  int64_t llm_requests_per_minute = 0;       // per endpoint; 0: no budget
  int64_t llm_tokens_per_minute = 0;         // per endpoint; 0: no budget
  std::string llm_max_failed_share = "20%";  // "0.2" or "20%"
  int64_t llm_max_tokens_per_run = 0;        // 0: no limit
  std::string llm_prices;                    // "model=input|output;…" per million tokens
  bool webhooks_allow_private = false;       // let webhooks reach loopback/private addresses
  int64_t webhooks_timeout_ms = 10'000;
  int64_t webhooks_max_attempts = 15;
  int64_t webhooks_retry_base_ms = 30'000;
  int64_t webhooks_retry_max_ms = 4 * 3'600'000;
  std::string smtp_url;  // empty: reports are not e-mailed
  std::string smtp_username;
  std::string smtp_password;  // never logged
  std::string smtp_from = "Rapport <rapport@localhost>";
  bool smtp_require_tls = true;
  int64_t smtp_timeout_ms = 30'000;
  int64_t smtp_max_attempts = 10;
  int64_t smtp_retry_base_ms = 60'000;
  int64_t scheduler_interval_ms = 1000;   // how often due schedules are looked for
  int64_t scheduler_grace_seconds = 600;  // a period due longer ago than this was missed
  std::string public_url;                 // empty: http://<listen>
  int64_t max_body_bytes = 1024 * 1024;
  int64_t max_bulk_body_bytes = 16 * 1024 * 1024;
  int64_t max_header_bytes = 16 * 1024;
  int64_t max_json_depth = 32;
  int64_t read_timeout_seconds = 30;
  int64_t idle_timeout_seconds = 60;
  std::string auth_hs256_secret;
  std::string auth_hs256_secret_file;
  std::string auth_public_key_files;  // comma-separated PEM files (RS256/ES256)
  std::string auth_issuer;
  std::string auth_audience;
  int64_t rate_limit_burst_per_min = 120;
  int64_t rate_limit_llm_per_min = 10;
  int64_t console_session_idle_minutes = 30;            // a console session unused this long ends
  int64_t console_session_absolute_hours = 12;          // and any session this long after sign-in
  int64_t console_login_max_failures_per_account = 5;   // in the window, then 429
  int64_t console_login_max_failures_per_address = 20;  // in the window, then 429
  int64_t console_login_window_minutes = 15;
  std::string log_level = "info";
  bool log_requests = true;

  // The effective database URL and HS256 secret (reading the secret file if set).
  std::string DatabaseUrl() const;
  // DatabaseUrl() fit for a log line: a password in it (user:PASSWORD@ or password=…) is ***.
  std::string DatabaseUrlForLog() const;
  Result<std::string> Hs256Secret() const;
  Result<std::vector<std::string>> PublicKeys() const;
};

// One setting: its TOML key ("http.max_body_bytes"), env var, flag and help.
struct Setting {
  std::string toml_key;
  std::string env;
  std::string flag;
  std::string help;
  std::variant<std::string Config::*, int64_t Config::*, bool Config::*> field;
};

const std::vector<Setting>& Settings();

// Defaults, then `toml_file` (when not empty), then the environment; validated.
Result<Config> LoadConfig(const std::string& toml_file);

// Registers every setting as a flag (plus --config) on `app`; call Resolve after app.parse().
class ConfigLoader {
 public:
  explicit ConfigLoader(CLI::App& app);
  // Applies file, environment and flags over defaults; kValidation naming the bad setting.
  Result<Config> Resolve() const;

 private:
  CLI::App& app_;
  std::string config_file_;
  std::vector<std::string> flag_values_;
};

}  // namespace rapport
