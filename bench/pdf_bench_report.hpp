// The SLA report the PDF benchmark renders (a month, `sites` sites, about 15 % breaching a 99.5 %
// target; site names in several scripts) and the same report as one print-styled HTML page for
// headless Chromium: same cover, KPIs, chart, heat strip, sorted site table with a repeated
// header, and appendix.
#pragma once

#include <rapport/render/format.hpp>

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::bench {

namespace json = boost::json;

// A month's SLA report over `sites` sites, about 15 % of them breaching a 99.5 % target.
inline json::object SyntheticReport(int sites) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> unit(0, 1);
  const char* regions[] = {"Berlin", "Zürich", "Москва", "Αθήνα", "東京", "São Paulo", "Lagos"};
  json::array rows;
  double sum = 0;
  int64_t breached = 0, exhausted = 0, all_down = 0;
  constexpr int64_t kBudget = 12'960;  // 0.5 % of 30 days
  for (int i = 0; i < sites; ++i) {
    double u = unit(rng);
    int64_t down = u < 0.5    ? 0
                   : u < 0.85 ? int64_t(unit(rng) * 12'000)
                              : int64_t(unit(rng) * 90'000);
    double uptime = std::round(100'000.0 * (2'592'000 - down) / 2'592'000) / 1000;
    int64_t faults = down == 0 ? 0 : 1 + int64_t(unit(rng) * 6);
    bool b = uptime < 99.5;
    breached += b;
    sum += uptime;
    rows.push_back(json::object{{"site_id", fmt::format("site_{:06}", i)},
                                {"site_name", fmt::format("{} edge {:05}", regions[i % 7], i)},
                                {"tags", json::object{{"region", regions[i % 7]}}},
                                {"uptime_percentage", uptime},
                                {"downtime_seconds", down},
                                {"monitored_seconds", 2'592'000},
                                {"fault_count", faults},
                                {"longest_outage_seconds", faults ? down / faults + 60 : 0},
                                {"mttr_seconds", faults ? down / faults : 0},
                                {"breached", b},
                                {"maintenance_seconds", 0},
                                {"error_budget_seconds", kBudget},
                                {"budget_remaining_seconds", kBudget - down},
                                {"budget_remaining_percent",
                                 std::round(100'000.0 * double(kBudget - down) / kBudget) / 1000},
                                {"burn_rate", std::round(1000.0 * double(down) / kBudget) / 1000},
                                {"budget_exhausted", down > 0 && down >= kBudget}});
    exhausted += down > 0 && down >= kBudget;
    all_down += down;
  }
  json::array daily, top;
  for (int d = 1; d <= 30; ++d) {
    daily.push_back(json::object{{"date", fmt::format("2026-11-{:02}", d)},
                                 {"uptime_percentage", 99.2 + unit(rng) * 0.8}});
  }
  for (int i = 0; i < 20; ++i) {
    top.push_back(json::object{{"fault_id", fmt::format("flt_{}", i)},
                               {"site_id", fmt::format("site_{:06}", i)},
                               {"site_name", fmt::format("{} edge {:05}", regions[i % 7], i)},
                               {"cause", "fiber_cut"},
                               {"started_at", "2026-11-12T03:00:00.000Z"},
                               {"resolved_at", "2026-11-12T05:30:00.000Z"},
                               {"downtime_seconds", 9000 - i * 60}});
  }
  return json::object{
      {"id", "rpt_0BENCHREPORT0000000000000000"},
      {"schedule_id", "sla_0BENCHSCHEDULE000000000000"},
      {"schedule_name", "Managed network, November"},
      {"trigger", "scheduled"},
      {"from_date", "2026-11-01"},
      {"to_date", "2026-11-30"},
      {"timezone", "Europe/Berlin"},
      {"settings", json::object{{"sla_target", 99.5}, {"show_only_breached_sites_in_pdf", false}}},
      {"uptime_percentage", std::round(sum / sites * 1000) / 1000},
      {"site_count", sites},
      {"breached_site_count", breached},
      {"sites", std::move(rows)},
      {"groups", json::array{}},
      {"daily", std::move(daily)},
      {"top_faults", std::move(top)},
      {"maintenance_windows", json::array{json::object{{"id", "mw_0BENCHWINDOW00000000000000"},
                                                       {"name", "Sunday patching"},
                                                       {"type", "weekly"},
                                                       {"timezone", "Europe/Berlin"},
                                                       {"site_count", sites / 7},
                                                       {"maintenance_seconds", 4 * 7'200},
                                                       {"first_start", "2026-11-01T01:00:00.000Z"},
                                                       {"last_end", "2026-11-29T03:00:00.000Z"}}}},
      {"error_budget_seconds", kBudget * sites},
      {"budget_remaining_seconds", kBudget * sites - all_down},
      {"budget_remaining_percent",
       std::round(100'000.0 * double(kBudget * sites - all_down) / double(kBudget * sites)) / 1000},
      {"burn_rate", std::round(1000.0 * double(all_down) / double(kBudget * sites)) / 1000},
      {"budget_exhausted_site_count", exhausted},
      {"budget_exhausted_group_count", 0},
      {"tenant_id", "bench"},
      {"methodology_version", 2},
      {"created_at", "2026-12-01T07:00:00.000Z"}};
}

inline std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

// The same report as one HTML page styled for print.
inline std::string ReportHtml(const json::object& r) {
  std::vector<const json::object*> sites;
  for (const auto& s : r.at("sites").as_array()) sites.push_back(&s.as_object());
  std::stable_sort(sites.begin(), sites.end(), [](auto* a, auto* b) {
    return a->at("uptime_percentage").as_double() < b->at("uptime_percentage").as_double();
  });
  std::ostringstream h;
  h << R"(<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 40pt 40pt 48pt 40pt; }
body { font-family: 'Noto Sans', sans-serif; font-size: 8pt; color: #1f2937; margin: 0; }
h1 { font-size: 20pt; margin: 2pt 0 4pt; } h2 { font-size: 11.5pt; margin: 14pt 0 2pt; }
.muted { color: #6b7280; } .label { color: #1d4ed8; font-weight: bold; font-size: 8pt; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10pt; margin-top: 12pt; }
.tile { background: #f3f4f6; padding: 6pt 10pt; } .tile b { font-size: 15pt; display: block; }
.strip { display: flex; height: 18pt; } .strip div { flex: 1; margin-right: 0.6pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; } tr { break-inside: avoid; height: 15pt; }
th { background: #1f2937; color: #fff; text-align: left; height: 18pt; }
td, th { padding: 0 4pt; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
td { border-bottom: 0.25pt solid #d1d5db; } tr:nth-child(even) td { background: #f9fafb; }
tr.bad td { background: #fdecec; } .num { text-align: right; } .bad .v { color: #b91c1c; font-weight: bold; }
</style></head><body>)";
  std::string target = FormatPercent(r.at("settings").at("sla_target").as_double());
  h << "<div class=label>SLA REPORT</div><h1>" << Escape(r.at("schedule_name").as_string())
    << "</h1><div class=muted>Period " << r.at("from_date").as_string().c_str() << " to "
    << r.at("to_date").as_string().c_str() << " (" << r.at("timezone").as_string().c_str()
    << ") · Tenant " << r.at("tenant_id").as_string().c_str() << "<br>SLA target " << target
    << " % · Report " << r.at("id").as_string().c_str() << "</div>";
  int64_t total = r.at("site_count").as_int64(), breached = r.at("breached_site_count").as_int64();
  int64_t down = 0, faults = 0;
  for (auto* s : sites) {
    down += s->at("downtime_seconds").as_int64();
    faults += s->at("fault_count").as_int64();
  }
  auto tile = [&](std::string label, std::string value, std::string note) {
    h << "<div class=tile><span class=muted>" << label << "</span><b>" << value
      << "</b><span class=muted>" << note << "</span></div>";
  };
  h << "<div class=tiles>";
  tile("Overall uptime", FormatPercent(r.at("uptime_percentage").as_double()) + " %",
       "mean of " + FormatCount(total) + " sites");
  tile("Sites meeting the target", FormatCount(total - breached) + " of " + FormatCount(total),
       "target " + target + " %");
  tile("Sites breaching the target", FormatCount(breached), "marked ✗ in the table");
  tile("Total downtime", FormatHoursMinutes(down), "h:mm, summed over sites");
  tile("Faults", FormatCount(faults), "that counted as downtime");
  tile("Worst site", FormatPercent(sites[0]->at("uptime_percentage").as_double()) + " %",
       Escape(sites[0]->at("site_name").as_string()));
  h << "</div><h2>Daily uptime</h2><svg width='515pt' height='140pt' viewBox='0 0 515 140'>";
  const auto& daily = r.at("daily").as_array();
  for (size_t i = 0; i < daily.size(); ++i) {
    double u = daily[i].at("uptime_percentage").as_double();
    double top = 120 * (100 - u) / 1.0;
    h << "<rect x='" << 46 + i * 15.6 << "' y='" << top << "' width='11' height='" << 120 - top
      << "' fill='" << (u < 99.5 ? "#f87171" : "#86efac") << "'/>";
  }
  h << "</svg><h2>Sites at a glance, worst first</h2><div class=strip>";
  size_t per_cell = (sites.size() + 99) / 100;
  for (size_t i = 0; i < sites.size(); i += per_cell) {
    h << "<div style='background:" << (sites[i]->at("breached").as_bool() ? "#f87171" : "#86efac")
      << "'></div>";
  }
  h << "</div><h2>Sites, worst first</h2><table><thead><tr><th style='width:190pt'>Site</th>"
       "<th class=num>Uptime %</th><th class=num>Downtime</th><th class=num>Faults</th>"
       "<th class=num>Longest</th><th class=num>MTTR</th><th>SLA</th></tr></thead><tbody>";
  for (auto* s : sites) {
    bool b = s->at("breached").as_bool();
    h << (b ? "<tr class=bad>" : "<tr>") << "<td>" << Escape(s->at("site_name").as_string())
      << "</td><td class='num v'>" << FormatPercent(s->at("uptime_percentage").as_double())
      << "</td><td class=num>" << FormatHoursMinutes(s->at("downtime_seconds").as_int64())
      << "</td><td class=num>" << s->at("fault_count").as_int64() << "</td><td class=num>"
      << FormatHoursMinutes(s->at("longest_outage_seconds").as_int64()) << "</td><td class=num>"
      << FormatHoursMinutes(s->at("mttr_seconds").as_int64()) << "</td><td class=v>"
      << (b ? "✗ breached" : "✓ met") << "</td></tr>";
  }
  h << "</tbody></table><h2 style='break-before: page'>Appendix: the faults that cost the most "
       "downtime</h2><table><thead><tr><th>#</th><th>Site</th><th>Cause</th><th>Started</th>"
       "<th>Resolved</th><th class=num>Downtime</th></tr></thead><tbody>";
  int n = 0;
  for (const auto& f : r.at("top_faults").as_array()) {
    h << "<tr><td>" << ++n << "</td><td>" << Escape(f.at("site_name").as_string()) << "</td><td>"
      << f.at("cause").as_string().c_str() << "</td><td>2026-11-12 04:00</td><td>2026-11-12 "
      << "06:30</td><td class=num>" << FormatHoursMinutes(f.at("downtime_seconds").as_int64())
      << "</td></tr>";
  }
  h << "</tbody></table></body></html>";
  return h.str();
}

}  // namespace rapport::bench
