#include <rapport/sla/sla_report.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/render/pdf.hpp>
#include <rapport/reports/pdf_branding.hpp>
#include <rapport/sla/business_hours_service.hpp>
#include <rapport/sla/sla_channels.hpp>
#include <rapport/sla/uptime.hpp>

#include "sla_report_parts.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr int64_t kSitesPerStep = 500;
constexpr size_t kTopFaults = 20;  // the report's appendix: faults that cost the most downtime

struct TopFault {
  UnixMs cost = 0;
  std::string fault_id, site_id, site_name, cause;
  UnixMs start = 0;
  std::optional<UnixMs> end;
  bool operator<(const TopFault& o) const { return cost > o.cost; }  // min-heap on cost
};

json::object TagsToJson(const std::map<std::string, std::string>& tags) {
  json::object out;
  for (const auto& [k, v] : tags) out[k] = v;
  return out;
}

using sla_report::SiteRow;

// The window's local days, for the daily uptime series: each day's bounds, the report's monitored
// time that day (`base`), and the monitored and down time summed over the sites.
struct DailySeries {
  int64_t first_day = 0;  // days since the epoch
  std::vector<Interval> days;
  std::vector<UnixMs> base, monitored, down;
};

// What the report computes from the faults, batch by batch.
struct UptimeTally {
  std::vector<TopFault> top;  // heap of the costliest faults
  std::vector<SiteRow> rows;
  DailySeries daily;
};

// The inputs every site's uptime is computed from; `monitored[i]` is the monitored time of the
// batch's site i (the report's, less the maintenance windows covering the site).
struct UptimeInputs {
  Interval window;
  std::vector<const std::vector<Interval>*> monitored;
  UptimeRules rules;
  UnixMs now;
};

// The local days from `from_date` to `to_date` in `timezone`, each with its monitored time.
Result<DailySeries> LocalDays(const SlaReportRequest& request, const std::string& timezone,
                              const std::vector<Interval>& monitored) {
  DailySeries out;
  out.first_day = ParseDate(request.from_date).value_or(0);
  int64_t last_day = ParseDate(request.to_date).value_or(out.first_day);
  for (int64_t d = out.first_day; d <= last_day; ++d) {
    RAPPORT_TRY(UnixMs start, ResolveLocalTime(timezone, d, 0, 0));
    RAPPORT_TRY(UnixMs end, ResolveLocalTime(timezone, d + 1, 0, 0));
    out.days.push_back({start, end});
    UnixMs m = 0;
    for (const auto& piece : IntersectIntervals(monitored, {{start, end}}))
      m += piece.end - piece.start;
    out.base.push_back(m);
    out.monitored.push_back(0);
    out.down.push_back(0);
  }
  return out;
}

// The ids of sites [begin, end).
std::vector<std::string> IdsOf(const std::vector<Site>& sites, size_t begin, size_t end) {
  std::vector<std::string> ids;
  for (size_t i = begin; i < end; ++i) ids.push_back(sites[i].id);
  return ids;
}

// Whether a fault that cost `cost` is among the kTopFaults costliest seen so far.
bool IsTopCost(UnixMs cost, const std::vector<TopFault>& top) {
  return cost > 0 && (top.size() < kTopFaults || cost > top.front().cost);
}

// Adds `fault` to the heap of the costliest faults, dropping the cheapest beyond kTopFaults.
void PushTopFault(TopFault fault, std::vector<TopFault>& top) {
  top.push_back(std::move(fault));
  std::push_heap(top.begin(), top.end());
  if (top.size() > kTopFaults) {
    std::pop_heap(top.begin(), top.end());
    top.pop_back();
  }
}

// Reads the faults of sites [begin, end) into `spans` (one list per site, from `begin`); the
// costliest downtime among them joins `top`.
Status ReadBatchSpans(FaultStore& faults, const std::string& tenant_id,
                      const std::vector<Site>& sites, size_t begin, size_t end,
                      const UptimeInputs& in, std::vector<std::vector<FaultSpan>>& spans,
                      std::vector<TopFault>& top) {
  for (auto& list : spans) list.clear();  // keeps their capacity for the next batch
  spans.resize(end - begin);
  auto visit = [&](size_t i, const FaultInWindow& f) {
    FaultSpan span{f.created_at, f.resolved_at, "site", f.cause};
    if (CountsAsDowntime(span, in.rules)) {
      UnixMs cost = MonitoredOverlap(
          {span.start, span.end ? *span.end : std::min(in.window.end, in.now)}, *in.monitored[i]);
      if (IsTopCost(cost, top)) {
        const Site& site = sites[begin + i];
        PushTopFault({cost, f.id, site.id, site.name, span.cause, span.start, span.end}, top);
      }
    }
    spans[i].push_back(std::move(span));
  };
  return faults.ScanFaultsInWindow(tenant_id, IdsOf(sites, begin, end), "site", in.window.start,
                                   in.window.end, visit);
}

