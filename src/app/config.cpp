#include <rapport/app/config.hpp>
#include <rapport/brand/llm_client.hpp>

#include <toml++/toml.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rapport {
namespace {

Error Invalid(const std::string& source, const std::string& what) {
  return Error(ErrorCode::kValidation, source + ": " + what);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kValidation, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Sets `setting` of `config` from its text form.
Status Assign(Config& config, const Setting& setting, const std::string& text,
              const std::string& source) {
  return std::visit(
      [&](auto member) -> Status {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          config.*member = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "1" || text == "true" || text == "yes" || text == "on") {
            config.*member = true;
          } else if (text == "0" || text == "false" || text == "no" || text == "off") {
            config.*member = false;
          } else {
            return Invalid(source, "expected true or false, got '" + text + "'");
          }
        } else {
          int64_t n = 0;
          auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
          if (ec != std::errc() || ptr != text.data() + text.size() || n < 0) {
            return Invalid(source, "expected a non-negative integer, got '" + text + "'");
          }
          config.*member = n;
        }
        return Ok{};
      },
      setting.field);
}

Status ApplyToml(Config& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << e.description() << " at line " << e.source().begin.line;
    return Invalid(path, msg.str());
  }
  for (const auto& setting : Settings()) {
    auto node = table.at_path(setting.toml_key);
    if (!node) continue;
    std::string text;
    if (auto s = node.value<std::string>()) {
      text = *s;
    } else if (auto i = node.value<int64_t>()) {
      text = std::to_string(*i);
    } else if (auto b = node.value<bool>()) {
      text = *b ? "true" : "false";
    } else if (auto arr = node.as_array()) {
      for (const auto& item : *arr) {
        if (!item.is_string()) return Invalid(path, setting.toml_key + " must list strings");
        text += (text.empty() ? "" : ",") + *item.value<std::string>();
      }
    } else {
      return Invalid(path, setting.toml_key + " has an unsupported type");
    }
    RAPPORT_CHECK(Assign(config, setting, text, path + ": " + setting.toml_key));
  }
  return Ok{};
}

// The llm.* settings (brand runs' answer engines).
Status ValidateLlm(const Config& c) {
  if (c.llm_timeout_ms < 100) return Invalid("llm.timeout_ms", "must be at least 100");
  if (c.llm_max_retries < 0 || c.llm_max_retries > 10) {
    return Invalid("llm.max_retries", "must be between 0 and 10");
  }
  if (c.llm_max_calls_per_run < 1) return Invalid("llm.max_calls_per_run", "must be at least 1");
  if (c.llm_concurrency < 1 || c.llm_concurrency > 256) {
    return Invalid("llm.concurrency", "must be between 1 and 256");
  }
  if (c.llm_max_in_flight < 1 || c.llm_max_in_flight > 4096) {
    return Invalid("llm.max_in_flight", "must be between 1 and 4096");
  }
  if (auto share = ParseShare(c.llm_max_failed_share); !share.ok()) {
    return Invalid("llm.max_failed_share", share.error().message());
  }
  if (auto prices = ParseLlmPrices(c.llm_prices); !prices.ok()) {
    return Invalid("llm.prices", prices.error().message());
  }
  return Ok{};
}

// The console.* settings (sign-in sessions and their throttle).
Status ValidateConsole(const Config& c) {
  if (c.console_session_idle_minutes < 1 || c.console_session_idle_minutes > 1440) {
    return Invalid("console.session_idle_minutes", "must be between 1 and 1440");
  }
  if (c.console_session_absolute_hours < 1 || c.console_session_absolute_hours > 720) {
    return Invalid("console.session_absolute_hours", "must be between 1 and 720");
  }
  if (c.console_login_max_failures_per_account < 1 ||
      c.console_login_max_failures_per_account > 1000) {
    return Invalid("console.login_max_failures_per_account", "must be between 1 and 1000");
  }
  if (c.console_login_max_failures_per_address < 1 ||
      c.console_login_max_failures_per_address > 1000) {
    return Invalid("console.login_max_failures_per_address", "must be between 1 and 1000");
  }
  if (c.console_login_window_minutes < 1 || c.console_login_window_minutes > 1440) {
    return Invalid("console.login_window_minutes", "must be between 1 and 1440");
  }
  return Ok{};
}

