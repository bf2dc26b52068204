#include <rapport/app/server_app.hpp>

#include <rapport/accounts/accounts.hpp>
#include <rapport/api/api.hpp>
#include <rapport/app/sharing_wiring.hpp>
#include <rapport/brand/brand_kind.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/http/server.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/sla/sla_kind.hpp>
#include <rapport/store/audit.hpp>

#include "retention_job.hpp"

#include <malloc.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

namespace rapport {
namespace {

void LogEvent(spdlog::level::level_enum level, std::string_view msg, boost::json::object fields) {
  boost::json::object entry{{"time", FormatRfc3339(SystemClock().NowMs())},
                            {"level", spdlog::level::to_string_view(level).data()},
                            {"msg", msg}};
  for (auto& [k, v] : fields) entry[k] = std::move(v);
  spdlog::log(level, boost::json::serialize(entry));
}

// Writes "host:port" to <data_dir>/rapportd.addr so scripts and tests find an ephemeral port.
void WriteAddressFile(const std::string& data_dir, const std::string& host, uint16_t port) {
  auto path = std::filesystem::path(data_dir) / "rapportd.addr";
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp);
    out << host << ':' << port << '\n';
  }
  std::filesystem::rename(tmp, path);
}

// Once an hour until stopped: deletes expired idempotency keys and jobs past their retention.
// Runs `task` now and then every `interval` on its own thread until destroyed.
class Periodic {
 public:
  Periodic(std::chrono::milliseconds interval, std::function<void()> task)
      : thread_([this, interval, task = std::move(task)] {
          std::unique_lock lock(mu_);
          do {
            lock.unlock();
            task();
            lock.lock();
          } while (!cv_.wait_for(lock, interval, [this] { return stop_; }));
        }) {}
  ~Periodic() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// glibc raises its mmap threshold to the largest block freed so far (up to 32 MiB), after which
// PDF buffers and artifact blobs are carved from the job workers' arenas and fragment them: in a
// soak whose reports grew, the arenas held 21.8 MB for 8.5 MB in use. A fixed threshold keeps
// blocks of 128 KiB and more in mmap, returned on free; the memory janitor (malloc_trim) gives
// back the free pages inside the arenas.
void LimitHeapGrowth() { mallopt(M_MMAP_THRESHOLD, 128 * 1024); }

}  // namespace

