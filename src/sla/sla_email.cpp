#include <rapport/sla/sla_email.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr size_t kMaxSitesNamed = 10;

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

std::string Number(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v->to_number<double>());
  return buf;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

using Breach = std::pair<std::string, std::string>;  // site name, uptime

// The breaching sites of an SLA report, lowest uptime first.
std::vector<Breach> BreachedSites(const json::object& report) {
  std::vector<Breach> breached;
  if (const auto* sites = report.if_contains("sites"); sites && sites->is_array()) {
    for (const auto& v : sites->as_array()) {
      const auto& site = v.as_object();
      if (site.at("breached").as_bool()) {
        breached.emplace_back(Text(site, "site_name"), Number(site, "uptime_percentage"));
      }
    }
  }
  std::sort(breached.begin(), breached.end(),
            [](const auto& a, const auto& b) { return std::stod(a.second) < std::stod(b.second); });
  return breached;
}

// The figures both parts show.
struct Summary {
  std::string name;
  std::string period;
  std::string uptime;
  std::string target = "–";
  std::vector<Breach> breached;
};

Summary SummaryOf(const json::object& report) {
  Summary s;
  s.name = Text(report, "schedule_name");
  s.period = Text(report, "from_date") + " to " + Text(report, "to_date") + " (" +
             Text(report, "timezone") + ")";
  s.uptime = Number(report, "uptime_percentage");
  if (const auto* settings = report.if_contains("settings"); settings && settings->is_object()) {
    s.target = Number(settings->as_object(), "sla_target");
  }
  s.breached = BreachedSites(report);
  return s;
}

std::string TextPart(const Summary& s) {
  std::string text = "SLA report: " + s.name + "\r\nPeriod: " + s.period +
                     "\r\nOverall uptime: " + s.uptime + " % (target " + s.target +
                     " %)\r\nSites breaching the target: " + std::to_string(s.breached.size()) +
                     "\r\n";
  for (size_t i = 0; i < s.breached.size() && i < kMaxSitesNamed; ++i) {
    text += "  - " + s.breached[i].first + ": " + s.breached[i].second + " %\r\n";
  }
  if (s.breached.size() > kMaxSitesNamed) {
    text +=
        "  … and " + std::to_string(s.breached.size() - kMaxSitesNamed) + " more in the PDF\r\n";
  }
  return text + "\r\nThe full report is attached as a PDF.\r\n";
}

std::string HtmlPart(const Summary& s) {
  std::string html = "<html><body><h2>SLA report: " + HtmlEscape(s.name) +
                     "</h2><p>Period: " + HtmlEscape(s.period) + "<br>Overall uptime: <b>" +
                     s.uptime + " %</b> (target " + s.target +
                     " %)<br>Sites breaching the target: <b>" + std::to_string(s.breached.size()) +
                     "</b></p>";
  if (!s.breached.empty()) {
    html += "<ul>";
    for (size_t i = 0; i < s.breached.size() && i < kMaxSitesNamed; ++i) {
      html += "<li>" + HtmlEscape(s.breached[i].first) + ": " + s.breached[i].second + " %</li>";
    }
    if (s.breached.size() > kMaxSitesNamed) {
      html += "<li>… and " + std::to_string(s.breached.size() - kMaxSitesNamed) +
              " more in the PDF</li>";
    }
    html += "</ul>";
  }
  return html + "<p>The full report is attached as a PDF.</p></body></html>";
}

}  // namespace

EmailContent SlaReportEmail(const json::object& report) {
  Summary s = SummaryOf(report);
  std::string from = Text(report, "from_date"), to = Text(report, "to_date");
  return {.subject = "SLA report " + s.name + ", " + from + " to " + to + ": " + s.uptime + " %",
          .text = TextPart(s),
          .html = HtmlPart(s),
          .attachment_name = "sla-report-" + from + "-to-" + to + ".pdf"};
}

}  // namespace rapport
