// PDF rendering benchmark (issue 6). For SLA reports of 1,000 and 10,000 sites it measures, in the
// same run, with the median of --rounds:
//   1. Rapport's renderer (cairo + pango) in a fresh process: the first render there (cold: it
//      pays fontconfig and font loading) and a second one (warm: what a long-lived rapportd pays),
//      the process's peak RSS and how much of it rendering added on top of the report JSON;
//   2. headless Chromium printing an equivalent HTML page (same cover, KPIs, chart, heat strip,
//      sorted site table with a repeated header, appendix) to PDF, the way browser-based
//      reporting tools do it: wall time of `chromium --headless --print-to-pdf` and the peak RSS
//      of its largest process that the measurer reaps (Chromium runs several, and its renderer is
//      not always among them: a lower bound of what it uses).
// Both PDFs' page counts are printed with pdfinfo, as a check that the two did the same work.
//
// Usage: rapport_pdf_benchmark --help
#include "bench_util.hpp"

#include <rapport/render/format.hpp>
#include <rapport/render/pdf.hpp>

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rapport;
namespace json = boost::json;
using bench::Median;
using bench::Seconds;
using bench::Steady;

struct Options {
  std::string chromium = "/usr/bin/chromium";
  std::vector<int> sizes{1'000, 10'000};
  int rounds = 3;
  std::string work = "/tmp/rapport-pdf-bench";
};

// A month's SLA report over `sites` sites, about 15 % of them breaching a 99.5 % target.
json::object SyntheticReport(int sites) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> unit(0, 1);
  const char* regions[] = {"Berlin", "Zürich", "Москва", "Αθήνα", "東京", "São Paulo", "Lagos"};
  json::array rows;
  double sum = 0;
  int64_t breached = 0;
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
                                {"breached", b}});
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
      {"tenant_id", "bench"},
      {"methodology_version", 1},
      {"created_at", "2026-12-01T07:00:00.000Z"}};
}

std::string Escape(std::string_view s) {
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
std::string ReportHtml(const json::object& r) {
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

long RssKb(const char* field) {  // from /proc/self/status
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  }
  return 0;
}

struct Sample {
  double cold_s = 0, warm_s = 0;
  double peak_mb = 0, added_mb = 0;
};

// Renders in a forked child (the parent never loads pango, so the child starts cold).
Sample MeasureRapport(const json::object& report, const std::string& out_path) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Sample s;
    long before_kb = RssKb("VmRSS:");
    for (double* t : {&s.cold_s, &s.warm_s}) {
      FILE* out = std::fopen(out_path.c_str(), "wb");
      PdfSink sink = [out](std::string_view bytes) {
        return std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
      };
      auto start = Steady::now();
      Status st = RenderSlaPdf(report, sink);
      *t = Seconds(start, Steady::now());
      std::fclose(out);
      if (!st.ok()) _exit(2);
    }
    s.peak_mb = RssKb("VmHWM:") / 1024.0;
    s.added_mb = (RssKb("VmHWM:") - before_kb) / 1024.0;
    if (write(fds[1], &s, sizeof s) != sizeof s) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  Sample s;
  ssize_t got = read(fds[0], &s, sizeof s);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != sizeof s || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("the rendering child failed");
  }
  return s;
}

// Runs Chromium from a forked measurer whose RUSAGE_CHILDREN then covers Chromium's processes.
Sample MeasureChromium(const Options& o, const std::string& html, const std::string& pdf) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  std::fflush(stdout);
  pid_t measurer = fork();
  if (measurer == 0) {
    close(fds[0]);
    std::string profile = o.work + "/chromium-profile";
    std::filesystem::remove_all(profile);
    auto start = Steady::now();
    pid_t pid = fork();
    if (pid == 0) {
      freopen("/dev/null", "w", stderr);
      freopen("/dev/null", "w", stdout);
      std::string print = "--print-to-pdf=" + pdf, data = "--user-data-dir=" + profile;
      std::string url = "file://" + html;
      execl(o.chromium.c_str(), o.chromium.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", data.c_str(),
            print.c_str(), url.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Sample s;
    s.cold_s = s.warm_s = Seconds(start, Steady::now());
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    s.peak_mb = usage.ru_maxrss / 1024.0;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (write(fds[1], &s, sizeof s) != sizeof s) _exit(3);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  Sample s;
  ssize_t got = read(fds[0], &s, sizeof s);
  close(fds[0]);
  int status = 0;
  waitpid(measurer, &status, 0);
  if (got != sizeof s || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("chromium failed to print the page");
  }
  return s;
}

int Pages(const std::string& pdf) {
  FILE* p = popen(("pdfinfo '" + pdf + "' 2>/dev/null").c_str(), "r");
  if (!p) return 0;
  char line[512];
  int pages = 0;
  while (std::fgets(line, sizeof line, p)) {
    if (std::strncmp(line, "Pages:", 6) == 0) pages = std::atoi(line + 6);
  }
  pclose(p);
  return pages;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"SLA PDF rendering: Rapport (cairo + pango) against headless Chromium"};
  app.add_option("--chromium", o.chromium, "Chromium binary (skipped when missing)");
  app.add_option("--sizes", o.sizes, "Site counts to render")->delimiter(',');
  app.add_option("--rounds", o.rounds, "Measurements per size and renderer (median reported)")
      ->check(CLI::PositiveNumber);
  app.add_option("--work", o.work, "Scratch directory");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(o.work);
  o.work = std::filesystem::absolute(o.work).string();
  bool chromium = std::filesystem::exists(o.chromium);

  fmt::print("pdf_render: SLA report, median of {} rounds, {} cores\n", o.rounds,
             std::thread::hardware_concurrency());
  for (int sites : o.sizes) {
    json::object report = SyntheticReport(sites);
    std::string html = o.work + fmt::format("/report-{}.html", sites);
    std::ofstream(html) << ReportHtml(report);
    std::string ours_pdf = o.work + fmt::format("/rapport-{}.pdf", sites);
    std::string chrome_pdf = o.work + fmt::format("/chromium-{}.pdf", sites);
    std::vector<double> cold, warm, peak, added, c_time, c_peak;
    for (int r = 0; r < o.rounds; ++r) {
      Sample s = MeasureRapport(report, ours_pdf);
      cold.push_back(s.cold_s);
      warm.push_back(s.warm_s);
      peak.push_back(s.peak_mb);
      added.push_back(s.added_mb);
      if (chromium) {
        Sample c = MeasureChromium(o, html, chrome_pdf);
        c_time.push_back(c.cold_s);
        c_peak.push_back(c.peak_mb);
      }
    }
    fmt::print(
        "  {:>6} sites  rapport: {} pages, cold {:.3f} s, warm {:.3f} s, peak RSS {:.1f} MB "
        "({:.1f} MB over the report JSON)\n",
        sites, Pages(ours_pdf), Median(cold), Median(warm), Median(peak), Median(added));
    if (chromium) {
      fmt::print(
          "  {:>6} sites  chromium: {} pages, {:.3f} s, peak RSS of its largest process "
          "at least {:.1f} MB\n",
          sites, Pages(chrome_pdf), Median(c_time), Median(c_peak));
      fmt::print(
          "  {:>6} sites  ratio chromium/rapport: {:.1f}x (cold), {:.1f}x (warm); memory "
          "{:.1f}x\n",
          sites, Median(c_time) / Median(cold), Median(c_time) / Median(warm),
          Median(c_peak) / Median(peak));
    } else {
      fmt::print("  chromium not found at {}: install it (apt-get install chromium) to compare\n",
                 o.chromium);
    }
  }
  return 0;
}
