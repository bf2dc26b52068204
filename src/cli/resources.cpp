#include "resources.hpp"

#include "cli.hpp"
#include "output.hpp"

#include <CLI/CLI.hpp>

#include <deque>
#include <string>
#include <vector>

namespace rapport::cli {
namespace {

// A GET-only list under one resource, e.g. a schedule's runs.
struct Child {
  const char* name;
  const char* suffix;  // appended to <path>/<id>
  const char* help;
  std::vector<Column> columns = {};  // empty: ID, STATUS, CREATED
};

// Any other operation: METHOD <path>[/<ID>]<suffix>[/<ARG><tail>], with or without a body.
struct Action {
  const char* name;
  const char* method;
  const char* help;
  bool takes_id;       // the resource's ID comes first
  const char* suffix;  // appended to <path>/<ID> (or to <path> without an ID)
  const char* arg;     // a second positional, appended after `suffix` (nullptr: none)
  const char* tail;    // appended after the second positional
  bool takes_data;     // --data JSON body
};

struct Resource {
  const char* name;
  const char* help;
  const char* path;
  bool create;
  const char* update_method;  // "PATCH", "PUT" or nullptr
  const char* delete_name;    // "delete", "cancel" (jobs) or nullptr
  std::vector<Column> columns;
  std::vector<Child> children;
  std::vector<Action> actions = {};
};

const std::vector<Resource>& Resources() {
  static const std::vector<Resource> table = {
      {"faults",
       "Faults, the input of SLA reports (/faults)",
       "/faults",
       true,
       "PATCH",
       nullptr,
       {{"ID", "id"},
        {"RESOURCE", "resource_id"},
        {"SEVERITY", "severity"},
        {"STATUS", "status"},
        {"CREATED", "created_at"},
        {"RESOLVED", "resolved_at"}},
       {},
       {{"bulk", "POST", "Create up to 10,000 faults at once, all or nothing: {\"faults\":[…]}",
         false, "/bulk", nullptr, "", true}}},
      {"business-hours",
       "Business hours for SLA schedules (/business-hours)",
       "/business-hours",
       true,
       "PUT",
       "delete",
       {{"ID", "id"}, {"NAME", "name"}, {"TIMEZONE", "timezone"}},
       {}},
      {"maintenance-windows",
       "Maintenance windows left out of SLA uptime (/maintenance-windows)",
       "/maintenance-windows",
       true,
       "PATCH",
       "delete",
       {{"ID", "id"}, {"NAME", "name"}, {"TYPE", "type"}, {"TIMEZONE", "timezone"}},
       {}},
      {"sla-schedules",
       "SLA report schedules (/reports/sla/schedules)",
       "/reports/sla/schedules",
       true,
       "PUT",
       "delete",
       {{"ID", "id"},
        {"NAME", "name"},
        {"TIMEZONE", "timezone"},
        {"NEXT RUN", "next_run_at"},
        {"LAST STATUS", "last_run_status"}},
       {{"runs", "/runs", "A schedule's runs, newest first"}}},
      {"sla-reports",
       "Generated SLA reports (/reports/sla/reports)",
       "/reports/sla/reports",
       false,
       nullptr,
       "delete",
       {{"ID", "id"},
        {"SCHEDULE", "schedule_id"},
        {"FROM", "from_date"},
        {"TO", "to_date"},
        {"UPTIME %", "uptime_percentage"}},
       {{"deliveries", "/deliveries", "A report's e-mail deliveries"}},
       {{"resend", "POST", "E-mail the stored PDF again to one delivery's recipient", true,
         "/deliveries", "DELIVERY_ID", "/resend", false}}},
      {"region-configs",
       "Brand report region configs (/v1/region-configs)",
       "/v1/region-configs",
       true,
       "PATCH",
       "delete",
       {{"ID", "id"},
        {"NAME", "name"},
        {"COUNTRY", "country"},
        {"CODE", "country_code"},
        {"LANGUAGE", "language_code"},
        {"PLATFORMS", "ai_platforms"},
        {"SAMPLES", "samples_per_prompt"}},
       {{"prompts", "/prompts", "A region config's prompts"}},
       {{"add-prompts", "POST", "Add prompts: {\"prompts\":[{\"prompt_text\":…}]}", true,
         "/prompts", nullptr, "", true},
        {"update-prompt", "PATCH", "Change a prompt (prompt_text, category, is_enabled)", true,
         "/prompts", "PROMPT_ID", "", true},
        {"delete-prompt", "DELETE", "Delete a prompt", true, "/prompts", "PROMPT_ID", "", false}}},
      {"brand-schedules",
       "Brand report schedules (/v1/scheduled-reports)",
       "/v1/scheduled-reports",
       true,
       "PATCH",
       "delete",
       {{"ID", "id"},
        {"BRAND", "brand_id"},
        {"NAME", "name"},
        {"FREQUENCY", "frequency"},
        {"SAMPLES", "samples_per_prompt"},
        {"NEXT RUN", "next_run_at"}},
       {{"runs", "/runs", "A schedule's runs, newest first"},
        {"region-configs", "/region-configs", "The region configs a schedule runs"}},
       {{"attach", "POST", "Make the schedule run a region config", true, "/region-configs",
         "CONFIG_ID", "", false},
        {"analytics", "GET", "Visibility over the schedule's runs, per region", true, "/analytics",
         nullptr, "", false}}},
      {"brand-reports",
       "Generated brand reports (/v1/reports)",
       "/v1/reports",
       false,
       nullptr,
       "delete",
       {{"ID", "id"},
        {"BRAND", "brand_id"},
        {"REGION", "region_config_id"},
        {"SCORE", "visibility_score"},
        {"CREATED", "created_at"}},
       {{"prompts",
         "/prompts",
         "A report's prompts with their per-platform results",
         {{"PROMPT", "prompt_id"}, {"CATEGORY", "category"}, {"TEXT", "prompt_text"}}}},
       {{"summary", "GET", "The report without its per-prompt answers", true, "/summary", nullptr,
         "", false}}},
      {"jobs",
       "Jobs: every report is produced by one (/v1/jobs)",
       "/v1/jobs",
       false,
       nullptr,
       "cancel",
       {{"ID", "id"},
        {"KIND", "kind"},
        {"STATUS", "status"},
        {"PROGRESS", "progress_pct"},
        {"ATTEMPTS", "attempts"},
        {"CREATED", "created_at"}},
       {}},
  };
  return table;
}

// Per-command option storage: CLI11 keeps pointers into it, so it must not move.
struct Options {
  ListOptions list;
  std::string id;
  std::string arg;
  std::string data;
};

// A resource's own actions (`rapport brand-schedules attach …`) and its children's lists.
void AddActionsAndChildren(CLI::App* cmd, Session& session, const Resource& r, Options& o,
                           const std::string& path) {
  for (const Action& action : r.actions) {
    auto* sub = cmd->add_subcommand(action.name, action.help);
    if (action.takes_id) sub->add_option("ID", o.id)->required();
    if (action.arg != nullptr) sub->add_option(action.arg, o.arg)->required();
    if (action.takes_data) {
      sub->add_option("--data,-d", o.data, "JSON body, @FILE, or - for standard input")->required();
    }
    sub->callback([&session, &o, path, &action] {
      std::string target = path + (action.takes_id ? "/" + o.id : "") + action.suffix;
      if (action.arg != nullptr) target += "/" + o.arg + action.tail;
      session.exit_code = action.takes_data ? SendBody(session, action.method, target, o.data)
                                            : session.Show(action.method, target, "");
    });
  }
  for (const Child& child : r.children) {
    auto* sub = cmd->add_subcommand(child.name, child.help);
    sub->add_option("ID", o.id)->required();
    sub->add_option("--limit", o.list.limit, "Page size");
    sub->add_option("--cursor", o.list.cursor, "Cursor from a previous page");
    std::string suffix = child.suffix;
    std::vector<Column> columns = child.columns;
    if (columns.empty()) columns = {{"ID", "id"}, {"STATUS", "status"}, {"CREATED", "created_at"}};
    sub->callback([&session, &o, path, suffix, columns] {
      session.exit_code = session.List(path + "/" + o.id + suffix, o.list, columns);
    });
  }
}

void AddResource(CLI::App& app, Session& session, const Resource& r, Options& o) {
  auto* cmd = app.add_subcommand(r.name, r.help)->require_subcommand(1);
  std::string path = r.path;
  auto* list = cmd->add_subcommand("list", "List, newest first");
  list->add_option("--limit", o.list.limit, "Page size");
  list->add_option("--cursor", o.list.cursor, "Cursor from a previous page");
  list->add_option("--filter", o.list.filters,
                   "KEY=VALUE query filter (repeatable), e.g. --filter status=pending");
  list->callback(
      [&session, &o, &r] { session.exit_code = session.List(r.path, o.list, r.columns); });

  auto* get = cmd->add_subcommand("get", "Show one");
  get->add_option("ID", o.id)->required();
  get->callback(
      [&session, &o, path] { session.exit_code = session.Show("GET", path + "/" + o.id, ""); });

  if (r.create) {
    auto* create = cmd->add_subcommand("create", "Create one from a JSON body");
    create->add_option("--data,-d", o.data, "JSON body, @FILE, or - for standard input")
        ->required();
    create->callback(
        [&session, &o, path] { session.exit_code = SendBody(session, "POST", path, o.data); });
  }
  if (r.update_method) {
    std::string method = r.update_method;
    auto* update = cmd->add_subcommand(
        "update", method == "PUT" ? "Replace one with a JSON body (PUT)"
                                  : "Change the fields a JSON body names (PATCH)");
    update->add_option("ID", o.id)->required();
    update->add_option("--data,-d", o.data, "JSON body, @FILE, or - for standard input")
        ->required();
    update->callback([&session, &o, path, method] {
      session.exit_code = SendBody(session, method, path + "/" + o.id, o.data);
    });
  }
  if (r.delete_name) {
    auto* del = cmd->add_subcommand(r.delete_name, std::string(r.delete_name) == "cancel"
                                                       ? "Cancel one (a running job stops at its "
                                                         "next step)"
                                                       : "Delete one");
    del->add_option("ID", o.id)->required();
    del->callback([&session, &o, path] {
      session.exit_code = session.Show("DELETE", path + "/" + o.id, "");
    });
  }
  AddActionsAndChildren(cmd, session, r, o, path);
}

}  // namespace

void AddResourceCommands(CLI::App& app, Session& session) {
  static std::deque<Options> options;  // stable addresses
  for (const Resource& r : Resources()) AddResource(app, session, r, options.emplace_back());
}

}  // namespace rapport::cli
