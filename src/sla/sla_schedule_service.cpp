#include <rapport/sla/sla_schedule_service.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/reports/retention.hpp>
#include <rapport/sla/sla_cadence.hpp>
#include <rapport/sla/uptime.hpp>

#include "sla_attachments.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <boost/json.hpp>

#include <functional>
#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

std::optional<int> ReadDayOfWeek(BodyReader& reader) {
  const auto* v = reader.object().if_contains("day_of_week");
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64() && v->as_int64() >= 0 && v->as_int64() <= 6) {
    return static_cast<int>(v->as_int64());
  }
  if (v->is_string()) {
    if (auto day = ParseWeekdayName(v->as_string())) return day;
  }
  reader.AddProblem("day_of_week", "must be a day name, sunday to saturday (or 0-6, 0 = Sunday)",
                    "enum");
  return std::nullopt;
}

std::optional<std::string> ReadEnum(BodyReader& reader, std::string_view key,
                                    std::initializer_list<std::string_view> allowed) {
  auto value = reader.String(key, {});
  if (!value) return std::nullopt;
  for (auto a : allowed) {
    if (*value == a) return value;
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  reader.AddProblem(key, "must be one of " + list, "enum");
  return std::nullopt;
}

bool LooksLikeEmail(std::string_view s) {
  auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos &&
         s.find_first_of(" \t\r\n,;<>") == std::string_view::npos &&
         s.find('.', at) != std::string_view::npos;
}

// Today's date in `timezone` as days since the epoch.
int64_t LocalToday(const std::string& timezone, UnixMs now) {
  auto zoned = date::make_zoned(
      timezone, date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now)));
  return date::floor<date::days>(zoned.get_local_time()).time_since_epoch().count();
}

json::array PairsToJson(const std::vector<std::pair<std::string, std::string>>& pairs,
                        const char* second) {
  json::array out;
  for (const auto& [k, v] : pairs) out.push_back(json::object{{"key", k}, {second, v}});
  return out;
}

