// The SLA report's PDF. Page 1: cover, KPIs (with the error budget from methodology 2), daily
// uptime chart, heat strip; then the group table, the maintenance windows applied and the site
// table (worst first); then the top-faults appendix on its own page.
#include <rapport/render/format.hpp>
#include <rapport/render/pdf.hpp>

#include "page_flow.hpp"
#include "render_pass.hpp"
#include "report_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rapport {
namespace render {
namespace {

namespace json = boost::json;
using namespace palette;

struct SlaView {
  const json::object& report;
  double target = 100;
  std::string timezone;
  std::vector<const json::object*> sites;  // worst first
  int64_t breached = 0;
  int64_t downtime_seconds = 0;
  int64_t faults = 0;
  bool only_breached = false;
  bool budgets = false;  // methodology 2 and later: error budgets and maintenance windows
};

bool WorseFirst(const json::object* a, const json::object* b) {
  double ua = Num(*a, "uptime_percentage").value_or(100);
  double ub = Num(*b, "uptime_percentage").value_or(100);
  if (ua != ub) return ua < ub;
  int64_t da = Int(*a, "downtime_seconds"), db = Int(*b, "downtime_seconds");
  if (da != db) return da > db;
  std::string na = Str(*a, "site_name"), nb = Str(*b, "site_name");
  if (na != nb) return na < nb;
  return Str(*a, "site_id") < Str(*b, "site_id");
}

SlaView ViewOf(const json::object& report) {
  SlaView v{report};
  const json::object& settings = Obj(report, "settings");
  v.target = Num(settings, "sla_target").value_or(100);
  v.only_breached = Bool(settings, "show_only_breached_sites_in_pdf");
  v.timezone = Str(report, "timezone");
  v.budgets = report.contains("error_budget_seconds");
  for (const auto& s : Arr(report, "sites")) {
    const json::object& site = AsObject(s);
    v.sites.push_back(&site);
    v.breached += Bool(site, "breached") ? 1 : 0;
    v.downtime_seconds += Int(site, "downtime_seconds");
    v.faults += Int(site, "fault_count");
  }
  std::stable_sort(v.sites.begin(), v.sites.end(), WorseFirst);
  return v;
}

std::string Percent(std::optional<double> value) {
  return value ? FormatPercent(*value) + " %" : "–";
}

// A burn rate as "1.16×"; "–" without a budget.
std::string Burn(std::optional<double> rate) { return rate ? FormatNumber(*rate, 2) + "×" : "–"; }

std::string LocalTime(const std::string& rfc3339, const std::string& timezone) {
  auto instant = ParseRfc3339(rfc3339);
  return instant ? FormatLocalMinute(*instant, timezone) : rfc3339;
}

void SlaCover(Flow& flow, const SlaView& v) {
  const json::object& r = v.report;
  Cover(flow, "SLA REPORT", Str(r, "schedule_name"),
        {fmt::format("Period {} to {} ({}), inclusive  ·  Tenant {}", Str(r, "from_date"),
                     Str(r, "to_date"), v.timezone, Str(r, "tenant_id")),
         fmt::format("SLA target {}  ·  Generated {} ({})", Percent(v.target),
                     LocalTime(Str(r, "created_at"), v.timezone), v.timezone),
         fmt::format("Report {}  ·  Schedule {}  ·  Uptime methodology v{}", Str(r, "id"),
                     Str(r, "schedule_id"), Int(r, "methodology_version"))});
}

void Kpis(Flow& flow, const SlaView& v) {
  std::optional<double> overall = Num(v.report, "uptime_percentage");
  auto total = static_cast<int64_t>(v.sites.size());
  std::vector<Tile> tiles{
      {"Overall uptime", Percent(overall), fmt::format("mean of {} sites", FormatCount(total)),
       overall && *overall < v.target ? kBad : kGood},
      {"Sites meeting the target",
       fmt::format("{} of {}", FormatCount(total - v.breached), FormatCount(total)),
       "target " + Percent(v.target)},
      {"Sites breaching the target", FormatCount(v.breached), "marked ✗ in the table",
       v.breached > 0 ? kBad : kInk},
      {"Total downtime", FormatHoursMinutes(v.downtime_seconds), "h:mm, summed over sites"},
      {"Faults", FormatCount(v.faults), "that counted as downtime"},
      {"Worst site", v.sites.empty() ? "–" : Percent(Num(*v.sites[0], "uptime_percentage")),
       v.sites.empty() ? "no sites" : Str(*v.sites[0], "site_name"),
       !v.sites.empty() && Bool(*v.sites[0], "breached") ? kBad : kInk}};
  if (v.budgets) {
    const json::object& r = v.report;
    int64_t left = Int(r, "budget_remaining_seconds");
    std::optional<double> percent = Num(r, "budget_remaining_percent");
    tiles.push_back(
        {"Error budget left", FormatHoursMinutes(left),
         fmt::format("of {} allowed ({})", FormatHoursMinutes(Int(r, "error_budget_seconds")),
                     Percent(percent)),
         left < 0 ? kBad : kInk});
    std::optional<double> burn = Num(r, "burn_rate");
    tiles.push_back({"Burn rate", Burn(burn), "downtime ÷ budget; 1× spends it all",
                     burn && *burn >= 1 ? kBad : kInk});
    int64_t sites = Int(r, "budget_exhausted_site_count");
    tiles.push_back(
        {"Sites out of budget", FormatCount(sites),
         fmt::format("and {} groups", FormatCount(Int(r, "budget_exhausted_group_count"))),
         sites > 0 ? kBad : kInk});
  }
  Tiles(flow, tiles);
}

// A value range for the uptime axis that shows the target and the worst day.
std::pair<double, double> UptimeAxis(double lowest, double target) {
  double low = std::min(lowest, target);
  double span = std::max(100.0 - low, 0.1);
  low = std::max(0.0, low - span * 0.2);
  return {low, 100.0};
}

int AxisDecimals(double span) { return span >= 10 ? 0 : span >= 1 ? 1 : span >= 0.1 ? 2 : 3; }

void DailyChart(Flow& flow, const SlaView& v) {
  const json::array& daily = Arr(v.report, "daily");
  if (daily.empty()) return;
  flow.Heading("Daily uptime", "All sites together, per local day; the dashed line is the target.",
               150);
  Canvas& c = flow.canvas();
  constexpr double kAxis = 46, kHeight = 120;
  double left = kMargin + kAxis, width = kContentWidth - kAxis, top = flow.y() + 4;
  double lowest = 100;
  for (const auto& d : daily) {
    if (auto u = Num(AsObject(d), "uptime_percentage")) lowest = std::min(lowest, *u);
  }
  const auto axis = UptimeAxis(lowest, v.target);     // not a structured binding: clang 14's
  const double low = axis.first, high = axis.second;  // lambdas cannot capture those (fuzz build)
  auto y_of = [&](double u) { return top + kHeight * (high - u) / (high - low); };
  int decimals = AxisDecimals(high - low);
  for (int i = 0; i <= 4; ++i) {
    double u = low + (high - low) * i / 4.0;
    c.Line(left, y_of(u), left + width, y_of(u), kRule, 0.4);
    c.Text(kMargin, y_of(u) - 6, kAxis - 6, 12, FormatNumber(u, decimals) + " %",
           {.size = 7, .color = kMuted, .align = Align::kRight});
  }
  double slot = width / static_cast<double>(daily.size());
  size_t label_every = (daily.size() + 9) / 10;
  for (size_t i = 0; i < daily.size(); ++i) {
    const json::object& day = AsObject(daily[i]);
    double x = left + slot * static_cast<double>(i);
    if (auto u = Num(day, "uptime_percentage")) {
      double bar_top = y_of(std::max(*u, low));
      c.FillRect(x + slot * 0.15, bar_top, slot * 0.7, top + kHeight - bar_top,
                 *u < v.target ? kBadLight : kGoodLight);
    }
    if (i % label_every == 0) {
      c.Text(x - 10, top + kHeight + 2, slot + 20, 11, Str(day, "date").substr(5),
             {.size = 6.5, .color = kMuted, .align = Align::kCenter});
    }
  }
  c.Line(left, y_of(v.target), left + width, y_of(v.target), kBad, 0.8, true);
  c.Line(left, top + kHeight, left + width, top + kHeight, kMuted, 0.6);
  flow.Advance(kHeight + 22);
}

Rgb HeatColour(double uptime, double target) {
  if (uptime >= 100) return kGood;
  if (uptime >= target) return kGoodLight;
  return target - uptime <= 1 ? kBadLight : kBad;
}

void HeatStrip(Flow& flow, const SlaView& v) {
  if (v.sites.empty()) return;
  constexpr size_t kMaxCells = 100;
  size_t per_cell = (v.sites.size() + kMaxCells - 1) / kMaxCells;
  size_t cells = (v.sites.size() + per_cell - 1) / per_cell;
  flow.Heading("Sites at a glance, worst first",
               per_cell == 1
                   ? "Each cell is one site."
                   : fmt::format("Each cell is {} sites, coloured by the worst of them.", per_cell),
               46);
  Canvas& c = flow.canvas();
  double width = std::min(kContentWidth / static_cast<double>(cells), 24.0);
  for (size_t i = 0; i < cells; ++i) {
    double worst = Num(*v.sites[i * per_cell], "uptime_percentage").value_or(100);
    c.FillRect(kMargin + width * static_cast<double>(i), flow.y(), width - (width > 3 ? 0.6 : 0),
               18, HeatColour(worst, v.target));
  }
  flow.Advance(24);
  const std::pair<Rgb, std::string> legend[] = {{kBad, "more than 1 point below target"},
                                                {kBadLight, "below target"},
                                                {kGoodLight, "meets target"},
                                                {kGood, "100 %"}};
  double x = kMargin;
  for (const auto& [colour, label] : legend) {
    c.FillRect(x, flow.y() + 2, 8, 8, colour);
    c.Text(x + 11, flow.y(), 150, 12, label, {.size = 7.5, .color = kMuted});
    x += 18 + c.TextWidth(label, {.size = 7.5});
  }
  flow.Advance(20);
}

Cell Verdict(bool breached) {
  return breached ? Cell{"✗ breached", kBad, true} : Cell{"✓ met", kGood, false};
}

// A row's "Budget left" (h:mm, red when overspent) and "Burn" cells.
void AddBudgetCells(std::vector<Cell>& cells, const json::object& row) {
  int64_t left = Int(row, "budget_remaining_seconds");
  bool out = Bool(row, "budget_exhausted");
  cells.push_back({FormatHoursMinutes(left), out ? kBad : kInk, out});
  cells.push_back({Burn(Num(row, "burn_rate")), out ? kBad : kInk});
}

void GroupTable(Flow& flow, const SlaView& v) {
  const json::array& groups = Arr(v.report, "groups");
  if (groups.empty()) return;
  flow.Heading("Groups", "Sites grouped by tag; a group's uptime aggregates its sites' uptimes.",
               Table::kHeaderHeight + Table::kRowHeight);
  double budget_width = v.budgets ? 110 : 0;
  std::vector<Column> columns{{"Group", 215 - budget_width},
                              {"Aggregation", 70},
                              {"Uptime %", 65, Align::kRight},
                              {"Sites", 50, Align::kRight},
                              {"Breached", 55, Align::kRight}};
  if (v.budgets) {
    columns.push_back({"Budget left", 65, Align::kRight});
    columns.push_back({"Burn", 45, Align::kRight});
  }
  columns.push_back({"SLA", kContentWidth - 455});
  Table table(flow, "Groups", std::move(columns));
  for (const auto& g : groups) {
    const json::object& group = AsObject(g);
    bool breached = Bool(group, "breached");
    std::vector<Cell> cells{
        {Str(group, "key") + " = " + Str(group, "value")},
        {Str(group, "aggregation")},
        {Num(group, "uptime_percentage") ? FormatPercent(*Num(group, "uptime_percentage")) : "–"},
        {FormatCount(Int(group, "site_count"))},
        {FormatCount(Int(group, "breached_site_count"))}};
    if (v.budgets) AddBudgetCells(cells, group);
    cells.push_back(Verdict(breached));
    table.Row(cells, breached ? &kBadRow : nullptr);
  }
  flow.Advance(14);
}

std::vector<Column> SiteColumns(bool budgets) {
  if (!budgets) {
    return {{"Site", 190},
            {"Uptime %", 62, Align::kRight},
            {"Downtime", 55, Align::kRight},
            {"Faults", 45, Align::kRight},
            {"Longest", 55, Align::kRight},
            {"MTTR", 50, Align::kRight},
            {"SLA", kContentWidth - 457}};
  }
  return {{"Site", 128},
          {"Uptime %", 58, Align::kRight},
          {"Downtime", 50, Align::kRight},
          {"Faults", 36, Align::kRight},
          {"Longest", 46, Align::kRight},
          {"MTTR", 42, Align::kRight},
          {"Budget left", 56, Align::kRight},
          {"Burn", 40, Align::kRight},
          {"SLA", kContentWidth - 456}};
}

// The maintenance windows the report applied (methodology 2).
void MaintenanceTable(Flow& flow, const SlaView& v) {
  const json::array& windows = Arr(v.report, "maintenance_windows");
  if (!v.budgets || windows.empty()) return;
  flow.Heading("Maintenance windows",
               fmt::format("Planned time left out of the covered sites' monitored time (h:mm); "
                           "faults inside it did not count. Times in {}.",
                           v.timezone),
               Table::kHeaderHeight + Table::kRowHeight);
  Table table(flow, "Maintenance windows",
              {{"Window", 170},
               {"Type", 55},
               {"Sites", 45, Align::kRight},
               {"Planned", 55, Align::kRight},
               {"From", 95},
               {"To", kContentWidth - 420}});
  for (const auto& w : windows) {
    const json::object& window = AsObject(w);
    table.Row({{Str(window, "name")},
               {Str(window, "type") == "weekly" ? "weekly" : "one-off"},
               {FormatCount(Int(window, "site_count"))},
               {FormatHoursMinutes(Int(window, "maintenance_seconds"))},
               {LocalTime(Str(window, "first_start"), v.timezone)},
               {LocalTime(Str(window, "last_end"), v.timezone)}});
  }
  flow.Advance(14);
}

void SiteTable(Flow& flow, const SlaView& v) {
  std::string title = v.only_breached ? "Breached sites, worst first" : "Sites, worst first";
  std::string caption =
      v.only_breached
          ? fmt::format(
                "Only the {} sites that breached the target are listed; the totals above "
                "cover all {} sites.",
                FormatCount(v.breached), FormatCount(static_cast<int64_t>(v.sites.size())))
      : v.budgets ? "Downtime, longest outage, MTTR (mean time to repair) and error budget "
                    "left in h:mm; burn = downtime ÷ budget."
                  : "Downtime, longest outage and MTTR (mean time to repair) in h:mm.";
  flow.Heading(title, caption, Table::kHeaderHeight + Table::kRowHeight);
  if (v.sites.empty() || (v.only_breached && v.breached == 0)) {
    flow.canvas().Text(
        kMargin, flow.y(), kContentWidth, 14,
        v.sites.empty() ? "The schedule selected no sites." : "No site breached the target.",
        {.size = 9, .color = kInk});
    flow.Advance(20);
    return;
  }
  Table table(flow, title, SiteColumns(v.budgets));
  std::vector<Cell> cells;
  for (const json::object* site : v.sites) {
    bool breached = Bool(*site, "breached");
    if (v.only_breached && !breached) continue;
    cells = {{Str(*site, "site_name")},
             {FormatPercent(Num(*site, "uptime_percentage").value_or(100)), breached ? kBad : kInk,
              breached},
             {FormatHoursMinutes(Int(*site, "downtime_seconds"))},
             {FormatCount(Int(*site, "fault_count"))},
             {FormatHoursMinutes(Int(*site, "longest_outage_seconds"))},
             {FormatHoursMinutes(Int(*site, "mttr_seconds"))}};
    if (v.budgets) AddBudgetCells(cells, *site);
    cells.push_back(Verdict(breached));
    table.Row(cells, breached ? &kBadRow : nullptr);
  }
}

void TopFaults(Flow& flow, const SlaView& v) {
  const json::array& faults = Arr(v.report, "top_faults");
  if (faults.empty()) return;
  flow.BreakPage();
  flow.Heading("Appendix: the faults that cost the most downtime",
               fmt::format("Downtime each fault caused within the monitored time (h:mm); times "
                           "in {}.",
                           v.timezone),
               Table::kHeaderHeight + Table::kRowHeight);
  Table table(flow, "Appendix",
              {{"#", 22, Align::kRight},
               {"Site", 150},
               {"Cause", 95},
               {"Started", 88},
               {"Resolved", 88},
               {"Downtime", kContentWidth - 443, Align::kRight}});
  int n = 0;
  for (const auto& f : faults) {
    const json::object& fault = AsObject(f);
    std::string resolved = Str(fault, "resolved_at");
    table.Row({{std::to_string(++n)},
               {Str(fault, "site_name")},
               {Str(fault, "cause").empty() ? "–" : Str(fault, "cause")},
               {LocalTime(Str(fault, "started_at"), v.timezone)},
               {resolved.empty() ? "still open" : LocalTime(resolved, v.timezone)},
               {FormatHoursMinutes(Int(fault, "downtime_seconds")), kInk, true}});
  }
}

}  // namespace
}  // namespace render

Status RenderSlaPdf(const boost::json::object& report, const PdfSink& sink) {
  return RenderSlaPdf(report, sink, PdfBranding{});
}

Status RenderSlaPdf(const boost::json::object& report, const PdfSink& sink,
                    const PdfBranding& branding) {
  using namespace render;
  SlaView view = ViewOf(report);
  std::string name = Str(report, "schedule_name");
  DocumentInfo info{
      .title = "SLA report: " + name + " (" + Str(report, "from_date") + " to " +
               Str(report, "to_date") + ")",
      .subject = "Per-site uptime against an SLA target of " + FormatPercent(view.target) + " %",
      .created_at = Str(report, "created_at")};
  std::string footer = "Rapport  ·  SLA report  ·  " + name + "  ·  " + Str(report, "from_date") +
                       " to " + Str(report, "to_date");
  return RenderInTwoPasses(
      sink, info, footer,
      [&view](Flow& flow) {
        SlaCover(flow, view);
        Kpis(flow, view);
        DailyChart(flow, view);
        HeatStrip(flow, view);
        GroupTable(flow, view);
        MaintenanceTable(flow, view);
        SiteTable(flow, view);
        TopFaults(flow, view);
      },
      branding, &report);
}

}  // namespace rapport
