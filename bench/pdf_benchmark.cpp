// PDF rendering benchmark (issue 6). For SLA reports of 1,000 and 10,000 sites it measures, in the
// same run, with the median of --rounds:
//   1. Rapport's renderer (cairo + pango) in a fresh process: the first render there (cold: it
//      pays fontconfig and font loading) and a second one (warm: what a long-lived rapportd pays),
//      the process's peak RSS and how much of it rendering added on top of the report JSON. The
//      fresh process is a fork of this one, which never loads a font: its libraries are already
//      mapped and relocated (as in rapportd), so cold is fontconfig's configuration, the faces,
//      pango's font sets (two threads each), the time-zone database, then the rendering;
//   2. headless Chromium printing an equivalent HTML page (same cover, KPIs, chart, heat strip,
//      sorted site table with a repeated header, appendix) to PDF, the way browser-based
//      reporting tools do it: wall time of `chromium --headless --print-to-pdf` and the peak RSS
//      of its largest process that the measurer reaps (Chromium runs several, and its renderer is
//      not always among them: a lower bound of what it uses).
// Both PDFs are checked (pdfinfo, pdftotext): every site's name, one ✗ per breached site, and
// Rapport's "page N of N" footer; the run fails when a check fails. Besides the summary it writes
// pdf_render.txt and pdf_render.tsv (the README rows) to --results.
//
// Usage: rapport_pdf_benchmark --help
#include "bench_util.hpp"
#include "pdf_bench_report.hpp"

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
#include <cstdlib>
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
using bench::ReportHtml;
using bench::Seconds;
using bench::Steady;
using bench::SyntheticReport;

struct Options {
  std::string chromium = "/usr/bin/chromium";
  std::vector<int> sizes{1'000, 10'000};
  int rounds = 3;
  std::string work = "/tmp/rapport-pdf-bench";
  std::string results;
};

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
  double cold_cpu_s = 0;  // CPU time of the cold render (Chromium: of all its processes)
};

// CPU seconds used so far by this process (all its threads), or by its reaped children.
double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

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
      double cpu = CpuSeconds(RUSAGE_SELF);
      Status st = RenderSlaPdf(report, sink);
      *t = Seconds(start, Steady::now());
      if (t == &s.cold_s) s.cold_cpu_s = CpuSeconds(RUSAGE_SELF) - cpu;
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

// Chromium at its best for a one-shot print: new headless mode and the flags Chromium's own
// tooling documents (GoogleChrome/chrome-launcher docs/chrome-flags-for-tools.md, the headless
// CLI reference) for switching off what a print does not need: GPU, first-run and default-browser
// checks, extensions and component extensions, background networking, component updates, sync,
// phishing detection, crash reporting, translate and media router, background throttling, and the
// print header and footer (the page prints its own). Still cold: a fresh process and a fresh
// profile directory per print, as Rapport's renderer starts in a fresh process.
std::vector<std::string> ChromiumArgs(const std::string& profile, const std::string& pdf,
                                      const std::string& url) {
  return {"--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-extensions",
          "--disable-component-extensions-with-background-pages",
          "--disable-default-apps",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-client-side-phishing-detection",
          "--disable-breakpad",
          "--disable-domain-reliability",
          "--disable-features=Translate,OptimizationHints,MediaRouter,"
          "DialMediaRouteProvider,InterestFeedContentSuggestions,CalculateNativeWinOcclusion",
          "--disable-background-timer-throttling",
          "--disable-backgrounding-occluded-windows",
          "--disable-renderer-backgrounding",
          "--disable-hang-monitor",
          "--disable-ipc-flooding-protection",
          "--metrics-recording-only",
          "--mute-audio",
          "--password-store=basic",
          "--no-pdf-header-footer",
          "--user-data-dir=" + profile,
          "--print-to-pdf=" + pdf,
          url};
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
      std::vector<std::string> args = ChromiumArgs(profile, pdf, "file://" + html);
      std::string binary = o.chromium;
      std::vector<char*> argv{binary.data()};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(o.chromium.c_str(), argv.data());
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Sample s;
    s.cold_s = s.warm_s = Seconds(start, Steady::now());
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    s.peak_mb = usage.ru_maxrss / 1024.0;
    s.cold_cpu_s = CpuSeconds(RUSAGE_CHILDREN);
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

// The human summary (printed and written to pdf_render.txt) and the README rows (pdf_render.tsv).
struct Report {
  std::string text, tsv;
  void Line(const std::string& line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
    text += line + "\n";
  }
  void Row(const std::string& what, const std::string& ours, const std::string& reference,
           double ratio, const std::string& target, const std::string& met) {
    tsv += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", what, ours, reference,
                       ratio > 0 ? fmt::format("{:.1f}×", ratio) : "", target, met);
  }
  void Write(const std::string& dir) const {
    std::ofstream(dir + "/pdf_render.txt") << text;
    std::ofstream(dir + "/pdf_render.tsv") << tsv;
  }
};