// Spreads a sorted interval list over the local days, adding each day's part to `per_day`.
void SpreadOverDays(const std::vector<Interval>& intervals, const std::vector<Interval>& days,
                    std::vector<UnixMs>& per_day) {
  size_t d = 0;
  for (const auto& piece : intervals) {
    while (d < days.size() && days[d].end <= piece.start) ++d;
    for (size_t k = d; k < days.size() && days[k].start < piece.end; ++k) {
      per_day[k] += std::min(days[k].end, piece.end) - std::max(days[k].start, piece.start);
    }
  }
}

// Adds a site's monitored time to the daily series: the report's own per day unless maintenance
// windows changed it.
void AddMonitoredDays(const std::vector<Interval>& site_monitored, bool is_base,
                      DailySeries& daily) {
  if (!is_base) return SpreadOverDays(site_monitored, daily.days, daily.monitored);
  for (size_t d = 0; d < daily.base.size(); ++d) daily.monitored[d] += daily.base[d];
}

// Computes the uptime of sites [begin, end) from their faults (`spans`, from `begin`) into
// `tally`.
void TallyBatch(const std::vector<std::vector<FaultSpan>>& spans, const std::vector<Site>& sites,
                size_t begin, size_t end, const UptimeInputs& in,
                const sla_report::SiteMonitoring& monitoring, UptimeTally& tally) {
  std::vector<Interval> site_down;
  for (size_t i = begin; i < end; ++i) {
    const std::vector<Interval>& monitored = *in.monitored[i - begin];
    SiteRow row{&sites[i], ComputeSiteUptime(spans[i - begin], monitored, in.window.end, in.now,
                                             in.rules, &site_down)};
    bool is_base = &monitored == &monitoring.base();
    row.maintenance_seconds = is_base ? 0 : (monitoring.base_ms() - TotalMs(monitored)) / 1000;
    row.budget = ComputeErrorBudget(row.uptime.monitored_seconds, row.uptime.downtime_seconds,
                                    in.rules.sla_target);
    tally.rows.push_back(row);
    SpreadOverDays(site_down, tally.daily.days, tally.daily.down);
    AddMonitoredDays(monitored, is_base, tally.daily);
  }
}

// One site's row of the report.
json::object SiteRowToJson(const SiteRow& r) {
  json::object out{{"site_id", r.site->id},
                   {"site_name", r.site->name},
                   {"tags", TagsToJson(r.site->tags)},
                   {"uptime_percentage", r.uptime.uptime_percentage},
                   {"downtime_seconds", r.uptime.downtime_seconds},
                   {"monitored_seconds", r.uptime.monitored_seconds},
                   {"fault_count", r.uptime.fault_count},
                   {"longest_outage_seconds", r.uptime.longest_outage_seconds},
                   {"mttr_seconds", r.uptime.mttr_seconds},
                   {"breached", r.uptime.breached},
                   {"maintenance_seconds", r.maintenance_seconds}};
  sla_report::AddBudget(out, r.budget);
  return out;
}

// The mean of the sites' uptimes, null when there are no sites.
json::value MeanUptime(const std::vector<SiteRow>& rows) {
  double sum = 0;
  for (const auto& r : rows) sum += r.uptime.uptime_percentage;
  return rows.empty() ? json::value(nullptr)
                      : json::value(RoundPercent(sum / static_cast<double>(rows.size())));
}

// The number of sites that breach the target.
int64_t BreachedCount(const std::vector<SiteRow>& rows) {
  int64_t breached = 0;
  for (const auto& r : rows) breached += r.uptime.breached ? 1 : 0;
  return breached;
}

// Each local day's uptime over all sites, null when nothing was monitored that day.
json::array DailyToJson(const DailySeries& daily) {
  json::array out;
  for (size_t d = 0; d < daily.days.size(); ++d) {
    auto site_ms = static_cast<double>(daily.monitored[d]);
    out.push_back(json::object{
        {"date", DateOfDays(daily.first_day + static_cast<int64_t>(d))},
        {"uptime_percentage",
         site_ms == 0 ? json::value(nullptr)
                      : json::value(RoundPercent(
                            100.0 * (site_ms - static_cast<double>(daily.down[d])) / site_ms))}});
  }
  return out;
}

// The report's appendix: the costliest faults, costliest first.
json::array TopFaultsToJson(std::vector<TopFault> top) {
  std::sort_heap(top.begin(), top.end());  // costliest first
  json::array out;
  for (const auto& t : top) {
    out.push_back(json::object{
        {"fault_id", t.fault_id},
        {"site_id", t.site_id},
        {"site_name", t.site_name},
        {"cause", t.cause},
        {"started_at", FormatRfc3339(t.start)},
        {"resolved_at", t.end ? json::value(FormatRfc3339(*t.end)) : json::value(nullptr)},
        {"downtime_seconds", t.cost / 1000}});
  }
  return out;
}

