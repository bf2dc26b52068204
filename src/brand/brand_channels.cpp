#include <rapport/brand/brand_channels.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>

namespace rapport {
namespace {

namespace json = boost::json;

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

std::optional<double> Number(const json::value* v) {
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

// "42.5 %", "–" when unknown.
std::string Percent(std::optional<double> v) {
  if (!v) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", *v);
  return buf;
}

// "+2.5 points", "−7.5 points", "no change"; "" when either side is unknown.
std::string Change(std::optional<double> now, std::optional<double> before) {
  if (!now || !before) return "";
  double d = Round1(*now - *before);
  if (d == 0) return "no change";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%.1f points", d > 0 ? "+" : "\xE2\x88\x92", std::fabs(d));
  return buf;
}

// The trend's point before this run (the region's previous completed run), if any.
const json::object* PreviousPoint(const json::object& body) {
  const auto* trend = body.if_contains("trend");
  if (!trend || !trend->is_array() || trend->as_array().size() < 2) return nullptr;
  const auto& points = trend->as_array();
  const auto& point = points[points.size() - 2];
  return point.is_object() ? &point.as_object() : nullptr;
}

// Each platform's visibility rate in report JSON `body`.
std::map<std::string, std::optional<double>> PlatformRates(const json::object& body) {
  std::map<std::string, std::optional<double>> out;
  const auto* rows = body.if_contains("platforms");
  if (!rows || !rows->is_array()) return out;
  for (const auto& row : rows->as_array()) {
    if (row.is_object())
      out[Text(row.as_object(), "platform")] = Number(row.as_object().if_contains("rate"));
  }
  return out;
}

Result<std::optional<json::object>> ReadBody(ReportStore& reports, const std::string& tenant,
                                             const std::string& id) {
  auto report = reports.GetReport(tenant, id);
  if (!report.ok()) {
    if (report.error().code() == ErrorCode::kNotFound) return std::optional<json::object>();
    return report.error();
  }
  boost::system::error_code ec;
  json::value body = json::parse(report->body, ec);
  if (ec || !body.is_object()) return std::optional<json::object>();
  json::object out = std::move(body.as_object());
  out["id"] = report->id;
  return std::optional<json::object>(std::move(out));
}

ChannelSummary SummaryOf(const std::string& event_type, const json::object& body,
                         const std::optional<json::object>& previous) {
  std::optional<double> now = Number(body.if_contains("visibility_score"));
  const json::object* point = PreviousPoint(body);
  std::optional<double> before = point ? Number(point->if_contains("rate")) : std::nullopt;
  std::string region;
  if (const auto* r = body.if_contains("region"); r && r->is_object()) {
    region = Text(r->as_object(), "name");
  }
  std::string change = Change(now, before);
  ChannelSummary s;
  s.title = (event_type == "visibility.dropped" ? "Visibility dropped: " : "Brand visibility: ") +
            Text(body, "brand_name") + ", " + region + " " + Percent(now);
  s.text = "Visibility of " + Text(body, "brand_name") + " in region " + region + " is " +
           Percent(now) +
           (change.empty() ? " (no previous run to compare)."
                           : ", " + change + " from the previous run (" + Percent(before) + ").");
  s.sections.push_back({"Visibility", {{"This run", Percent(now)}}});
  if (before) s.sections.back().facts.push_back({"Previous run", Percent(before)});
  if (!change.empty()) s.sections.back().facts.push_back({"Change", change});
  auto earlier =
      previous ? PlatformRates(*previous) : std::map<std::string, std::optional<double>>{};
  ChannelSection platforms{.heading = "By platform", .facts = {}};
  for (const auto& [platform, rate] : PlatformRates(body)) {
    auto it = earlier.find(platform);
    std::string delta = it == earlier.end() ? "" : Change(rate, it->second);
    platforms.facts.push_back(
        {platform, Percent(rate) + (delta.empty() ? "" : " (" + delta + ")")});
  }
  if (!platforms.facts.empty()) s.sections.push_back(std::move(platforms));
  s.link = "/#/reports/brand/" + Text(body, "id");
  return s;
}

}  // namespace

std::optional<Event> VisibilityDroppedEvent(const std::string& tenant_id,
                                            const ScheduledReport& schedule, const Report& report,
                                            const json::object& body, UnixMs now) {
  if (!schedule.visibility_drop_threshold) return std::nullopt;
  const json::object* point = PreviousPoint(body);
  std::optional<double> current = Number(body.if_contains("visibility_score"));
  std::optional<double> before = point ? Number(point->if_contains("rate")) : std::nullopt;
  if (!current || !before) return std::nullopt;
  double drop = Round1(*before - *current);
  if (drop < static_cast<double>(*schedule.visibility_drop_threshold)) return std::nullopt;
  std::string region;
  if (const auto* r = body.if_contains("region"); r && r->is_object()) {
    region = Text(r->as_object(), "name");
  }
  json::object data{{"report_id", report.id},
                    {"brand_id", schedule.brand_id},
                    {"scheduled_report_id", schedule.id},
                    {"region_config_id", report.part},
                    {"region_name", region},
                    {"visibility_score", *current},
                    {"previous_visibility_score", *before},
                    {"previous_report_id", point->at("report_id")},
                    {"drop", drop},
                    {"threshold", *schedule.visibility_drop_threshold},
                    {"report_url", "/v1/reports/" + report.id},
                    {"pdf_url", "/v1/reports/" + report.id + "/pdf"}};
  return Event{NewIdAt("evt", now), tenant_id, "visibility.dropped", ToJson(data), now};
}

std::function<Result<std::optional<ChannelSummary>>(const Event&, const json::object&)>
BrandChannelSummary(ReportStore& reports) {
  return [&reports](const Event& event,
                    const json::object& data) -> Result<std::optional<ChannelSummary>> {
    if (event.type != "report.completed" && event.type != "visibility.dropped") {
      return std::optional<ChannelSummary>();
    }
    const auto* id = data.if_contains("report_id");
    if (!id || !id->is_string()) return std::optional<ChannelSummary>();
    RAPPORT_TRY(std::optional<json::object> body,
                ReadBody(reports, event.tenant_id, std::string(id->get_string())));
    if (!body) return std::optional<ChannelSummary>();
    std::optional<json::object> previous;
    if (const json::object* point = PreviousPoint(*body)) {
      const auto* prev_id = point->if_contains("report_id");
      if (prev_id && prev_id->is_string()) {
        RAPPORT_TRY(previous,
                    ReadBody(reports, event.tenant_id, std::string(prev_id->get_string())));
      }
    }
    return std::optional<ChannelSummary>(SummaryOf(event.type, *body, previous));
  };
}

}  // namespace rapport