std::string Run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Checks that a PDF holds the report: every site's name, one ✗ per breached site (and the one in
// the KPI tile's note), and, for Rapport's, "page N of N" on its last page.
void Verify(const std::string& pdf, const json::object& report, int pages, bool ours) {
  std::string text = Run("pdftotext -layout '" + pdf + "' - 2>/dev/null");
  if (pages <= 0 || text.empty()) throw std::runtime_error(pdf + ": no pages or no text");
  for (const auto& s : report.at("sites").as_array()) {
    std::string name(s.at("site_name").as_string());
    if (text.find(name) == std::string::npos) {
      throw std::runtime_error(pdf + ": site " + name + " missing");
    }
  }
  size_t crosses = Count(text, "✗"), expected = report.at("breached_site_count").as_int64() + 1;
  if (crosses != expected) {
    throw std::runtime_error(fmt::format("{}: {} ✗ marks, expected {}", pdf, crosses, expected));
  }
  if (ours && text.find(fmt::format("page {} of {}", pages, pages)) == std::string::npos) {
    throw std::runtime_error(pdf + ": no \"page N of N\" footer on the last page");
  }
}

std::string Thousands(int n) { return FormatCount(n); }

void MeasureSize(const Options& o, int sites, bool chromium, Report& out) {
  json::object report = SyntheticReport(sites);
  std::string html = o.work + fmt::format("/report-{}.html", sites);
  std::ofstream(html) << ReportHtml(report);
  std::string ours_pdf = o.work + fmt::format("/rapport-{}.pdf", sites);
  std::string chrome_pdf = o.work + fmt::format("/chromium-{}.pdf", sites);
  std::vector<double> cold, warm, peak, added, cpu, c_time, c_peak, c_cpu;
  for (int r = 0; r < o.rounds; ++r) {
    Sample s = MeasureRapport(report, ours_pdf);
    cold.push_back(s.cold_s);
    warm.push_back(s.warm_s);
    peak.push_back(s.peak_mb);
    added.push_back(s.added_mb);
    cpu.push_back(s.cold_cpu_s);
    if (chromium) {
      Sample c = MeasureChromium(o, html, chrome_pdf);
      c_time.push_back(c.cold_s);
      c_peak.push_back(c.peak_mb);
      c_cpu.push_back(c.cold_cpu_s);
    }
  }
  int pages = Pages(ours_pdf);
  Verify(ours_pdf, report, pages, true);
  out.Line(fmt::format(
      "  {:>6} sites  rapport: {} pages, cold {:.3f} s ({:.3f} s CPU), warm {:.3f} s, "
      "whole-process "
      "peak RSS (VmHWM) {:.1f} MB ({:.1f} MB over the report JSON); text checked",
      sites, pages, Median(cold), Median(cpu), Median(warm), Median(peak), Median(added)));
  std::string what = fmt::format("SLA PDF, {} sites, cold", Thousands(sites));
  std::string ours = fmt::format("{:.3f} s, {} pages", Median(cold), pages);
  if (chromium) {
    int c_pages = Pages(chrome_pdf);
    Verify(chrome_pdf, report, c_pages, false);
    double ratio = Median(c_time) / Median(cold);
    out.Line(fmt::format(
        "  {:>6} sites  chromium: {} pages, {:.3f} s (at least {:.3f} s CPU: the processes it "
        "reaped), peak RSS of its largest process at least {:.1f} MB; text checked",
        sites, c_pages, Median(c_time), Median(c_cpu), Median(c_peak)));
    out.Line(fmt::format("  {:>6} sites  ratio chromium/rapport: {:.1f}x (cold), {:.1f}x (warm)",
                         sites, ratio, Median(c_time) / Median(warm)));
    std::string reference =
        fmt::format("headless Chromium, cold (tuned flags): {:.2f} s", Median(c_time));
    bool targeted = sites == 1'000;
    out.Row(what, ours, reference, ratio, targeted ? "≥ 20×" : "",
            targeted ? (ratio >= 20 ? "met" : "missed") : "");
  } else {
    out.Line(fmt::format("  chromium not found at {}: install it (apt-get install chromium)",
                         o.chromium));
    out.Row(what, ours, "Chromium not installed", 0, sites == 1'000 ? "≥ 20×" : "", "");
  }
  if (sites == 10'000) {
    out.Row("SLA PDF, 10,000 sites: whole-process peak RSS (VmHWM)",
            fmt::format("{:.1f} MB", Median(peak)), "", 0, "< 50 MB",
            Median(peak) < 50 ? "met" : "missed");
  }
}

// One cold render in this process, then its memory by mapping (largest resident first).
int Profile(int sites) {
  json::object report = SyntheticReport(sites);
  size_t bytes = 0;
  PdfSink sink = [&bytes](std::string_view b) {
    bytes += b.size();
    return true;
  };
  auto start = Steady::now();
  Status st = RenderSlaPdf(report, sink);
  fmt::print(
      "{} sites: {} bytes in {:.3f} s, VmHWM {} kB, VmRSS {} kB, RssAnon {} kB, RssFile {} kB\n",
      sites, bytes, Seconds(start, Steady::now()), RssKb("VmHWM:"), RssKb("VmRSS:"),
      RssKb("RssAnon:"), RssKb("RssFile:"));
  std::ifstream smaps("/proc/self/smaps");
  std::string line, name;
  std::vector<std::pair<long, std::string>> maps;
  while (std::getline(smaps, line)) {
    if (line.find('-') < 16 && line.find(' ') > line.find('-')) {
      auto pos = line.find_last_of(' ');
      name = line.substr(pos + 1);
      if (name.empty() || name == line) name = "[anon]";
    } else if (line.rfind("Rss:", 0) == 0) {
      maps.emplace_back(std::stol(line.substr(4)), name);
    }
  }
  std::sort(maps.rbegin(), maps.rend());
  for (size_t i = 0; i < maps.size() && i < 25; ++i)
    fmt::print("  {:>7} kB {}\n", maps[i].first, maps[i].second);
  return st.ok() ? 0 : 1;
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
  app.add_option("--results", o.results,
                 "Where pdf_render.txt and pdf_render.tsv go (default $RESULTS_DIR, else "
                 "bench/results)");
  int profile_sites = 0;
  app.add_option("--profile-sites", profile_sites,
                 "Render one report of this many sites once in this process and print its time and "
                 "memory (for callgrind, massif, perf)");
  CLI11_PARSE(app, argc, argv);
  if (profile_sites > 0) return Profile(profile_sites);
  if (o.results.empty()) {
    const char* env = std::getenv("RESULTS_DIR");
    o.results = env && *env ? env : "bench/results";
  }
  std::filesystem::create_directories(o.work);
  std::filesystem::create_directories(o.results);
  o.work = std::filesystem::absolute(o.work).string();
  bool chromium = std::filesystem::exists(o.chromium);

  Report out;
  out.Line(fmt::format("pdf_render: SLA report, median of {} rounds, {} cores", o.rounds,
                       std::thread::hardware_concurrency()));
  try {
    for (int sites : o.sizes) MeasureSize(o, sites, chromium, out);
  } catch (const std::exception& e) {
    out.Line(fmt::format("pdf_render: FAILED: {}", e.what()));
    out.Write(o.results);
    return 1;
  }
  out.Write(o.results);
  return 0;
}
