#include <rapport/sla/sla_email.hpp>

#include <rapport/core/time.hpp>
#include <rapport/sla/sla_export.hpp>

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
  std::vector<std::string> attachments;  // "pdf", "csv", "xlsx"
};

bool Attaches(const Summary& s, std::string_view kind) {
  return std::find(s.attachments.begin(), s.attachments.end(), kind) != s.attachments.end();
}

// What the closing line says is attached.
std::string AttachedLine(const Summary& s) {
  if (s.attachments == std::vector<std::string>{"pdf"}) {
    return "The full report is attached as a PDF.";
  }
  std::string line;
  auto add = [&](std::string_view kind, const char* what) {
    if (Attaches(s, kind)) line += (line.empty() ? "" : ", ") + std::string(what);
  };
  add("pdf", "the full report as a PDF");
  add("csv", "its tables as CSV files");
  add("xlsx", "its tables as an XLSX workbook");
  return "Attached: " + line + ".";
}

std::string MoreIn(const Summary& s) { return Attaches(s, "pdf") ? "the PDF" : "the attachments"; }

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
  s.attachments = SlaEmailAttachmentKinds(report);
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
    text += "  … and " + std::to_string(s.breached.size() - kMaxSitesNamed) + " more in " +
            MoreIn(s) + "\r\n";
  }
  return text + "\r\n" + AttachedLine(s) + "\r\n";
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
      html += "<li>… and " + std::to_string(s.breached.size() - kMaxSitesNamed) + " more in " +
              MoreIn(s) + "</li>";
    }
    html += "</ul>";
  }
  return html + "<p>" + AttachedLine(s) + "</p></body></html>";
}

// The report's exports as attachments: one CSV per table, or one workbook.
Result<std::vector<EmailAttachment>> ExportAttachments(const json::object& report,
                                                       const Summary& s) {
  std::vector<EmailAttachment> out;
  std::string stem = SlaReportFileStem(report);
  std::vector<ExportTable> tables = SlaExportTables(report);
  if (Attaches(s, "csv")) {
    for (const auto& t : tables) {
      out.push_back({.name = stem + "-" + t.key + ".csv",
                     .content_type = "text/csv; charset=utf-8",
                     .bytes = WriteCsv(t)});
    }
  }
  if (Attaches(s, "xlsx")) {
    UnixMs created = ParseRfc3339(Text(report, "created_at")).value_or(0);
    RAPPORT_TRY(std::string xlsx, WriteXlsx(tables, created));
    out.push_back(
        {.name = stem + ".xlsx",
         .content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         .bytes = std::move(xlsx)});
  }
  return out;
}

}  // namespace

std::vector<std::string> SlaEmailAttachmentKinds(const json::object& report) {
  std::vector<std::string> kinds;
  const auto* settings = report.if_contains("settings");
  const auto* list = settings && settings->is_object()
                         ? settings->as_object().if_contains("attachments")
                         : nullptr;
  if (!list || !list->is_array()) return {"pdf"};
  for (const auto& v : list->as_array()) {
    if (v.is_string()) kinds.emplace_back(v.as_string());
  }
  return kinds;
}

Result<EmailContent> SlaReportEmail(const json::object& report) {
  Summary s = SummaryOf(report);
  std::string from = Text(report, "from_date"), to = Text(report, "to_date");
  EmailContent content{
      .subject = "SLA report " + s.name + ", " + from + " to " + to + ": " + s.uptime + " %",
      .text = TextPart(s),
      .html = HtmlPart(s)};
  if (Attaches(s, "pdf")) {
    content.attachments.push_back({.name = SlaReportFileStem(report) + ".pdf",
                                   .content_type = "application/pdf",
                                   .artifact = "report.pdf"});
  }
  RAPPORT_TRY(std::vector<EmailAttachment> exports, ExportAttachments(report, s));
  for (auto& a : exports) content.attachments.push_back(std::move(a));
  return content;
}

}  // namespace rapport