// The report body: the schedule, the period, its settings and the tally's rows, groups and series.
json::object ReportBody(const SlaSchedule& schedule, const SlaReportRequest& request,
                        const SlaScheduleSpec& spec, const Interval& window, UptimeTally tally,
                        json::array maintenance_windows) {
  json::array site_rows;
  for (const auto& r : tally.rows) site_rows.push_back(SiteRowToJson(r));
  json::object settings = SpecToJson(spec);
  settings.erase("name");
  settings.erase("report_retention_days");  // how long the report is kept is not a report setting
  json::array groups = sla_report::GroupRows(spec, tally.rows);
  json::object totals = sla_report::BudgetTotals(tally.rows, groups);
  json::object body{{"schedule_id", schedule.id},
                    {"schedule_name", schedule.name},
                    {"trigger", request.trigger},
                    {"from_date", request.from_date},
                    {"to_date", request.to_date},
                    {"timezone", spec.timezone},
                    {"window", json::object{{"start", FormatRfc3339(window.start)},
                                            {"end", FormatRfc3339(window.end)}}},
                    {"settings", std::move(settings)},
                    {"uptime_percentage", MeanUptime(tally.rows)},
                    {"site_count", static_cast<int64_t>(tally.rows.size())},
                    {"breached_site_count", BreachedCount(tally.rows)},
                    {"sites", std::move(site_rows)},
                    {"groups", std::move(groups)},
                    {"daily", DailyToJson(tally.daily)},
                    {"top_faults", TopFaultsToJson(std::move(tally.top))},
                    {"maintenance_windows", std::move(maintenance_windows)},
                    {"tenant_id", request.tenant_id},
                    {"methodology_version", kSlaMethodologyVersion}};
  for (auto& [k, v] : totals) body[k] = std::move(v);
  return body;
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

namespace {

// The report's monitored time: the window, or its intersection with the schedule's business hours.
Result<std::vector<Interval>> ReportMonitoredTime(const SlaReportStores& stores,
                                                  const SlaReportRequest& request,
                                                  const SlaScheduleSpec& spec,
                                                  const Interval& window) {
  if (!spec.calculate_sla_within_schedule_hours || !spec.business_hours_id) {
    return std::vector<Interval>{window};
  }
  RAPPORT_TRY(BusinessHours hours,
              stores.hours.GetBusinessHours(request.tenant_id, *spec.business_hours_id));
  return BusinessHoursWithin(window, OpeningHoursOf(hours), hours.timezone);
}

// The tenant's maintenance windows applied to the report's monitored time.
Result<sla_report::SiteMonitoring> LoadMonitoring(const SlaReportStores& stores,
                                                  const std::string& tenant_id,
                                                  const Interval& window,
                                                  const std::vector<Interval>& base) {
  std::vector<MaintenanceWindow> windows;
  if (stores.windows != nullptr) {
    RAPPORT_TRY(windows, stores.windows->All(tenant_id));
  }
  return sla_report::SiteMonitoring::Build(std::move(windows), window, base);
}

}  // namespace

Result<json::object> BuildSlaReport(
    const SlaReportStores& stores, const SlaReportRequest& request, UnixMs now,
    const std::function<bool(std::string step, int64_t done, int64_t total)>& progress) {
  auto stopped = [] { return Error(ErrorCode::kConflict, "stopped"); };
  RAPPORT_TRY(SlaSchedule schedule,
              stores.schedules.GetSlaSchedule(request.tenant_id, request.schedule_id));
  SlaScheduleSpec spec = SpecFromJson(schedule.settings);
  RAPPORT_TRY(Interval window, ReportWindow(request.from_date, request.to_date, spec.timezone));
  RAPPORT_TRY(std::vector<Interval> monitored, ReportMonitoredTime(stores, request, spec, window));
  RAPPORT_TRY(sla_report::SiteMonitoring monitoring,
              LoadMonitoring(stores, request.tenant_id, window, monitored));
  RAPPORT_TRY(std::vector<Site> all, stores.sites.AllSites(request.tenant_id));
  std::vector<Site> sites = SelectSites(spec, all);
  auto total = static_cast<int64_t>(sites.size());
  if (!progress("loading faults", 0, total)) return stopped();

  UptimeRules rules{.ignore_power_outages = spec.ignore_power_outages,
                    .sla_target = spec.sla_target};
  UptimeInputs in{window, {}, rules, now};
  UptimeTally tally;
  RAPPORT_TRY(tally.daily, LocalDays(request, spec.timezone, monitored));
  tally.rows.reserve(sites.size());
  std::vector<std::vector<FaultSpan>> spans;
  for (size_t begin = 0; begin < sites.size(); begin += kSitesPerStep) {
    size_t end = std::min(sites.size(), begin + kSitesPerStep);
    in.monitored.clear();
    for (size_t i = begin; i < end; ++i) in.monitored.push_back(&monitoring.For(sites[i]));
    RAPPORT_CHECK(
        ReadBatchSpans(stores.faults, request.tenant_id, sites, begin, end, in, spans, tally.top));
    TallyBatch(spans, sites, begin, end, in, monitoring, tally);
    if (!progress("computing uptime", static_cast<int64_t>(end), total)) return stopped();
  }
  return ReportBody(schedule, request, spec, window, std::move(tally), monitoring.AppliedToJson());
}

namespace {

// The job's outcome: the report, its PDF, the result and the "sla_report.completed" event.
JobOutcome Outcome(const SlaReportRequest& request, Report report, const json::object& full,
                   std::string pdf, const std::string& job_id, UnixMs now) {
  JobOutcome outcome;
  outcome.artifacts.push_back({"report.pdf", "application/pdf", std::move(pdf)});
  outcome.result = json::object{{"report_id", report.id},
                                {"report_url", "/reports/sla/reports/" + report.id},
                                {"site_count", full.at("site_count")},
                                {"uptime_percentage", full.at("uptime_percentage")}};
  json::object event{{"report_id", report.id},
                     {"schedule_id", request.schedule_id},
                     {"schedule_name", full.at("schedule_name")},
                     {"job_id", job_id},
                     {"trigger", request.trigger},
                     {"from_date", request.from_date},
                     {"to_date", request.to_date},
                     {"status", "completed"},
                     {"uptime_percentage", full.at("uptime_percentage")},
                     {"site_count", full.at("site_count")},
                     {"breached_site_count", full.at("breached_site_count")},
                     {"report_url", "/reports/sla/reports/" + report.id},
                     {"pdf_url", "/reports/sla/reports/" + report.id + "/pdf"}};
  outcome.events.push_back(
      Event{NewIdAt("evt", now), request.tenant_id, "sla_report.completed", ToJson(event), now});
  if (auto breached = SlaBreachedEvent(request.tenant_id, full, now)) {
    outcome.events.push_back(std::move(*breached));
  }
  if (auto exhausted = sla_report::BudgetExhaustedEvent(request, full, now)) {
    outcome.events.push_back(std::move(*exhausted));
  }
  outcome.reports.push_back(std::move(report));
  return outcome;
}

}  // namespace

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
  RAPPORT_TRY(json::object body, BuildSlaReport(stores_, request, now, progress));
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
  json::array recipients = full.at("settings").as_object().at("recipients").as_array();
  full["email"] = recipients.empty() ? json::object{{"status", "none"}, {"recipients", recipients}}
                  : email_enabled_
                      ? json::object{{"status", "queued"}, {"recipients", recipients}}
                      : json::object{{"status", "skipped"},
                                     {"recipients", recipients},
                                     {"reason", "No SMTP server is configured (smtp.url)"}};
  report.body = ToJson(full);
  int64_t sites = full.at("site_count").to_number<int64_t>();
  if (!ctx.Progress("rendering PDF", "Report is being rendered.", sites, sites)) {
    return Error(ErrorCode::kConflict, "stopped");
  }
  RAPPORT_TRY(PdfBranding branding, PdfBrandingOf(stores_.labels, job.tenant_id));
  RAPPORT_TRY(std::string pdf, RenderPdfToString(full, branding, RenderSlaPdf));

  return Outcome(request, std::move(report), full, std::move(pdf), job.id, now);
}

std::vector<Event> SlaReportJob::FailureEvents(const Job& job, const Error& error, UnixMs now) {
  json::object data{
      {"job_id", job.id},
      {"status", "failed"},
      {"failure_reason", json::object{{"code", error.spec().code}, {"message", error.message()}}}};
  boost::system::error_code ec;
  json::value payload = json::parse(job.payload, ec);
  if (!ec && payload.is_object()) {
    for (const char* key : {"schedule_id", "trigger", "from_date", "to_date"}) {
      if (const auto* v = payload.as_object().if_contains(key)) data[key] = *v;
    }
  }
  return {Event{NewIdAt("evt", now), job.tenant_id, "sla_report.failed", ToJson(data), now}};
}

json::object ReportToJson(const Report& report) {
  json::value body = json::parse(report.body);
  json::object out = std::move(body.as_object());
  out["job_id"] = report.job_id;
  out["has_pdf"] = report.has_pdf;
  return out;
}

}  // namespace rapport