void SetUpLogging(const std::string& level) {
  // A buffered file sink on stdout: no syscall and no thread hand-off per line (an async logger
  // woke its thread for every request). Flushed every second and at once for warnings.
  std::shared_ptr<spdlog::logger> logger;
  try {
    logger = spdlog::basic_logger_mt("rapport", "/dev/stdout");
  } catch (const spdlog::spdlog_ex&) {  // no /dev/stdout (e.g. stdout closed): unbuffered stdout
    logger = spdlog::stdout_logger_mt("rapport");
  }
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

namespace {

http::ServerOptions HttpOptionsFrom(const Config& config, int cores) {
  size_t colon = config.listen.rfind(':');
  http::ServerOptions options;
  options.host = config.listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  options.port = static_cast<uint16_t>(std::stoi(config.listen.substr(colon + 1)));
  options.read_threads =
      config.http_threads > 0 ? static_cast<int>(config.http_threads) : std::max(1, cores);
  options.write_threads = 2;  // writes serialize on the database writer; two overlap the I/O
  options.max_body_bytes = static_cast<size_t>(config.max_body_bytes);
  options.max_bulk_body_bytes = static_cast<size_t>(config.max_bulk_body_bytes);
  options.bulk_paths = {"/faults/bulk", "/faults/import"};
  options.max_header_bytes = static_cast<size_t>(config.max_header_bytes);
  options.read_timeout = std::chrono::seconds(config.read_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
  return options;
}

api::ApiConfig ApiConfigFrom(const Config& config, const http::ServerOptions& options) {
  api::ApiConfig api_config;
  api_config.max_json_depth = static_cast<int>(config.max_json_depth);
  api_config.max_body_bytes = options.max_body_bytes;
  api_config.max_bulk_body_bytes = options.max_bulk_body_bytes;
  api_config.burst_per_minute = static_cast<int>(config.rate_limit_burst_per_min);
  api_config.llm_per_minute = static_cast<int>(config.rate_limit_llm_per_min);
  api_config.log_requests = config.log_requests;
  api_config.job_retention_ms = config.job_retention_days * 24 * 3600 * 1000;
  api_config.storage_metrics_ttl_ms = config.metrics_storage_ttl_seconds * 1000;
  api_config.idempotency_stale_ms = config.idempotency_in_flight_seconds * 1000;
  api_config.webhooks = {.allow_private_addresses = config.webhooks_allow_private,
                         .timeout_ms = static_cast<long>(config.webhooks_timeout_ms),
                         .max_attempts = static_cast<int>(config.webhooks_max_attempts),
                         .retry = {config.webhooks_retry_base_ms, config.webhooks_retry_max_ms}};
  api_config.smtp = {.url = config.smtp_url,
                     .username = config.smtp_username,
                     .password = config.smtp_password,
                     .from = config.smtp_from,
                     .require_tls = config.smtp_require_tls,
                     .timeout_ms = static_cast<long>(config.smtp_timeout_ms),
                     .max_attempts = static_cast<int>(config.smtp_max_attempts),
                     .retry = {config.smtp_retry_base_ms, 3'600'000}};
  return api_config;
}

Result<LlmSettings> LlmSettingsFrom(const Config& config) {
  LlmSettings llm;
  if (!config.llm_base_url.empty()) {
    llm.default_endpoint = LlmEndpoint{config.llm_base_url, "", config.llm_api_key};
  }
  RAPPORT_TRY(llm.platforms, ParseLlmPlatforms(config.llm_platforms));
  llm.timeout_ms = static_cast<long>(config.llm_timeout_ms);
  llm.max_retries = static_cast<int>(config.llm_max_retries);
  llm.backoff_base_ms = config.llm_backoff_base_ms;
  llm.max_calls_per_run = config.llm_max_calls_per_run;
  llm.judge_platform = config.llm_judge_platform;
  llm.concurrency = static_cast<int>(config.llm_concurrency);
  llm.max_in_flight = static_cast<int>(config.llm_max_in_flight);
  llm.requests_per_minute = config.llm_requests_per_minute;
  llm.tokens_per_minute = config.llm_tokens_per_minute;
  llm.max_failed_share = *ParseShare(config.llm_max_failed_share);  // validated with the config
  llm.max_tokens_per_run = config.llm_max_tokens_per_run;
  llm.prices = *ParseLlmPrices(config.llm_prices);
  return llm;
}

// The report kinds this server runs: the one list that names them. The API gets their routes
// and their jobs' scopes.
ReportKinds MakeReportKinds(const Config& config, Store& store, const LlmSettings& llm,
                            const std::vector<KindFactory>& extra_kinds,
                            WebhookOwners& webhook_owners, api::ApiConfig& api_config) {
  int64_t grace_ms = config.scheduler_grace_seconds * 1000;
  QueueLimits queue_limits{config.job_queue_per_tenant, config.job_queue_total};
  BrandKindOptions brand{.grace_ms = grace_ms,
                         .queue_limits = queue_limits,
                         .max_tokens_per_run = llm.max_tokens_per_run,
                         .judging = llm.For(llm.judge_platform).has_value()};
  for (const auto& platform : AiPlatforms()) {
    if (llm.For(platform)) brand.platforms.push_back(platform);
  }
  ReportKinds kinds;
  kinds.push_back(MakeSlaKind(store, SystemClock(),
                              {.grace_ms = grace_ms,
                               .queue_limits = queue_limits,
                               .alertmanager_site_label = config.alertmanager_site_label,
                               .grafana_site_label = config.grafana_site_label,
                               .zabbix_site_tag = config.zabbix_site_tag,
                               .uptime_kuma_site_field = config.uptime_kuma_site_field,
                               .smtp = api_config.smtp}));
  kinds.push_back(MakeBrandKind(store, SystemClock(), LlmClient(llm), std::move(brand)));
  for (const auto& make : extra_kinds) kinds.push_back(make(store, SystemClock()));
  AddKindsToApi(kinds, webhook_owners, api_config);
  api_config.job_scopes.push_back({"webhook_delivery", "read:webhooks", "write:webhooks"});
  return kinds;
}

// Every kind's job handlers, and delivery's (with the e-mail of each kind that e-mails reports).
void RegisterJobs(JobRegistry& registry, const ReportKinds& kinds, Store& store,
                  const api::ApiConfig& api_config) {
  for (const auto& kind : kinds) kind->RegisterJobs(registry);
  registry.Register("webhook_delivery", std::make_shared<WebhookDeliveryJob>(store, SystemClock(),
                                                                             api_config.webhooks));
  registry.Register("email_delivery",
                    std::make_shared<EmailDeliveryJob>(store, store, SystemClock(), api_config.smtp,
                                                       KindEmails(kinds)));
}

// Deletes the audit events older than `cutoff` and logs how many went.
void PurgeAudit(Store& db, UnixMs cutoff) {
  auto purged = PurgeAuditEvents(db, cutoff);
  if (!purged.ok()) {
    LogEvent(spdlog::level::warn, "audit purge failed", {{"error", purged.error().message()}});
  } else if (*purged > 0) {
    LogEvent(spdlog::level::info, "audit events purged", {{"count", *purged}});
  }
}

void LogTick(const Result<int64_t>& enqueued, JobEngine& engine) {
  if (!enqueued.ok()) {
    LogEvent(spdlog::level::warn, "scheduler tick failed", {{"error", enqueued.error().message()}});
  } else if (*enqueued > 0) {
    engine.Wake();
  }
}

void LogRetentionTick(const Result<bool>& enqueued, JobEngine& engine) {
  if (!enqueued.ok()) {
    LogEvent(spdlog::level::warn, "report retention not enqueued",
             {{"error", enqueued.error().message()}});
  } else if (*enqueued) {
    engine.Wake();
  }
}

// Serves until SIGTERM/SIGINT and the HTTP drain, with the background work beside it: the
// janitor, the schedulers and the outbox.
void Serve(const Config& config, const api::ApiConfig& api_config, Store& db,
           const ReportKinds& kinds, JobEngine& engine, http::Server& server,
           ReportRetention& retention) {
  // The janitor: expired idempotency keys, finished jobs and audit events past their retention,
  // and rate-limit windows that have closed.
  Periodic janitor(std::chrono::hours(1), [&db, &api_config, &config] {
    UnixMs now = SystemClock().NowMs();
    (void)db.PurgeIdempotencyKeys(now - api_config.idempotency_retention_ms);
    (void)db.PurgeFinishedJobs(now - api_config.job_retention_ms);
    PurgeAudit(db, now - config.audit_retention_days * 24 * 3600 * 1000);
    (void)db.PurgeRateWindows(now / 60000 - 1);
  });
  Periodic memory_janitor(std::chrono::seconds(10), [] { malloc_trim(0); });
  // The outbox: events become webhook deliveries (jobs).
  WebhookSettings hooks = api_config.webhooks;
  hooks.public_url = api_config.public_url;  // chat messages link to reports under it
  WebhookDispatcher dispatcher(db, db, *api_config.webhook_owners, hooks, api_config.smtp,
                               [&engine] { engine.Wake(); });
  Periodic scheduling(std::chrono::milliseconds(config.scheduler_interval_ms),
                      [&kinds, &dispatcher, &engine, &retention] {
                        // Each kind's due schedules become runs and jobs.
                        for (const auto& kind : kinds) LogTick(kind->FireDueSchedules(), engine);
                        // The day's purge of expired reports, once per deployment.
                        LogRetentionTick(retention.EnqueueDaily(SystemClock().NowMs()), engine);
                        auto dispatched = dispatcher.Tick(SystemClock().NowMs());
                        if (!dispatched.ok()) {
                          LogEvent(spdlog::level::warn, "webhook dispatch failed",
                                   {{"error", dispatched.error().message()}});
                        }
                      });
  server.Run(true);  // returns after SIGTERM/SIGINT and the HTTP drain
}

int Fail(std::string_view what, const Error& e) {
  LogEvent(spdlog::level::err, what, {{"error", e.message()}});
  spdlog::shutdown();
  return 1;
}

// Opens the store and backfills what earlier versions left (before any job can complete; a
// failure is logged and retried at the next start).
Result<std::unique_ptr<Store>> Open(const Config& config, int cores) {
  StoreOptions store_options{config.DatabaseUrl(), static_cast<int>(config.db_busy_timeout_ms),
                             std::max(4, cores + 2)};
  return OpenStore(store_options);
}

// The share links' table, and their deletion with any kind's report (before serving).
Status InstallSharing(ShareService& shares, const ReportKinds& kinds) {
  std::vector<std::string> names;
  for (const auto& kind : kinds) names.push_back(kind->Name());
  return shares.Install(names);
}

// The kinds' tables and store hooks, then their start-up work (before any job can run).
Status PrepareKinds(const ReportKinds& kinds, Store& store) {
  RAPPORT_CHECK(InstallKinds(kinds, store));
  for (const auto& kind : kinds) {
    auto prepared = kind->Prepare();
    if (!prepared.ok()) {
      LogEvent(spdlog::level::warn, "report kind start-up incomplete",
               {{"kind", kind->Name()}, {"error", prepared.error().message()}});
    } else if (!prepared->empty()) {
      LogEvent(spdlog::level::info, *prepared, {{"kind", kind->Name()}});
    }
  }
  return Ok{};
}

// Console users, sessions and API tokens: their tables, and their credentials, routes and error
// codes in the Api.
Result<std::unique_ptr<accounts::Accounts>> MakeAccounts(const Config& config, Store& store,
                                                         api::ApiConfig& api_config) {
  auto made = std::make_unique<accounts::Accounts>(
      store, SystemClock(),
      accounts::AccountsOptions{
          .session_idle_ms = config.console_session_idle_minutes * 60'000,
          .session_absolute_ms = config.console_session_absolute_hours * 3'600'000,
          .max_failures_per_account =
              static_cast<int>(config.console_login_max_failures_per_account),
          .max_failures_per_address =
              static_cast<int>(config.console_login_max_failures_per_address),
          .login_window_ms = config.console_login_window_minutes * 60'000,
          .secure_cookie = api_config.public_url.starts_with("https://"),
          .public_url = api_config.public_url});
  RAPPORT_CHECK(made->Migrate());
  const accounts::Accounts* a = made.get();
  api_config.authenticate = [a](const http::Request& request, UnixMs now) {
    return a->Authenticate(request, now);
  };
  api_config.route_sets.push_back(
      [a](api::Router& router, const api::RouteEnv&) { a->AddRoutes(router); });
  for (const auto& spec : accounts::AccountErrorSpecs()) api_config.error_specs.push_back(spec);
  return made;
}

Result<std::shared_ptr<const JwtVerifier>> VerifierFrom(const Config& config) {
  RAPPORT_TRY(std::string secret, config.Hs256Secret());
  RAPPORT_TRY(auto keys, config.PublicKeys());
  return JwtVerifier::Create({secret, keys, config.auth_issuer, config.auth_audience});
}

}  // namespace

namespace {
bool CreateDataDir(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (!ec) return true;
  LogEvent(spdlog::level::err, "cannot create data dir",
           {{"data_dir", data_dir}, {"error", ec.message()}});
  return false;
}
}  // namespace

int RunServer(const Config& config, const std::vector<KindFactory>& extra_kinds) {
  LimitHeapGrowth();
  if (!CreateDataDir(config.data_dir)) return 1;
  auto verifier = VerifierFrom(config);
  if (!verifier.ok()) return Fail("authentication is not configured", verifier.error());
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int workers = config.workers > 0 ? static_cast<int>(config.workers) : cores;
  auto store = Open(config, cores);
  if (!store.ok()) return Fail("cannot open the store", store.error());
  http::ServerOptions options = HttpOptionsFrom(config, cores);
  api::ApiConfig api_config = ApiConfigFrom(config, options);
  auto llm = LlmSettingsFrom(config);
  if (!llm.ok()) return Fail("bad configuration", llm.error());
  WebhookOwners webhook_owners;  // the kinds', for the API and the dispatcher
  ReportKinds kinds =
      MakeReportKinds(config, **store, *llm, extra_kinds, webhook_owners, api_config);
  if (auto installed = PrepareKinds(kinds, **store); !installed.ok()) {
    return Fail("cannot migrate a report kind's tables", installed.error());
  }
  ShareService shares(**store, SystemClock());
  if (auto installed = InstallSharing(shares, kinds); !installed.ok()) {
    return Fail("cannot migrate the share links' tables", installed.error());
  }
  JobRegistry registry;
  RegisterJobs(registry, kinds, **store, api_config);
  ReportRetention retention(**store, **store);
  registry.Register(kRetentionJobKind, std::make_shared<RetentionJob>(retention, SystemClock()));
  JobEngine engine(**store, SystemClock(), registry,
                   {.workers = workers,
                    .lease_ms = config.job_lease_seconds * 1000,
                    .lost = {.poison_limit = config.job_poison_limit,
                             .backoff_base_ms = config.job_lost_backoff_ms},
                    .step_delay_ms = config.job_step_delay_ms});
  api_config.on_enqueue = [&engine] { engine.Wake(); };
  std::unique_ptr<api::Api> api;  // built once the real port is known (for public_url)
  http::Server server(
      options, [&api](http::Request& r) { return api->Handle(r); },
      [&api](int status, std::string_view path) { return api->ProtocolError(status, path); });
  auto listening = server.Listen();
  if (!listening.ok()) return Fail("cannot listen", listening.error());
  api_config.public_url = config.public_url.empty()
                              ? "http://" + options.host + ":" + std::to_string(server.port())
                              : config.public_url;
  auto accounts = MakeAccounts(config, **store, api_config);
  if (!accounts.ok()) return Fail("cannot migrate the accounts tables", accounts.error());
  api_config.route_sets.push_back(SharingRouteSet(
      shares, {**store, **store}, SharedReportKinds(**store), api_config.public_url));
  api = std::make_unique<api::Api>(**store, SystemClock(), *verifier, api_config);
  WriteAddressFile(config.data_dir, options.host, server.port());
  LogEvent(spdlog::level::info, "listening",
           {{"address", options.host + ":" + std::to_string(server.port())},
            {"database", config.DatabaseUrlForLog()},
            {"workers", workers}});
  engine.Start();
  Serve(config, api_config, **store, kinds, engine, server, retention);
  engine.Stop();  // running jobs finish their step or are handed back
  api.reset();    // its last request lines reach the log
  LogEvent(spdlog::level::info, "stopped", {});
  spdlog::shutdown();
  return 0;
}

}  // namespace rapport