json::array StringsToJson(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

// Records a problem for every member of the body that is not a schedule setting.
void RejectUnknownSettings(BodyReader& reader) {
  reader.RejectUnknown({"name",
                        "report_retention_days",
                        "disabled",
                        "daily",
                        "weekly",
                        "monthly",
                        "day_of_week",
                        "day_of_month",
                        "sla_target",
                        "show_only_breached_sites_in_pdf",
                        "calculate_sla_within_schedule_hours",
                        "business_hours_id",
                        "site_selection_mode",
                        "site_selection_logic",
                        "site_selection_rules",
                        "grouping_rules",
                        "sites",
                        "recipients",
                        "timezone",
                        "ignore_power_outages",
                        "notification_group",
                        "missed_runs",
                        "attachments"});
}

// The schedule's name and its on/off settings.
void ReadNameAndFlags(BodyReader& reader, SlaScheduleSpec& s) {
  if (auto v = reader.String("name", {.required = true, .min_length = 1, .max_length = 200})) {
    s.name = *v;
  }
  auto flag = [&](const char* key, bool& out) {
    if (auto v = reader.Bool(key, false)) out = *v;
  };
  flag("disabled", s.disabled);
  flag("daily", s.daily);
  flag("weekly", s.weekly);
  flag("monthly", s.monthly);
  flag("show_only_breached_sites_in_pdf", s.show_only_breached_sites_in_pdf);
  flag("calculate_sla_within_schedule_hours", s.calculate_sla_within_schedule_hours);
  flag("ignore_power_outages", s.ignore_power_outages);
}

// The day of the week and of the month, each required by the cadence that runs on it.
void ReadCadenceDays(BodyReader& reader, SlaScheduleSpec& s) {
  s.day_of_week = ReadDayOfWeek(reader);
  if (reader.Has("day_of_month") && !reader.IsNull("day_of_month")) {
    if (auto v = reader.Int("day_of_month", false, 1, 28)) s.day_of_month = static_cast<int>(*v);
  }
  if (s.weekly && !s.day_of_week && !reader.Has("day_of_week")) {
    reader.AddProblem("day_of_week", "required when weekly is true", "missing");
  }
  if (s.monthly && !s.day_of_month && !reader.Has("day_of_month")) {
    reader.AddProblem("day_of_month", "required when monthly is true", "missing");
  }
}

// The SLA target: a number from 75 to 100.
void ReadSlaTarget(BodyReader& reader, SlaScheduleSpec& s) {
  if (const auto* v = reader.object().if_contains("sla_target")) {
    if (!v->is_number()) {
      reader.AddProblem("sla_target", "must be a number", "float_type");
    } else if (double t = v->to_number<double>(); t < 75.0 || t > 100.0) {
      reader.AddProblem("sla_target", "must be between 75 and 100", "out_of_range");
    } else {
      s.sla_target = t;
    }
  }
}

// The time zone: a known IANA name.
void ReadTimezone(BodyReader& reader, SlaScheduleSpec& s) {
  if (auto tz = reader.String("timezone", {.required = true, .min_length = 1})) {
    if (IsKnownTimeZone(*tz)) {
      s.timezone = *tz;
    } else {
      reader.AddProblem("timezone", "must be an IANA time zone such as \"Europe/London\"",
                        "timezone");
    }
  }
}

// The business hours the SLA is computed within (`exists`: the tenant has hours of that id),
// required when the SLA is computed within them.
void ReadBusinessHours(BodyReader& reader, SlaScheduleSpec& s,
                       const std::function<bool(const std::string& id)>& exists) {
  if (auto v = reader.String("business_hours_id", {.nullable = true})) {
    if (IsValidId(*v, "sch") && exists(*v)) {
      s.business_hours_id = *v;
    } else {
      reader.AddProblem("business_hours_id", "must be the id of one of your business hours",
                        "unknown_business_hours");
    }
  }
  if (s.calculate_sla_within_schedule_hours && !s.business_hours_id &&
      !reader.Has("business_hours_id")) {
    reader.AddProblem("business_hours_id",
                      "required when calculate_sla_within_schedule_hours is true", "missing");
  }
}

// The site selection mode and logic, and what happens to missed runs.
void ReadChoices(BodyReader& reader, SlaScheduleSpec& s) {
  if (auto v = ReadEnum(reader, "site_selection_mode", {"manual", "tags"})) {
    s.site_selection_mode = *v;
  }
  if (auto v = ReadEnum(reader, "site_selection_logic", {"and", "or"})) {
    s.site_selection_logic = *v;
  }
  if (auto v = ReadEnum(reader, "missed_runs", {"skip", "once", "all"})) s.missed_runs = *v;
}

// The tag rules that select sites and those that group them.
void ReadRules(BodyReader& reader, SlaScheduleSpec& s) {
  reader.ObjectList("site_selection_rules", 20, false, [&](BodyReader& item, size_t) {
    item.RejectUnknown({"key", "value"});
    auto key = item.String("key", {.required = true, .min_length = 1, .max_length = 64});
    auto value = item.String("value", {.required = true, .max_length = 256});
    if (key && value) s.site_selection_rules.emplace_back(*key, *value);
  });
  reader.ObjectList("grouping_rules", 10, false, [&](BodyReader& item, size_t) {
    item.RejectUnknown({"key", "aggregation"});
    auto key = item.String("key", {.required = true, .min_length = 1, .max_length = 64});
    if (!item.Has("aggregation")) item.AddProblem("aggregation", "field required", "missing");
    auto aggregation = ReadEnum(item, "aggregation", {"avg", "min", "max"});
    if (key && aggregation) s.grouping_rules.emplace_back(*key, *aggregation);
  });
}

// The manual list of sites, each one of the tenant's (`all_sites`), repeats dropped. Fails only
// when the tenant's sites cannot be read.
Status ReadSites(BodyReader& reader, SlaScheduleSpec& s,
                 const std::function<Result<std::vector<Site>>()>& all_sites) {
  if (auto sites = reader.StringList("sites", 10'000, {.min_length = 1, .max_length = 64})) {
    auto all = all_sites();
    if (!all.ok()) return all.error();
    std::set<std::string> known;
    for (const auto& site : *all) known.insert(site.id);
    std::set<std::string> seen;
    for (size_t i = 0; i < sites->size(); ++i) {
      const auto& id = (*sites)[i];
      if (!known.contains(id)) {
        reader.AddProblem("sites." + std::to_string(i), "must be the id of one of your sites",
                          "unknown_site");
      } else if (seen.insert(id).second) {
        s.sites.push_back(id);
      }
    }
  }
  return Ok{};
}

// Who hears of the reports: the recipients' email addresses and the notification group.
void ReadRecipients(BodyReader& reader, SlaScheduleSpec& s) {
  if (auto recipients = reader.StringList("recipients", 50, {.min_length = 3, .max_length = 254})) {
    for (size_t i = 0; i < recipients->size(); ++i) {
      if (LooksLikeEmail((*recipients)[i])) {
        s.recipients.push_back((*recipients)[i]);
      } else {
        reader.AddProblem("recipients." + std::to_string(i), "must be an email address", "email");
      }
    }
  }
  if (auto v = reader.String("notification_group", {.max_length = 200, .nullable = true})) {
    s.notification_group = *v;
  }
}

// Once every field is valid: the selection mode has something to select from.
void CheckSelection(BodyReader& reader, const SlaScheduleSpec& s) {
  if (s.site_selection_mode == "manual" && s.sites.empty()) {
    reader.AddProblem("sites", "must list at least one site when site_selection_mode is manual",
                      "too_short");
  }
  if (s.site_selection_mode == "tags" && s.site_selection_rules.empty()) {
    reader.AddProblem("site_selection_rules",
                      "must hold at least one rule when site_selection_mode is tags", "too_short");
  }
}

}  // namespace

json::object SpecToJson(const SlaScheduleSpec& s) {
  auto opt_string = [](const std::optional<std::string>& v) -> json::value {
    return v ? json::value(*v) : json::value(nullptr);
  };
  return json::object{
      {"name", s.name},
      {"report_retention_days", RetentionDaysJson(s.report_retention_days)},
      {"disabled", s.disabled},
      {"daily", s.daily},
      {"weekly", s.weekly},
      {"monthly", s.monthly},
      {"day_of_week",
       s.day_of_week ? json::value(WeekdayName(*s.day_of_week)) : json::value(nullptr)},
      {"day_of_month", s.day_of_month ? json::value(*s.day_of_month) : json::value(nullptr)},
      {"sla_target", s.sla_target},
      {"show_only_breached_sites_in_pdf", s.show_only_breached_sites_in_pdf},
      {"calculate_sla_within_schedule_hours", s.calculate_sla_within_schedule_hours},
      {"business_hours_id", opt_string(s.business_hours_id)},
      {"site_selection_mode", s.site_selection_mode},
      {"site_selection_logic", s.site_selection_logic},
      {"site_selection_rules", PairsToJson(s.site_selection_rules, "value")},
      {"grouping_rules", PairsToJson(s.grouping_rules, "aggregation")},
      {"sites", StringsToJson(s.sites)},
      {"recipients", StringsToJson(s.recipients)},
      {"timezone", s.timezone},
      {"ignore_power_outages", s.ignore_power_outages},
      {"notification_group", opt_string(s.notification_group)},
      {"missed_runs", s.missed_runs},
      {"attachments", StringsToJson(s.attachments)}};
}

SlaScheduleSpec SpecFromJson(const std::string& settings) {
  // The parsed tree lives only during this call: a stack buffer (spilling to the heap for large
  // settings) instead of an allocation per node and string. The scheduler parses per firing.
  unsigned char buffer[4096];
  json::monotonic_resource memory(buffer, sizeof buffer);
  json::value parsed = json::parse(settings, &memory);
  const json::object& o = parsed.as_object();
  SlaScheduleSpec s;
  auto str = [&](const char* k) { return std::string(o.at(k).as_string()); };
  auto opt_str = [&](const char* k) -> std::optional<std::string> {
    const auto& v = o.at(k);
    if (v.is_null()) return std::nullopt;
    return std::string(v.as_string());
  };
  s.name = str("name");
  s.report_retention_days = RetentionDaysIn(o);
  s.disabled = o.at("disabled").as_bool();
  s.daily = o.at("daily").as_bool();
  s.weekly = o.at("weekly").as_bool();
  s.monthly = o.at("monthly").as_bool();
  if (auto day = opt_str("day_of_week")) s.day_of_week = ParseWeekdayName(*day);
  if (!o.at("day_of_month").is_null()) {
    s.day_of_month = static_cast<int>(o.at("day_of_month").as_int64());
  }
  s.sla_target = o.at("sla_target").to_number<double>();
  s.show_only_breached_sites_in_pdf = o.at("show_only_breached_sites_in_pdf").as_bool();
  s.calculate_sla_within_schedule_hours = o.at("calculate_sla_within_schedule_hours").as_bool();
  s.business_hours_id = opt_str("business_hours_id");
  s.site_selection_mode = str("site_selection_mode");
  s.site_selection_logic = str("site_selection_logic");
  for (const auto& r : o.at("site_selection_rules").as_array()) {
    s.site_selection_rules.emplace_back(r.at("key").as_string(), r.at("value").as_string());
  }
  for (const auto& r : o.at("grouping_rules").as_array()) {
    s.grouping_rules.emplace_back(r.at("key").as_string(), r.at("aggregation").as_string());
  }
  for (const auto& v : o.at("sites").as_array()) s.sites.emplace_back(v.as_string());
  for (const auto& v : o.at("recipients").as_array()) s.recipients.emplace_back(v.as_string());
  s.timezone = str("timezone");
  s.ignore_power_outages = o.at("ignore_power_outages").as_bool();
  s.notification_group = opt_str("notification_group");
  s.missed_runs = str("missed_runs");
  s.attachments = AttachmentsFromJson(o);
  return s;
}

SlaCadence CadenceOf(const SlaScheduleSpec& spec) {
  SlaCadence c;
  c.daily = spec.daily;
  c.weekly = spec.weekly;
  c.monthly = spec.monthly;
  c.day_of_week = spec.day_of_week.value_or(1);
  c.day_of_month = spec.day_of_month.value_or(1);
  c.timezone = spec.timezone;
  return c;
}

std::optional<UnixMs> NextSlaRunAt(const SlaScheduleSpec& spec, UnixMs after) {
  if (spec.disabled || !(spec.daily || spec.weekly || spec.monthly)) return std::nullopt;
  auto runs = PreviewSla(CadenceOf(spec), after, 1);
  if (!runs.ok() || runs->empty()) return std::nullopt;
  return runs->front().run_at;
}

Result<SlaScheduleSpec> SlaScheduleService::Validate(const std::string& tenant_id,
                                                     const json::object& body) {
  BodyReader reader(body, "body");
  RejectUnknownSettings(reader);
  SlaScheduleSpec s;
  ReadNameAndFlags(reader, s);
  ReadRetentionDays(reader, s.report_retention_days);
  ReadCadenceDays(reader, s);
  ReadSlaTarget(reader, s);
  ReadTimezone(reader, s);
  ReadBusinessHours(reader, s, [&](const std::string& id) {
    return stores_.hours.GetBusinessHours(tenant_id, id).ok();
  });
  ReadChoices(reader, s);
  ReadRules(reader, s);
  RAPPORT_CHECK(ReadSites(reader, s, [&] { return stores_.sites.AllSites(tenant_id); }));
  ReadRecipients(reader, s);
  s.attachments = ReadAttachments(reader);
  if (reader.ok()) CheckSelection(reader, s);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return s;
}

Result<SlaSchedule> SlaScheduleService::Create(const std::string& tenant_id,
                                               const json::object& body) {
  RAPPORT_TRY(SlaScheduleSpec spec, Validate(tenant_id, body));
  SlaSchedule s;
  s.tenant_id = tenant_id;
  s.created_at = s.updated_at = clock_.NowMs();
  s.id = NewIdAt("sla", s.created_at);
  s.name = spec.name;
  s.disabled = spec.disabled;
  s.timezone = spec.timezone;
  s.settings = ToJson(SpecToJson(spec));
  s.next_run_at = NextSlaRunAt(spec, s.created_at);
  RAPPORT_CHECK(stores_.schedules.InsertSlaSchedule(s));
  return s;
}

Result<SlaSchedule> SlaScheduleService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "sla")) return Error::NotFound("Schedule");
  return stores_.schedules.GetSlaSchedule(tenant_id, id);
}