Status Validate(const Config& c) {
  if (c.listen.rfind(':') == std::string::npos) {
    return Invalid("listen", "expected HOST:PORT, got '" + c.listen + "'");
  }
  if (c.job_lease_seconds < 1) return Invalid("jobs.lease_seconds", "must be at least 1");
  if (c.job_max_attempts < 1) return Invalid("jobs.max_attempts", "must be at least 1");
  if (c.job_poison_limit < 1) return Invalid("jobs.poison_limit", "must be at least 1");
  if (c.audit_retention_days < 1) return Invalid("audit.retention_days", "must be at least 1");
  if (c.job_lost_backoff_ms < 0) return Invalid("jobs.lost_backoff_ms", "must not be negative");
  if (c.job_queue_per_tenant < 1 || c.job_queue_total < 1) {
    return Invalid("jobs.queue_per_tenant/queue_total", "must be at least 1");
  }
  RAPPORT_CHECK(ValidateLlm(c));
  RAPPORT_CHECK(ValidateConsole(c));
  if (c.scheduler_interval_ms < 10) return Invalid("scheduler.interval_ms", "must be at least 10");
  if (c.webhooks_timeout_ms < 100) return Invalid("webhooks.timeout_ms", "must be at least 100");
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 &&
      c.smtp_url.rfind("smtps://", 0) != 0) {
    return Invalid("smtp.url", "must start with smtp:// or smtps://");
  }
  if (c.smtp_max_attempts < 1 || c.smtp_max_attempts > 100) {
    return Invalid("smtp.max_attempts", "must be between 1 and 100");
  }
  if (c.smtp_retry_base_ms < 10) return Invalid("smtp.retry_base_ms", "must be at least 10");
  if (c.smtp_timeout_ms < 100) return Invalid("smtp.timeout_ms", "must be at least 100");
  if (c.webhooks_max_attempts < 1 || c.webhooks_max_attempts > 100) {
    return Invalid("webhooks.max_attempts", "must be between 1 and 100");
  }
  if (c.webhooks_retry_base_ms < 10) {
    return Invalid("webhooks.retry_base_ms", "must be at least 10");
  }
  if (c.webhooks_retry_max_ms < c.webhooks_retry_base_ms) {
    return Invalid("webhooks.retry_max_ms", "must be at least webhooks.retry_base_ms");
  }
  if (c.scheduler_grace_seconds < 0) {
    return Invalid("scheduler.grace_seconds", "must not be negative");
  }
  if (c.alertmanager_site_label.empty()) {
    return Invalid("integrations.alertmanager_site_label", "must not be empty");
  }
  if (c.grafana_site_label.empty()) {
    return Invalid("integrations.grafana_site_label", "must not be empty");
  }
  if (c.zabbix_site_tag.empty())
    return Invalid("integrations.zabbix_site_tag", "must not be empty");
  if (c.uptime_kuma_site_field != "name" &&
      !(c.uptime_kuma_site_field.starts_with("tag:") && c.uptime_kuma_site_field.size() > 4)) {
    return Invalid("integrations.uptime_kuma_site_field", "must be \"name\" or \"tag:<tag name>\"");
  }
  if (c.max_body_bytes < 1024) return Invalid("http.max_body_bytes", "must be at least 1024");
  if (c.max_bulk_body_bytes < c.max_body_bytes) {
    return Invalid("http.max_bulk_body_bytes", "must be at least http.max_body_bytes");
  }
  if (c.max_header_bytes < 1024) return Invalid("http.max_header_bytes", "must be at least 1024");
  if (c.max_json_depth < 2 || c.max_json_depth > 256) {
    return Invalid("http.max_json_depth", "must be between 2 and 256");
  }
  if (c.idempotency_in_flight_seconds < 1) {
    return Invalid("idempotency.in_flight_seconds", "must be at least 1");
  }
  if (c.read_timeout_seconds < 1 || c.idle_timeout_seconds < 1) {
    return Invalid("http timeouts", "must be at least 1 second");
  }
  const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end()) {
    return Invalid("log.level", "expected one of trace, debug, info, warn, error, off");
  }
  return Ok{};
}

}  // namespace

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"listen", "RAPPORT_LISTEN", "--listen", "HOST:PORT to serve HTTP on (port 0: any free port)",
       &Config::listen},
      {"data_dir", "RAPPORT_DATA_DIR", "--data-dir",
       "Directory for the SQLite database and report artifacts", &Config::data_dir},
      {"database_url", "RAPPORT_DATABASE_URL", "--database-url",
       "Database: a SQLite path, sqlite:///path, or postgresql://user@host:port/db (default "
       "<data-dir>/rapport.db)",
       &Config::database_url},
      {"database.busy_timeout_ms", "RAPPORT_DB_BUSY_TIMEOUT_MS", "--db-busy-timeout-ms",
       "How long a write waits for a locked database before answering 503",
       &Config::db_busy_timeout_ms},
      {"workers", "RAPPORT_WORKERS", "--workers", "Job worker threads (default: one per core)",
       &Config::workers},
      {"jobs.lease_seconds", "RAPPORT_JOB_LEASE_SECONDS", "--job-lease-seconds",
       "A job whose worker is silent this long is claimed again", &Config::job_lease_seconds},
      {"jobs.max_attempts", "RAPPORT_JOB_MAX_ATTEMPTS", "--job-max-attempts",
       "Attempts before a job with transient errors fails", &Config::job_max_attempts},
      {"jobs.retention_days", "RAPPORT_JOB_RETENTION_DAYS", "--job-retention-days",
       "Days a finished job stays readable", &Config::job_retention_days},
      {"metrics.storage_ttl_seconds", "RAPPORT_METRICS_STORAGE_TTL_SECONDS",
       "--metrics-storage-ttl-seconds",
       "Seconds /metrics keeps the stored reports and artifact bytes per tenant before reading "
       "them again (0: every scrape)",
       &Config::metrics_storage_ttl_seconds},
      {"audit.retention_days", "RAPPORT_AUDIT_RETENTION_DAYS", "--audit-retention-days",
       "Days an audit event (GET /audit-events) is kept", &Config::audit_retention_days},
      {"idempotency.in_flight_seconds", "RAPPORT_IDEMPOTENCY_IN_FLIGHT_SECONDS",
       "--idempotency-in-flight-seconds",
       "A retry with the Idempotency-Key of an unanswered request whose process has not "
       "refreshed the key for this long (it died) runs instead of getting 409 "
       "idempotency_key_in_use",
       &Config::idempotency_in_flight_seconds},
      {"jobs.queue_per_tenant", "RAPPORT_JOB_QUEUE_PER_TENANT", "--job-queue-per-tenant",
       "Unfinished jobs one tenant may have; past it run requests get 503",
       &Config::job_queue_per_tenant},
      {"jobs.queue_total", "RAPPORT_JOB_QUEUE_TOTAL", "--job-queue-total",
       "Unfinished jobs across tenants; past it run requests get 503", &Config::job_queue_total},
      {"jobs.poison_limit", "RAPPORT_JOB_POISON_LIMIT", "--job-poison-limit",
       "Times a job's worker may die under it (its lease lost) before the job fails "
       "'worker_lost' rather than kill another",
       &Config::job_poison_limit},
      {"jobs.lost_backoff_ms", "RAPPORT_JOB_LOST_BACKOFF_MS", "--job-lost-backoff-ms",
       "A job whose worker died runs again after this long, doubling with each loss (at most "
       "5 minutes)",
       &Config::job_lost_backoff_ms},
      {"jobs.step_delay_ms", "RAPPORT_JOB_STEP_DELAY_MS", "--job-step-delay-ms",
       "Testing aid: pause after every job progress step (keep 0 in production)",
       &Config::job_step_delay_ms},
      {"llm.base_url", "RAPPORT_LLM_BASE_URL", "--llm-base-url",
       "OpenAI-compatible API (…/v1) answering for every platform not in llm.platforms",
       &Config::llm_base_url},
      {"llm.api_key", "RAPPORT_LLM_API_KEY", "--llm-api-key",
       "API key of llm.base_url (prefer the environment variable)", &Config::llm_api_key},
      {"llm.platforms", "RAPPORT_LLM_PLATFORMS", "--llm-platforms",
       "Per-platform providers: platform=base_url|model|API_KEY_ENV;…", &Config::llm_platforms},
      {"llm.timeout_ms", "RAPPORT_LLM_TIMEOUT_MS", "--llm-timeout-ms",
       "Time limit of one answer-engine call", &Config::llm_timeout_ms},
      {"llm.max_retries", "RAPPORT_LLM_MAX_RETRIES", "--llm-max-retries",
       "Retries of a call on 429, 5xx or an unreachable provider", &Config::llm_max_retries},
      {"llm.backoff_base_ms", "RAPPORT_LLM_BACKOFF_BASE_MS", "--llm-backoff-base-ms",
       "First retry delay (doubles each retry, with jitter)", &Config::llm_backoff_base_ms},
      {"llm.max_calls_per_run", "RAPPORT_LLM_MAX_CALLS_PER_RUN", "--llm-max-calls-per-run",
       "Budget of answer-engine calls per brand run", &Config::llm_max_calls_per_run},
      {"llm.judge_platform", "RAPPORT_LLM_JUDGE_PLATFORM", "--llm-judge-platform",
       "Platform whose provider judges answers against brand facts and researches facts",
       &Config::llm_judge_platform},
      {"llm.concurrency", "RAPPORT_LLM_CONCURRENCY", "--llm-concurrency",
       "Calls in flight per provider endpoint (base URL and model); a 429 halves it for a while",
       &Config::llm_concurrency},
      {"llm.max_in_flight", "RAPPORT_LLM_MAX_IN_FLIGHT", "--llm-max-in-flight",
       "Calls in flight in the whole process, every provider together", &Config::llm_max_in_flight},
      {"llm.requests_per_minute", "RAPPORT_LLM_REQUESTS_PER_MINUTE", "--llm-requests-per-minute",
       "Request budget per provider endpoint (0: none; llm.platforms may set rpm= per platform)",
       &Config::llm_requests_per_minute},
      {"llm.tokens_per_minute", "RAPPORT_LLM_TOKENS_PER_MINUTE", "--llm-tokens-per-minute",
       "Token budget per provider endpoint (0: none; llm.platforms may set tpm= per platform)",
       &Config::llm_tokens_per_minute},
      {"llm.max_failed_share", "RAPPORT_LLM_MAX_FAILED_SHARE", "--llm-max-failed-share",
       "A brand run fails when more than this share of a platform's answers failed (0.2 or 20%)",
       &Config::llm_max_failed_share},
      {"llm.max_tokens_per_run", "RAPPORT_LLM_MAX_TOKENS_PER_RUN", "--llm-max-tokens-per-run",
       "Token budget of a brand run: refused above it when estimated, stopped when spent (0: none)",
       &Config::llm_max_tokens_per_run},
      {"llm.prices", "RAPPORT_LLM_PRICES", "--llm-prices",
       "Prices per million tokens for usage costs: model=input|output;…", &Config::llm_prices},
      {"webhooks.allow_private_addresses", "RAPPORT_WEBHOOKS_ALLOW_PRIVATE",
       "--webhooks-allow-private",
       "Let webhook URLs resolve to loopback, private or link-local addresses (off: refused)",
       &Config::webhooks_allow_private},
      {"webhooks.timeout_ms", "RAPPORT_WEBHOOKS_TIMEOUT_MS", "--webhooks-timeout-ms",
       "How long one webhook POST may take", &Config::webhooks_timeout_ms},
      {"webhooks.max_attempts", "RAPPORT_WEBHOOKS_MAX_ATTEMPTS", "--webhooks-max-attempts",
       "Attempts per webhook delivery before it is failed", &Config::webhooks_max_attempts},
      {"webhooks.retry_base_ms", "RAPPORT_WEBHOOKS_RETRY_BASE_MS", "--webhooks-retry-base-ms",
       "First retry delay of a webhook delivery; doubles per attempt",
       &Config::webhooks_retry_base_ms},
      {"webhooks.retry_max_ms", "RAPPORT_WEBHOOKS_RETRY_MAX_MS", "--webhooks-retry-max-ms",
       "Longest delay between webhook attempts", &Config::webhooks_retry_max_ms},
      {"smtp.url", "RAPPORT_SMTP_URL", "--smtp-url",
       "SMTP server reports are e-mailed through: smtp://host:587 (STARTTLS) or "
       "smtps://host:465; empty: no e-mail",
       &Config::smtp_url},
      {"smtp.username", "RAPPORT_SMTP_USERNAME", "--smtp-username", "SMTP login",
       &Config::smtp_username},
      {"smtp.password", "RAPPORT_SMTP_PASSWORD", "--smtp-password", "SMTP password",
       &Config::smtp_password},
      {"smtp.from", "RAPPORT_SMTP_FROM", "--smtp-from", "Sender of report e-mails",
       &Config::smtp_from},
      {"smtp.require_tls", "RAPPORT_SMTP_REQUIRE_TLS", "--smtp-require-tls",
       "Refuse to send over smtp:// without STARTTLS (turn off only for a local relay)",
       &Config::smtp_require_tls},
      {"smtp.timeout_ms", "RAPPORT_SMTP_TIMEOUT_MS", "--smtp-timeout-ms",
       "How long one SMTP session may take", &Config::smtp_timeout_ms},
      {"smtp.max_attempts", "RAPPORT_SMTP_MAX_ATTEMPTS", "--smtp-max-attempts",
       "Attempts per e-mail before it is failed (a 5xx answer fails it at once)",
       &Config::smtp_max_attempts},
      {"smtp.retry_base_ms", "RAPPORT_SMTP_RETRY_BASE_MS", "--smtp-retry-base-ms",
       "First retry delay of an e-mail; doubles per attempt, up to an hour",
       &Config::smtp_retry_base_ms},
      {"scheduler.interval_ms", "RAPPORT_SCHEDULER_INTERVAL_MS", "--scheduler-interval-ms",
       "How often the scheduler looks for due schedules", &Config::scheduler_interval_ms},
      {"scheduler.grace_seconds", "RAPPORT_SCHEDULER_GRACE_SECONDS", "--scheduler-grace-seconds",
       "A run due longer ago than this counts as missed (see a schedule's missed_runs)",
       &Config::scheduler_grace_seconds},
      {"integrations.alertmanager_site_label", "RAPPORT_ALERTMANAGER_SITE_LABEL",
       "--alertmanager-site-label", "Alertmanager alert label that holds the site id",
       &Config::alertmanager_site_label},
      {"integrations.grafana_site_label", "RAPPORT_GRAFANA_SITE_LABEL", "--grafana-site-label",
       "Grafana Alerting alert label that holds the site id", &Config::grafana_site_label},
      {"integrations.zabbix_site_tag", "RAPPORT_ZABBIX_SITE_TAG", "--zabbix-site-tag",
       "Zabbix event tag that holds the site id", &Config::zabbix_site_tag},
      {"integrations.uptime_kuma_site_field", "RAPPORT_UPTIME_KUMA_SITE_FIELD",
       "--uptime-kuma-site-field",
       "Where an Uptime Kuma monitor names its site (a site id or a site name): \"name\" (the "
       "monitor name) or \"tag:<tag name>\" (that monitor tag's value)",
       &Config::uptime_kuma_site_field},
      {"http.threads", "RAPPORT_HTTP_THREADS", "--http-threads",
       "I/O loops, each answering its connections' GETs (default: one per core, as nginx's "
       "worker_processes auto; measured faster than cores - 1 on 2 cores)",
       &Config::http_threads},
      {"public_url", "RAPPORT_PUBLIC_URL", "--public-url",
       "Base URL clients reach this server at, used in error doc_url links", &Config::public_url},
      {"http.max_body_bytes", "RAPPORT_MAX_BODY_BYTES", "--max-body-bytes",
       "Largest request body accepted; larger gets 413", &Config::max_body_bytes},
      {"http.max_bulk_body_bytes", "RAPPORT_MAX_BULK_BODY_BYTES", "--max-bulk-body-bytes",
       "Largest body of a bulk call (POST /faults/bulk)", &Config::max_bulk_body_bytes},
      {"http.max_header_bytes", "RAPPORT_MAX_HEADER_BYTES", "--max-header-bytes",
       "Largest request header block accepted; larger gets 431", &Config::max_header_bytes},
      {"http.max_json_depth", "RAPPORT_MAX_JSON_DEPTH", "--max-json-depth",
       "Deepest JSON nesting accepted in a body", &Config::max_json_depth},
      {"http.read_timeout_seconds", "RAPPORT_READ_TIMEOUT_SECONDS", "--read-timeout",
       "Seconds to receive a request body or send a response", &Config::read_timeout_seconds},
      {"http.idle_timeout_seconds", "RAPPORT_IDLE_TIMEOUT_SECONDS", "--idle-timeout",
       "Seconds a connection may wait for its next request headers", &Config::idle_timeout_seconds},
      {"auth.hs256_secret", "RAPPORT_AUTH_HS256_SECRET", "--auth-hs256-secret",
       "HS256 secret for bearer JWTs (prefer the _FILE form)", &Config::auth_hs256_secret},
      {"auth.hs256_secret_file", "RAPPORT_AUTH_HS256_SECRET_FILE", "--auth-hs256-secret-file",
       "File holding the HS256 secret", &Config::auth_hs256_secret_file},
      {"auth.public_key_files", "RAPPORT_AUTH_PUBLIC_KEY_FILES", "--auth-public-key-files",
       "Comma-separated PEM public keys for RS256/ES256 tokens", &Config::auth_public_key_files},
      {"auth.issuer", "RAPPORT_AUTH_ISSUER", "--auth-issuer", "Required `iss` claim, if set",
       &Config::auth_issuer},
      {"auth.audience", "RAPPORT_AUTH_AUDIENCE", "--auth-audience", "Required `aud` claim, if set",
       &Config::auth_audience},
      {"rate_limit.burst_per_min", "RAPPORT_RATE_LIMIT_BURST_PER_MIN", "--rate-limit-burst",
       "API calls per minute per tenant+subject (0: off)", &Config::rate_limit_burst_per_min},
      {"rate_limit.llm_per_min", "RAPPORT_RATE_LIMIT_LLM_PER_MIN", "--rate-limit-llm",
       "LLM-spending calls per minute per tenant+subject (0: off)",
       &Config::rate_limit_llm_per_min},
      {"console.session_idle_minutes", "RAPPORT_CONSOLE_SESSION_IDLE_MINUTES",
       "--console-session-idle-minutes", "Minutes a console session may go unused (1-1440)",
       &Config::console_session_idle_minutes},
      {"console.session_absolute_hours", "RAPPORT_CONSOLE_SESSION_ABSOLUTE_HOURS",
       "--console-session-absolute-hours", "Hours a console session lasts at most (1-720)",
       &Config::console_session_absolute_hours},
      {"console.login_max_failures_per_account", "RAPPORT_CONSOLE_LOGIN_MAX_FAILURES_PER_ACCOUNT",
       "--console-login-max-failures-per-account",
       "Failed sign-ins of one e-mail in the window before 429 (1-1000)",
       &Config::console_login_max_failures_per_account},
      {"console.login_max_failures_per_address", "RAPPORT_CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS",
       "--console-login-max-failures-per-address",
       "Failed sign-ins from one address in the window before 429 (1-1000)",
       &Config::console_login_max_failures_per_address},
      {"console.login_window_minutes", "RAPPORT_CONSOLE_LOGIN_WINDOW_MINUTES",
       "--console-login-window-minutes", "Minutes failed sign-ins are counted for (1-1440)",
       &Config::console_login_window_minutes},
      {"log.level", "RAPPORT_LOG_LEVEL", "--log-level", "trace, debug, info, warn, error or off",
       &Config::log_level},
      {"log.requests", "RAPPORT_LOG_REQUESTS", "--log-requests",
       "One JSON log line per request (true/false)", &Config::log_requests},
  };
  return kSettings;
}

