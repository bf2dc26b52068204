#include <rapport/sla/sla_report.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/sla/business_hours_service.hpp>
#include <rapport/sla/uptime.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr int64_t kSitesPerStep = 500;

json::object TagsToJson(const std::map<std::string, std::string>& tags) {
  json::object out;
  for (const auto& [k, v] : tags) out[k] = v;
  return out;
}

struct SiteRow {
  const Site* site;
  SiteUptime uptime;
};

double Aggregate(const std::string& aggregation, const std::vector<double>& values) {
  if (aggregation == "min") return *std::min_element(values.begin(), values.end());
  if (aggregation == "max") return *std::max_element(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

json::array GroupRows(const SlaScheduleSpec& spec, const std::vector<SiteRow>& rows) {
  json::array out;
  for (const auto& [key, aggregation] : spec.grouping_rules) {
    std::map<std::string, std::vector<const SiteRow*>> groups;  // ordered by tag value
    for (const auto& row : rows) {
      auto tag = row.site->tags.find(key);
      if (tag != row.site->tags.end()) groups[tag->second].push_back(&row);
    }
    for (const auto& [value, members] : groups) {
      std::vector<double> uptimes;
      int64_t breached = 0;
      for (const auto* m : members) {
        uptimes.push_back(m->uptime.uptime_percentage);
        breached += m->uptime.breached ? 1 : 0;
      }
      double uptime = RoundPercent(Aggregate(aggregation, uptimes));
      json::array ids;
      for (const auto* m : members) ids.emplace_back(m->site->id);
      out.push_back(json::object{{"key", key},
                                 {"value", value},
                                 {"aggregation", aggregation},
                                 {"uptime_percentage", uptime},
                                 {"site_count", static_cast<int64_t>(members.size())},
                                 {"breached_site_count", breached},
                                 {"breached", uptime < spec.sla_target},
                                 {"site_ids", std::move(ids)}});
    }
  }
  return out;
}

}  // namespace

std::vector<Site> SelectSites(const SlaScheduleSpec& spec, const std::vector<Site>& all) {
  std::vector<Site> out;
  if (spec.site_selection_mode == "manual") {
    std::unordered_map<std::string, const Site*> by_id;
    for (const auto& s : all) by_id.emplace(s.id, &s);
    for (const auto& id : spec.sites) {
      if (auto it = by_id.find(id); it != by_id.end()) out.push_back(*it->second);
    }
    return out;
  }
  bool need_all = spec.site_selection_logic == "and";
  for (const auto& s : all) {
    int matched = 0;
    for (const auto& [key, value] : spec.site_selection_rules) {
      auto tag = s.tags.find(key);
      if (tag != s.tags.end() && tag->second == value) ++matched;
    }
    bool selected =
        need_all ? matched == static_cast<int>(spec.site_selection_rules.size()) : matched > 0;
    if (selected) out.push_back(s);
  }
  return out;
}

Result<json::object> BuildSlaReport(
    Store& store, const SlaReportRequest& request, UnixMs now,
    const std::function<bool(std::string step, int64_t done, int64_t total)>& progress) {
  auto stopped = [] { return Error(ErrorCode::kConflict, "stopped"); };
  RAPPORT_TRY(SlaSchedule schedule, store.GetSlaSchedule(request.tenant_id, request.schedule_id));
  SlaScheduleSpec spec = SpecFromJson(schedule.settings);
  RAPPORT_TRY(Interval window, ReportWindow(request.from_date, request.to_date, spec.timezone));
  std::vector<Interval> monitored{window};
  if (spec.calculate_sla_within_schedule_hours && spec.business_hours_id) {
    RAPPORT_TRY(BusinessHours hours,
                store.GetBusinessHours(request.tenant_id, *spec.business_hours_id));
    RAPPORT_TRY(monitored, BusinessHoursWithin(window, OpeningHoursOf(hours), hours.timezone));
  }
  RAPPORT_TRY(std::vector<Site> all, store.AllSites(request.tenant_id));
  std::vector<Site> sites = SelectSites(spec, all);
  auto total = static_cast<int64_t>(sites.size());
  if (!progress("loading faults", 0, total)) return stopped();

  UptimeRules rules{.ignore_power_outages = spec.ignore_power_outages,
                    .sla_target = spec.sla_target};
  std::vector<SiteRow> rows;
  rows.reserve(sites.size());
  for (size_t begin = 0; begin < sites.size(); begin += kSitesPerStep) {
    size_t end = std::min(sites.size(), begin + kSitesPerStep);
    std::vector<std::string> ids;
    for (size_t i = begin; i < end; ++i) ids.push_back(sites[i].id);
    RAPPORT_TRY(std::vector<Fault> faults,
                store.FaultsInWindow(request.tenant_id, ids, "site", window.start, window.end));
    std::unordered_map<std::string, std::vector<FaultSpan>> by_site;
    for (auto& f : faults) {
      by_site[f.resource_id].push_back(
          FaultSpan{f.created_at, f.resolved_at, std::move(f.type), std::move(f.cause)});
    }
    for (size_t i = begin; i < end; ++i) {
      rows.push_back(
          {&sites[i], ComputeSiteUptime(by_site[sites[i].id], monitored, window.end, now, rules)});
    }
    if (!progress("computing uptime", static_cast<int64_t>(end), total)) return stopped();
  }

  json::array site_rows;
  double sum = 0;
  int64_t breached = 0;
  for (const auto& r : rows) {
    sum += r.uptime.uptime_percentage;
    breached += r.uptime.breached ? 1 : 0;
    site_rows.push_back(json::object{{"site_id", r.site->id},
                                     {"site_name", r.site->name},
                                     {"tags", TagsToJson(r.site->tags)},
                                     {"uptime_percentage", r.uptime.uptime_percentage},
                                     {"downtime_seconds", r.uptime.downtime_seconds},
                                     {"monitored_seconds", r.uptime.monitored_seconds},
                                     {"fault_count", r.uptime.fault_count},
                                     {"longest_outage_seconds", r.uptime.longest_outage_seconds},
                                     {"mttr_seconds", r.uptime.mttr_seconds},
                                     {"breached", r.uptime.breached}});
  }
  json::object settings = SpecToJson(spec);
  settings.erase("name");
  return json::object{
      {"schedule_id", schedule.id},
      {"schedule_name", schedule.name},
      {"trigger", request.trigger},
      {"from_date", request.from_date},
      {"to_date", request.to_date},
      {"timezone", spec.timezone},
      {"window",
       json::object{{"start", FormatRfc3339(window.start)}, {"end", FormatRfc3339(window.end)}}},
      {"settings", std::move(settings)},
      {"uptime_percentage",
       rows.empty() ? json::value(nullptr)
                    : json::value(RoundPercent(sum / static_cast<double>(rows.size())))},
      {"site_count", total},
      {"breached_site_count", breached},
      {"sites", std::move(site_rows)},
      {"groups", GroupRows(spec, rows)},
      {"methodology_version", kSlaMethodologyVersion}};
}

Result<JobOutcome> SlaReportJob::Run(JobContext& ctx) {
  const Job& job = ctx.job();
  SlaReportRequest request;
  try {
    json::value payload = json::parse(job.payload);
    const auto& p = payload.as_object();
    request = SlaReportRequest{job.tenant_id, std::string(p.at("schedule_id").as_string()),
                               std::string(p.at("trigger").as_string()),
                               std::string(p.at("from_date").as_string()),
                               std::string(p.at("to_date").as_string())};
  } catch (const std::exception& e) {  // permanent: retrying cannot fix the payload
    return Error(ErrorCode::kValidation, std::string("malformed sla_report payload: ") + e.what());
  }
  UnixMs now = clock_.NowMs();
  auto progress = [&](std::string step, int64_t done, int64_t total) {
    return ctx.Progress(std::move(step), "Report is being generated.", done, total);
  };
  RAPPORT_TRY(json::object body, BuildSlaReport(store_, request, now, progress));
  Report report;
  report.id = NewIdAt("rpt", now);
  report.kind = "sla";
  report.schedule_id = request.schedule_id;
  report.trigger = request.trigger;
  report.from_date = request.from_date;
  report.to_date = request.to_date;
  report.created_at = now;
  json::object full{{"id", report.id}};
  for (auto& [k, v] : body) full[k] = std::move(v);
  full["created_at"] = FormatRfc3339(now);
  report.body = ToJson(full);

  JobOutcome outcome;
  outcome.result = json::object{{"report_id", report.id},
                                {"report_url", "/reports/sla/reports/" + report.id},
                                {"site_count", full.at("site_count")},
                                {"uptime_percentage", full.at("uptime_percentage")}};
  outcome.reports.push_back(std::move(report));
  return outcome;
}

json::object ReportToJson(const Report& report) {
  json::value body = json::parse(report.body);
  json::object out = std::move(body.as_object());
  out["job_id"] = report.job_id;
  out["has_pdf"] = report.has_pdf;
  return out;
}

}  // namespace rapport