Result<Page<SlaSchedule>> SlaScheduleService::List(const std::string& tenant_id,
                                                   const PageRequest& page) {
  return stores_.schedules.ListSlaSchedules(tenant_id, page);
}

Result<SlaSchedule> SlaScheduleService::Replace(const std::string& tenant_id, const std::string& id,
                                                const json::object& body) {
  RAPPORT_TRY(SlaSchedule s, Get(tenant_id, id));
  RAPPORT_TRY(SlaScheduleSpec spec, Validate(tenant_id, body));
  SlaScheduleSpec before = SpecFromJson(s.settings);
  s.updated_at = clock_.NowMs();
  s.name = spec.name;
  s.disabled = spec.disabled;
  s.timezone = spec.timezone;
  s.settings = ToJson(SpecToJson(spec));
  // A changed cadence starts from now; an unchanged one keeps its planned run.
  bool same_cadence = before.daily == spec.daily && before.weekly == spec.weekly &&
                      before.monthly == spec.monthly && before.day_of_week == spec.day_of_week &&
                      before.day_of_month == spec.day_of_month &&
                      before.timezone == spec.timezone && before.disabled == spec.disabled;
  if (!same_cadence || !s.next_run_at) s.next_run_at = NextSlaRunAt(spec, s.updated_at);
  RAPPORT_CHECK(stores_.schedules.UpdateSlaSchedule(s));
  return Get(tenant_id, id);
}