std::string Config::DatabaseUrl() const {
  if (!database_url.empty()) return database_url;
  return (data_dir.empty() ? std::string(".") : data_dir) + "/rapport.db";
}

std::string Config::DatabaseUrlForLog() const {
  std::string url = DatabaseUrl();
  size_t scheme = url.find("://");
  size_t at = url.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    size_t colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  }
  for (size_t p = url.find("password="); p != std::string::npos; p = url.find("password=", p)) {
    p += 9;
    size_t end = url.find_first_of("& ", p);
    url.replace(p, (end == std::string::npos ? url.size() : end) - p, "***");
  }
  return url;
}

Result<std::string> Config::Hs256Secret() const {
  if (auth_hs256_secret_file.empty()) return auth_hs256_secret;
  RAPPORT_TRY(std::string secret, ReadFile(auth_hs256_secret_file));
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return Invalid(auth_hs256_secret_file, "the secret file is empty");
  return secret;
}

Result<std::vector<std::string>> Config::PublicKeys() const {
  std::vector<std::string> keys;
  std::string_view rest = auth_public_key_files;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string path(rest.substr(0, comma));
    rest = comma == rest.npos ? std::string_view() : rest.substr(comma + 1);
    if (path.empty()) continue;
    RAPPORT_TRY(std::string pem, ReadFile(path));
    keys.push_back(std::move(pem));
  }
  return keys;
}

