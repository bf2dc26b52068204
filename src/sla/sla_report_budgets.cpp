#include "sla_report_parts.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <algorithm>

namespace rapport::sla_report {
namespace {

namespace json = boost::json;

constexpr size_t kEventListMax = 100;  // exhausted sites or groups named in one event

double Aggregate(const std::string& aggregation, const std::vector<double>& values) {
  if (aggregation == "min") return *std::min_element(values.begin(), values.end());
  if (aggregation == "max") return *std::max_element(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

json::value OptionalNumber(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// The pooled budget of `members`: their budgets and downtimes summed.
ErrorBudget PooledBudget(const std::vector<const SiteRow*>& members) {
  int64_t budget = 0, down = 0;
  for (const auto* m : members) {
    budget += m->budget.error_budget_seconds;
    down += m->uptime.downtime_seconds;
  }
  return BudgetOf(budget, down);
}

json::object GroupRow(const SlaScheduleSpec& spec, const std::string& key,
                      const std::string& aggregation, const std::string& value,
                      const std::vector<const SiteRow*>& members) {
  std::vector<double> uptimes;
  int64_t breached = 0;
  json::array ids;
  for (const auto* m : members) {
    uptimes.push_back(m->uptime.uptime_percentage);
    breached += m->uptime.breached ? 1 : 0;
    ids.emplace_back(m->site->id);
  }
  double uptime = RoundPercent(Aggregate(aggregation, uptimes));
  json::object row{{"key", key},
                   {"value", value},
                   {"aggregation", aggregation},
                   {"uptime_percentage", uptime},
                   {"site_count", static_cast<int64_t>(members.size())},
                   {"breached_site_count", breached},
                   {"breached", uptime < spec.sla_target},
                   {"site_ids", std::move(ids)}};
  AddBudget(row, PooledBudget(members));
  return row;
}

}  // namespace

void AddBudget(json::object& out, const ErrorBudget& b) {
  out["error_budget_seconds"] = b.error_budget_seconds;
  out["budget_remaining_seconds"] = b.budget_remaining_seconds;
  out["budget_remaining_percent"] = OptionalNumber(b.budget_remaining_percent);
  out["burn_rate"] = OptionalNumber(b.burn_rate);
  out["budget_exhausted"] = b.exhausted;
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
      out.push_back(GroupRow(spec, key, aggregation, value, members));
    }
  }
  return out;
}

json::object BudgetTotals(const std::vector<SiteRow>& rows, const json::array& groups) {
  std::vector<const SiteRow*> all;
  int64_t sites = 0, exhausted_groups = 0;
  for (const auto& r : rows) {
    all.push_back(&r);
    sites += r.budget.exhausted ? 1 : 0;
  }
  for (const auto& g : groups) exhausted_groups += g.at("budget_exhausted").as_bool() ? 1 : 0;
  json::object out;
  AddBudget(out, PooledBudget(all));
  out.erase("budget_exhausted");
  out["budget_exhausted_site_count"] = sites;
  out["budget_exhausted_group_count"] = exhausted_groups;
  return out;
}

std::optional<Event> BudgetExhaustedEvent(const SlaReportRequest& request, const json::object& full,
                                          UnixMs now) {
  int64_t site_count = full.at("budget_exhausted_site_count").to_number<int64_t>();
  int64_t group_count = full.at("budget_exhausted_group_count").to_number<int64_t>();
  if (site_count == 0 && group_count == 0) return std::nullopt;
  json::array sites, groups;
  for (const auto& s : full.at("sites").as_array()) {
    const auto& o = s.as_object();
    if (!o.at("budget_exhausted").as_bool() || sites.size() >= kEventListMax) continue;
    sites.push_back(json::object{{"site_id", o.at("site_id")},
                                 {"site_name", o.at("site_name")},
                                 {"error_budget_seconds", o.at("error_budget_seconds")},
                                 {"downtime_seconds", o.at("downtime_seconds")},
                                 {"burn_rate", o.at("burn_rate")}});
  }
  for (const auto& g : full.at("groups").as_array()) {
    const auto& o = g.as_object();
    if (!o.at("budget_exhausted").as_bool() || groups.size() >= kEventListMax) continue;
    groups.push_back(json::object{{"key", o.at("key")},
                                  {"value", o.at("value")},
                                  {"error_budget_seconds", o.at("error_budget_seconds")},
                                  {"burn_rate", o.at("burn_rate")}});
  }
  std::string id(full.at("id").as_string());
  json::object data{{"report_id", id},
                    {"schedule_id", request.schedule_id},
                    {"schedule_name", full.at("schedule_name")},
                    {"trigger", request.trigger},
                    {"from_date", request.from_date},
                    {"to_date", request.to_date},
                    {"exhausted_site_count", site_count},
                    {"exhausted_group_count", group_count},
                    {"exhausted_sites", std::move(sites)},
                    {"exhausted_groups", std::move(groups)},
                    {"report_url", "/reports/sla/reports/" + id}};
  return Event{NewIdAt("evt", now), request.tenant_id, "sla.budget.exhausted", ToJson(data), now};
}

}  // namespace rapport::sla_report