Status SlaScheduleService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "sla")) return Error::NotFound("Schedule");
  return stores_.schedules.DeleteSlaSchedule(tenant_id, id);
}

Result<Job> SlaScheduleService::RunOnDemand(const std::string& tenant_id, const std::string& id,
                                            const json::object& body,
                                            const std::string& request_key) {
  RAPPORT_TRY(SlaSchedule schedule, Get(tenant_id, id));
  UnixMs now = clock_.NowMs();
  BodyReader reader(body, "body");  // other keys are ignored: seed 002's schema allows them
  auto from = reader.String("from_date", {.required = true});
  auto to = reader.String("to_date", {.required = true});
  // Days since the epoch; -1 while absent or malformed.
  int64_t from_day = from ? ParseDate(*from).value_or(-1) : -1;
  int64_t to_day = to ? ParseDate(*to).value_or(-1) : -1;
  if (from && from_day < 0) {
    reader.AddProblem("from_date", "must be a date in YYYY-MM-DD format", "date_parsing");
  }
  if (to && to_day < 0) {
    reader.AddProblem("to_date", "must be a date in YYYY-MM-DD format", "date_parsing");
  }
  if (from_day >= 0 && to_day >= 0) {
    int64_t today = LocalToday(schedule.timezone, now);
    if (from_day >= to_day) {
      reader.AddProblem("from_date", "must be before to_date", "date_order");
    } else if (to_day > today) {
      reader.AddProblem(
          "to_date",
          "must be before tomorrow in the schedule's time zone (" + schedule.timezone + ")",
          "date_in_future");
    }
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kValidation, reader.problems());
  if (!request_key.empty()) {  // a retry of a request whose process died after enqueueing
    RAPPORT_TRY(std::optional<Job> earlier,
                stores_.jobs.FindJobByRequestKey(tenant_id, request_key));
    if (earlier) return *std::move(earlier);
  }

  RAPPORT_CHECK(CheckQueueRoom(stores_.jobs, tenant_id, limits_.per_tenant, limits_.total));
  auto [run, job] = NewOnDemandRun(
      tenant_id, schedule.id, {std::string(kSlaReportJobKind), "Report is being generated.", ""},
      *from, *to, request_key, now);
  job.payload = json::serialize(json::object{{"schedule_id", schedule.id},
                                             {"run_id", run.id},
                                             {"trigger", run.trigger},
                                             {"from_date", run.from_date},
                                             {"to_date", run.to_date}});
  RAPPORT_CHECK(stores_.runs.EnqueueScheduleRun(run, job));
  return job;
}

Result<Page<ScheduleRun>> SlaScheduleService::Runs(const std::string& tenant_id,
                                                   const std::string& id, const PageRequest& page) {
  RAPPORT_TRY(SlaSchedule schedule, Get(tenant_id, id));
  return stores_.runs.ListScheduleRuns(tenant_id, schedule.id, page);
}

}  // namespace rapport