ConfigLoader::ConfigLoader(CLI::App& app) : app_(app), flag_values_(Settings().size()) {
  app_.add_option("--config", config_file_, "TOML file with settings (env and flags override it)");
  for (size_t i = 0; i < Settings().size(); ++i) {
    const auto& s = Settings()[i];
    app_.add_option(s.flag, flag_values_[i],
                    s.help + " [env " + s.env + ", file key " + s.toml_key + "]");
  }
}

namespace {
Status ApplyFileAndEnv(Config& config, const std::string& toml_file) {
  if (!toml_file.empty()) RAPPORT_CHECK(ApplyToml(config, toml_file));
  for (const auto& s : Settings()) {
    if (const char* value = std::getenv(s.env.c_str()); value && *value) {
      RAPPORT_CHECK(Assign(config, s, value, s.env));
    }
  }
  return Ok{};
}
}  // namespace

Result<Config> LoadConfig(const std::string& toml_file) {
  Config config;
  RAPPORT_CHECK(ApplyFileAndEnv(config, toml_file));
  RAPPORT_CHECK(Validate(config));
  return config;
}

Result<Config> ConfigLoader::Resolve() const {
  Config config;
  RAPPORT_CHECK(ApplyFileAndEnv(config, config_file_));
  for (size_t i = 0; i < Settings().size(); ++i) {
    const auto& s = Settings()[i];
    if (app_.count(s.flag) > 0) RAPPORT_CHECK(Assign(config, s, flag_values_[i], s.flag));
  }
  RAPPORT_CHECK(Validate(config));
  return config;
}

}  // namespace rapport
