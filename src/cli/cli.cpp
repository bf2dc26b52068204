#include "cli.hpp"

#include "admin.hpp"
#include "completion.hpp"
#include "demo.hpp"
#include "export.hpp"
#include "faults.hpp"
#include "output.hpp"
#include "resources.hpp"
#include "run.hpp"
#include "schedule_preview.hpp"
#include "users.hpp"

#include <rapport/app/config.hpp>
#include <rapport/auth/jwt.hpp>
#include <rapport/client/http_client.hpp>
#include <rapport/core/ids.hpp>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>

namespace rapport::cli {
namespace {

namespace json = boost::json;

std::string EnvOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

// "90s", "15m", "1h", "7d" -> seconds; nullopt when malformed.
std::optional<int64_t> ParseDuration(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  try {
    size_t used = 0;
    int64_t n = std::stoll(text.substr(0, text.size() - 1), &used);
    if (used != text.size() - 1 || n <= 0) return std::nullopt;
    return n * unit;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

struct TokenMintOptions {
  std::string tenant;
  std::string scope = "*";
  std::string subject = "rapport-cli";
  std::string ttl = "1h";
  std::string config_file;
};

int MintToken(const TokenMintOptions& o) {
  auto config = LoadConfig(o.config_file);
  if (!config.ok()) {
    std::cerr << "rapport: " << config.error().message() << "\n";
    return kExitUsage;
  }
  auto secret = config->Hs256Secret();
  if (!secret.ok() || secret->empty()) {
    std::cerr << "rapport: no HS256 secret: set RAPPORT_AUTH_HS256_SECRET(_FILE) or "
                 "auth.hs256_secret in --config\n";
    return kExitUsage;
  }
  auto ttl = ParseDuration(o.ttl);
  if (!ttl) {
    std::cerr << "rapport: --ttl must look like 90s, 15m, 1h or 7d\n";
    return kExitUsage;
  }
  int64_t now = SystemClock().NowMs() / 1000;
  json::object claims{{"sub", o.subject}, {"tenant", o.tenant}, {"scope", o.scope},
                      {"iat", now},       {"exp", now + *ttl},  {"jti", NewUuidV4()}};
  if (!config->auth_issuer.empty()) claims["iss"] = config->auth_issuer;
  if (!config->auth_audience.empty()) claims["aud"] = config->auth_audience;
  std::cout << MintHs256Token(claims, *secret) << "\n";
  return kExitOk;
}

void AddBrandCommands(CLI::App& app, Session& session) {
  auto* brands = app.add_subcommand("brands", "Brands (/v1/brands)")->require_subcommand(1);
  auto* list = brands->add_subcommand("list", "List brands, newest first");
  static ListOptions list_opts;
  list->add_option("--limit", list_opts.limit, "Page size, 1-100");
  list->add_option("--cursor", list_opts.cursor, "Cursor from a previous page");
  list->callback(
      [&] { session.exit_code = session.List("/v1/brands", list_opts, BrandColumns()); });

  static std::string id;
  auto* get = brands->add_subcommand("get", "Show one brand");
  get->add_option("BRAND_ID", id)->required();
  get->callback([&] { session.exit_code = session.Show("GET", "/v1/brands/" + id, ""); });

  static BrandDraft draft;
  auto* create = brands->add_subcommand("create", "Create a brand");
  create->add_option("--name", draft.name, "Brand name (1-80 characters)")->required();
  create->add_option("--website", draft.website, "http(s) URL")->required();
  create->add_option("--alias", draft.aliases, "Another name of the brand (repeatable)");
  create->add_option("--competitor", draft.competitors, "A competitor's name (repeatable)");
  create->add_option("--category", draft.categories, "A category (repeatable)");
  create->add_option("--country", draft.country, "ISO 3166-1 alpha-2 code, e.g. US");
  create->add_option("--language", draft.language, "ISO 639-1 code, e.g. en");
  create->callback([&] {
    session.exit_code = session.Show("POST", "/v1/brands", json::serialize(draft.ToJson()));
  });

  static std::string data;
  auto* update = brands->add_subcommand("update", "Change the fields a JSON body names (PATCH)");
  update->add_option("BRAND_ID", id)->required();
  update->add_option("--data,-d", data, "JSON body, @FILE, or - for standard input")->required();
  update->callback(
      [&] { session.exit_code = SendBody(session, "PATCH", "/v1/brands/" + id, data); });

  auto* del = brands->add_subcommand("delete", "Delete a brand");
  del->add_option("BRAND_ID", id)->required();
  del->callback([&] { session.exit_code = session.Show("DELETE", "/v1/brands/" + id, ""); });

  auto* facts = brands->add_subcommand("facts", "Show the facts a brand's reports take as true");
  facts->add_option("BRAND_ID", id)->required();
  facts->callback(
      [&] { session.exit_code = session.Show("GET", "/v1/brands/" + id + "/facts", ""); });
  auto* set_facts = brands->add_subcommand("set-facts",
                                           "Change facts (PATCH), e.g. -d "
                                           "'{\"founded_year\":2011}'");
  set_facts->add_option("BRAND_ID", id)->required();
  set_facts->add_option("--data,-d", data, "JSON body, @FILE, or - for standard input")->required();
  set_facts->callback(
      [&] { session.exit_code = SendBody(session, "PATCH", "/v1/brands/" + id + "/facts", data); });
  auto* research = brands->add_subcommand(
      "research-facts", "Have the answer engine research the brand's facts (a job)");
  research->add_option("BRAND_ID", id)->required();
  research->callback(
      [&] { session.exit_code = session.Show("POST", "/v1/brands/" + id + "/facts", ""); });
}

void AddSiteCommands(CLI::App& app, Session& session) {
  auto* sites = app.add_subcommand("sites", "Sites (/sites)")->require_subcommand(1);
  static ListOptions list_opts;
  auto* list = sites->add_subcommand("list", "List sites, newest first");
  list->add_option("--limit", list_opts.limit, "Page size, 1-100");
  list->add_option("--cursor", list_opts.cursor, "Cursor from a previous page");
  list->callback([&] { session.exit_code = session.List("/sites", list_opts, SiteColumns()); });

  static std::string id;
  auto* get = sites->add_subcommand("get", "Show one site");
  get->add_option("SITE_ID", id)->required();
  get->callback([&] { session.exit_code = session.Show("GET", "/sites/" + id, ""); });

  static SiteDraft draft;
  auto* create = sites->add_subcommand("create", "Create a site");
  create->add_option("--name", draft.name, "Site name")->required();
  create->add_option("--timezone", draft.timezone, "IANA time zone, e.g. Europe/London")
      ->required();
  create->add_option("--tag", draft.tags, "KEY=VALUE tag (repeatable)");
  create->callback([&] {
    auto body = draft.ToJson();
    if (!body) {
      std::cerr << "rapport: --tag must be KEY=VALUE\n";
      session.exit_code = kExitUsage;
      return;
    }
    session.exit_code = session.Show("POST", "/sites", json::serialize(*body));
  });

  static std::string data;
  auto* update = sites->add_subcommand("update", "Change the fields a JSON body names (PATCH)");
  update->add_option("SITE_ID", id)->required();
  update->add_option("--data,-d", data, "JSON body, @FILE, or - for standard input")->required();
  update->callback([&] { session.exit_code = SendBody(session, "PATCH", "/sites/" + id, data); });

  auto* del = sites->add_subcommand("delete", "Delete a site");
  del->add_option("SITE_ID", id)->required();
  del->callback([&] { session.exit_code = session.Show("DELETE", "/sites/" + id, ""); });
}

}  // namespace

namespace {

// `rapport token mint`.
void AddTokenCommands(CLI::App& app, Session& session) {
  auto* token = app.add_subcommand("token", "Authentication tokens")->require_subcommand(1);
  static TokenMintOptions mint;
  auto* mint_cmd = token->add_subcommand(
      "mint", "Print a signed HS256 token for a tenant (uses RAPPORT_AUTH_HS256_SECRET)");
  mint_cmd->add_option("--tenant", mint.tenant, "Tenant id (the `tenant` claim)")->required();
  mint_cmd->add_option("--scope", mint.scope,
                       "Space-separated scopes, e.g. \"read:brands write:sla\" (default *)");
  mint_cmd->add_option("--sub", mint.subject, "Subject (the `sub` claim)");
  mint_cmd->add_option("--ttl", mint.ttl, "Lifetime: 90s, 15m, 1h (default), 7d");
  mint_cmd->add_option("--config", mint.config_file, "rapportd TOML config holding the secret");
  mint_cmd->callback([&] { session.exit_code = MintToken(mint); });
}

// `rapport api METHOD PATH`: any request.
void AddApiCommand(CLI::App& app, Session& session) {
  static std::string method, path, data, key;
  auto* api = app.add_subcommand("api", "Send any request, e.g. rapport api GET /v1/brands");
  api->add_option("METHOD", method)->required();
  api->add_option("PATH", path)->required();
  api->add_option("--data,-d", data, "JSON request body, @FILE, or - for standard input");
  api->add_option("--idempotency-key", key, "Idempotency-Key header (default: a new UUID)");
  api->callback([&] {
    auto body = ReadBody(data);
    session.exit_code = body ? session.Raw(method, path, *body, key) : kExitUsage;
  });
}

// `rapport reports pdf|export|deliveries`.
void AddReportCommands(CLI::App& app, Session& session) {
  static std::string report_id, pdf_output;
  auto* reports = app.add_subcommand("reports", "Generated reports")->require_subcommand(1);
  auto* pdf = reports->add_subcommand(
      "pdf",
      "Download a report's PDF (SLA or brand report), e.g. rapport reports pdf rpt_… -o x.pdf");
  pdf->add_option("REPORT_ID", report_id, "The report's id (rpt_…)")->required();
  pdf->add_option("--output,-o", pdf_output, "File to write; - for standard output")->required();
  pdf->callback([&] {
    session.exit_code = session.Download(
        {"/reports/sla/reports/" + report_id + "/pdf", "/v1/reports/" + report_id + "/pdf"},
        pdf_output);
  });
  AddReportExportCommand(reports, session);

  static std::string deliveries_report;
  auto* deliveries = reports->add_subcommand(
      "deliveries", "An SLA report's e-mail deliveries with their true outcome");
  deliveries->add_option("REPORT_ID", deliveries_report, "The report's id (rpt_…)")->required();
  deliveries->callback([&] {
    session.exit_code =
        session.List("/reports/sla/reports/" + deliveries_report + "/deliveries", {},
                     {{"ID", "id"},
                      {"RECIPIENT", "recipient"},
                      {"STATUS", "status"},
                      {"ATTEMPTS", "attempts"},
                      {"SMTP", "smtp_status"},
                      {"ERROR", "error"}});
  });
}

// `rapport webhooks …`: endpoints (a brand's with --brand, else the SLA side's) and their log.
// The webhooks commands' arguments (CLI11 binds options to variables that outlive parsing).
std::string hook_brand, hook_id;
std::string HooksBase() {
  return hook_brand.empty() ? std::string("/reports/sla/webhooks")
                            : "/v1/brands/" + hook_brand + "/webhooks";
}

// `rapport webhooks create|get|update|delete|rotate-secret|redeliver`.
void AddWebhookEditCommands(CLI::App* hooks, Session& session, std::string (*hooks_base)()) {
  static std::string hook_url, hook_data, hook_delivery, hook_format;
  static std::vector<std::string> hook_events;
  auto* hook_create = hooks->add_subcommand(
      "create", "Create an endpoint; its signing secret is shown once, in the answer");
  hook_create->add_option("--url", hook_url, "Where events are POSTed (http or https)")->required();
  hook_create
      ->add_option("--event", hook_events,
                   "An event type to send (repeatable), e.g. sla_report.completed")
      ->required();
  hook_create->add_option("--brand", hook_brand, "Brand id, for a brand's endpoint");
  hook_create
      ->add_option("--format", hook_format,
                   "signed (default), slack or teams: a Slack or Teams incoming-webhook URL")
      ->check(CLI::IsMember({"signed", "slack", "teams"}));
  hook_create->callback([&, hooks_base] {
    json::array events;
    for (const auto& e : hook_events) events.emplace_back(e);
    json::object body{{"url", hook_url}, {"events", events}};
    if (!hook_format.empty()) body["format"] = hook_format;
    session.exit_code = session.Show("POST", hooks_base(), json::serialize(body));
  });
  auto* hook_get = hooks->add_subcommand("get", "Show one endpoint");
  auto* hook_update =
      hooks->add_subcommand("update", "Change url, events or enabled from a JSON body (PATCH)");
  auto* hook_delete = hooks->add_subcommand("delete", "Delete an endpoint");
  auto* hook_rotate = hooks->add_subcommand(
      "rotate-secret", "Replace the signing secret (the new one is shown once)");
  auto* hook_redeliver = hooks->add_subcommand(
      "redeliver", "Send a delivery's stored event again (the report is not re-run)");
  for (auto* sub : {hook_get, hook_update, hook_delete, hook_rotate, hook_redeliver}) {
    sub->add_option("WEBHOOK_ID", hook_id, "The endpoint's id (whk_…)")->required();
    sub->add_option("--brand", hook_brand, "Brand id, for a brand's endpoint");
  }
  hook_update->add_option("--data,-d", hook_data, "JSON body, @FILE, or - for standard input")
      ->required();
  hook_redeliver->add_option("DELIVERY_ID", hook_delivery, "The delivery's id (dlv_…)")->required();
  hook_get->callback([&, hooks_base] {
    session.exit_code = session.Show("GET", hooks_base() + "/" + hook_id, "");
  });
  hook_update->callback([&, hooks_base] {
    session.exit_code = SendBody(session, "PATCH", hooks_base() + "/" + hook_id, hook_data);
  });
  hook_delete->callback([&, hooks_base] {
    session.exit_code = session.Show("DELETE", hooks_base() + "/" + hook_id, "");
  });
  hook_rotate->callback([&, hooks_base] {
    session.exit_code = session.Show("POST", hooks_base() + "/" + hook_id + "/rotate-secret", "");
  });
  hook_redeliver->callback([&, hooks_base] {
    session.exit_code = session.Show(
        "POST", hooks_base() + "/" + hook_id + "/deliveries/" + hook_delivery + "/redeliver", "");
  });
}

void AddWebhookCommands(CLI::App& app, Session& session) {
  auto* hooks = app.add_subcommand("webhooks", "Webhook endpoints and their delivery log")
                    ->require_subcommand(1);
  auto hooks_base = HooksBase;
  auto* hooks_list = hooks->add_subcommand(
      "list", "List endpoints: a brand's (--brand) or the SLA side's (default)");
  hooks_list->add_option("--brand", hook_brand, "Brand id (brand_…)");
  hooks_list->callback([&, hooks_base] {
    session.exit_code = session.List(
        hooks_base(), {},
        {{"ID", "id"}, {"URL", "url"}, {"ENABLED", "enabled"}, {"CREATED", "created_at"}});
  });
  auto* hook_log = hooks->add_subcommand(
      "deliveries", "An endpoint's deliveries, newest first, with the receiver's answers");
  hook_log->add_option("WEBHOOK_ID", hook_id, "The endpoint's id (whk_…)")->required();
  hook_log->add_option("--brand", hook_brand, "Brand id, for a brand's endpoint");
  hook_log->callback([&, hooks_base] {
    session.exit_code = session.List(hooks_base() + "/" + hook_id + "/deliveries", {},
                                     {{"ID", "id"},
                                      {"EVENT", "event_type"},
                                      {"STATUS", "status"},
                                      {"ATTEMPTS", "attempts"},
                                      {"HTTP", "response_status"},
                                      {"ERROR", "error"}});
  });
  AddWebhookEditCommands(hooks, session, hooks_base);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"rapport - command-line client for the Rapport report service"};
  app.set_version_flag("--version", std::string("rapport ") + RAPPORT_VERSION);
  app.require_subcommand(1);
  Session session;
  session.server = EnvOr("RAPPORT_URL", "http://127.0.0.1:8080");
  session.token = EnvOr("RAPPORT_TOKEN", "");
  app.add_option("--server", session.server, "Server base URL [env RAPPORT_URL]");
  app.add_option("--token", session.token, "Bearer token [env RAPPORT_TOKEN]");
  app.add_flag("--json", session.json_output, "Print raw JSON responses (for scripts)");
  // Global options may follow the command too (`rapport sites list --json`), as in gh and
  // kubectl: a command passes options it does not know to its parents. A command's own option of
  // the same name would win; `--` still ends options. Both settings are inherited by every
  // command added below, so they come first.
  app.fallthrough();
  app.footer(
      "Global options --server, --token and --json may go anywhere on the command line, before\n"
      "or after the command: rapport --json sites list = rapport sites list --json.");

  AddTokenCommands(app, session);
  AddBrandCommands(app, session);
  AddSiteCommands(app, session);
  AddSchedulePreviewCommand(app, session);
  AddResourceCommands(app, session);
  AddFaultCommands(app, session);  // after the resources: adds `faults import`
  AddRunCommands(app, session);
  AddAdminCommands(app, session);
  AddUserCommands(app, session);
  AddApiTokenCommands(app, session);

  AddApiCommand(app, session);
  AddReportCommands(app, session);
  AddWebhookCommands(app, session);

  app.add_subcommand("health", "Check that the server is up and ready")->callback([&] {
    session.exit_code = session.Show("GET", "/readyz", "");
  });

  static std::string demo_tenant = "demo";
  auto* demo = app.add_subcommand("demo", "Load the demo data set (idempotent)");
  demo->add_option("--tenant", demo_tenant, "Only used in the summary line");
  demo->callback([&] { session.exit_code = LoadDemo(session); });

  AddCompletionCommand(app, session);  // last: it lists every command added before

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return session.exit_code;
}

}  // namespace rapport::cli
