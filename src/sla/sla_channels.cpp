#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/sla/sla_channels.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace rapport {
namespace {

namespace json = boost::json;

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

double NumberOr(const json::object& o, const char* key, double fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : fallback;
}

// A percentage with at most three decimals, trailing zeros dropped: "99.5 %".
std::string Percent(const json::value* v) {
  if (!v || !v->is_number()) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v->to_number<double>());
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + " %";
}

const json::value* Target(const json::object& report) {
  const auto* settings = report.if_contains("settings");
  return settings && settings->is_object() ? settings->as_object().if_contains("sla_target")
                                           : nullptr;
}

// The report's breaching sites, lowest uptime first.
std::vector<const json::object*> Breached(const json::object& report) {
  std::vector<const json::object*> out;
  const auto* sites = report.if_contains("sites");
  if (!sites || !sites->is_array()) return out;
  for (const auto& v : sites->as_array()) {
    const auto* breached = v.is_object() ? v.as_object().if_contains("breached") : nullptr;
    if (breached && breached->is_bool() && breached->as_bool()) out.push_back(&v.as_object());
  }
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return NumberOr(*a, "uptime_percentage", 0) < NumberOr(*b, "uptime_percentage", 0);
  });
  return out;
}

ChannelSummary SummaryOf(const std::string& event_type, const json::object& report) {
  std::vector<const json::object*> breached = Breached(report);
  std::string name = Text(report, "schedule_name");
  std::string uptime = Percent(report.if_contains("uptime_percentage"));
  std::string target = Percent(Target(report));
  std::string count = std::to_string(breached.size());
  ChannelSummary s;
  s.title =
      event_type == "sla.breached"
          ? "SLA breached: " + count + (breached.size() == 1 ? " site" : " sites") + " in " + name
          : "SLA report " + name + ": " + uptime;
  s.text = "Period " + Text(report, "from_date") + " to " + Text(report, "to_date") + " (" +
           Text(report, "timezone") + "). Overall uptime " + uptime + " against a target of " +
           target + "; " + count + " of " +
           std::to_string(static_cast<int64_t>(NumberOr(report, "site_count", 0))) +
           " sites breached the target.";
  s.sections.push_back(
      {"Uptime",
       {{"Overall uptime", uptime},
        {"Target", target},
        {"Sites",
         json::serialize(report.contains("site_count") ? report.at("site_count") : json::value(0))},
        {"Breached", count}}});
  ChannelSection sites{.heading = "Breached sites", .facts = {}};
  for (const auto* site : breached) {
    sites.facts.push_back(
        {Text(*site, "site_name"), Percent(site->if_contains("uptime_percentage"))});
  }
  if (!sites.facts.empty()) s.sections.push_back(std::move(sites));
  s.link = "/#/reports/sla/" + Text(report, "id");
  return s;
}

}  // namespace

std::optional<Event> SlaBreachedEvent(const std::string& tenant_id, const json::object& report,
                                      UnixMs now) {
  std::vector<const json::object*> breached = Breached(report);
  if (breached.empty()) return std::nullopt;
  json::array sites;
  for (const auto* site : breached) {
    sites.push_back({{"site_id", site->at("site_id")},
                     {"site_name", site->at("site_name")},
                     {"uptime_percentage", site->at("uptime_percentage")}});
  }
  std::string id = Text(report, "id");
  const json::value* target = Target(report);
  json::object data{{"report_id", id},
                    {"schedule_id", report.at("schedule_id")},
                    {"schedule_name", report.at("schedule_name")},
                    {"trigger", report.at("trigger")},
                    {"from_date", report.at("from_date")},
                    {"to_date", report.at("to_date")},
                    {"uptime_percentage", report.at("uptime_percentage")},
                    {"sla_target", target ? *target : json::value(nullptr)},
                    {"breached_site_count", static_cast<int64_t>(breached.size())},
                    {"breached_sites", std::move(sites)},
                    {"report_url", "/reports/sla/reports/" + id},
                    {"pdf_url", "/reports/sla/reports/" + id + "/pdf"}};
  return Event{NewIdAt("evt", now), tenant_id, "sla.breached", ToJson(data), now};
}

std::function<Result<std::optional<ChannelSummary>>(const Event&, const json::object&)>
SlaChannelSummary(ReportStore& reports) {
  return [&reports](const Event& event,
                    const json::object& data) -> Result<std::optional<ChannelSummary>> {
    if (event.type != "sla_report.completed" && event.type != "sla.breached")
      return std::optional<ChannelSummary>();
    const auto* id = data.if_contains("report_id");
    if (!id || !id->is_string()) return std::optional<ChannelSummary>();
    auto report = reports.GetReport(event.tenant_id, std::string(id->get_string()));
    if (!report.ok()) {
      if (report.error().code() == ErrorCode::kNotFound) return std::optional<ChannelSummary>();
      return report.error();
    }
    boost::system::error_code ec;
    json::value body = json::parse(report->body, ec);
    if (ec || !body.is_object()) return std::optional<ChannelSummary>();
    return std::optional<ChannelSummary>(SummaryOf(event.type, body.as_object()));
  };
}

}  // namespace rapport
