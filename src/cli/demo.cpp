#include "demo.hpp"

#include "cli.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/time.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <optional>
#include <set>

namespace rapport::cli {
namespace {

namespace json = boost::json;

const char* const kSites = R"([
  {"name": "London HQ", "timezone": "Europe/London", "tags": {"region": "emea", "tier": "gold"}},
  {"name": "Frankfurt DC", "timezone": "Europe/Berlin", "tags": {"region": "emea", "tier": "gold"}},
  {"name": "New York Office", "timezone": "America/New_York", "tags": {"region": "amer", "tier": "silver"}},
  {"name": "São Paulo Branch", "timezone": "America/Sao_Paulo", "tags": {"region": "amer", "tier": "bronze"}},
  {"name": "Sydney Office", "timezone": "Australia/Sydney", "tags": {"region": "apac", "tier": "silver"}},
  {"name": "東京 Data Center", "timezone": "Asia/Tokyo", "tags": {"region": "apac", "tier": "gold"}},
  {"name": "Москва Branch", "timezone": "Europe/Moscow", "tags": {"region": "emea", "tier": "bronze"}},
  {"name": "Lord Howe Relay", "timezone": "Australia/Lord_Howe", "tags": {"region": "apac", "tier": "bronze"}}
])";

const char* const kBrands = R"([
  {"name": "Acme Analytics", "website": "https://acme-analytics.example",
   "brand_aliases": ["Acme", "AcmeAI"],
   "competitors": [{"name": "Globex Insights", "aliases": ["Globex"]}, "Initech Data"],
   "categories": ["analytics", "business intelligence"], "country": "US", "language": "en"},
  {"name": "Nordlicht Energie", "website": "https://nordlicht.example",
   "competitors": ["Sonnenwerk", "Windkraft Nord"], "categories": ["renewable energy"],
   "country": "DE", "language": "de"}
])";

std::set<std::string> ExistingNames(Session& session, const std::string& path, int& code) {
  std::set<std::string> names;
  auto page = session.Call("GET", path + "?limit=100", "", code);
  if (!page) return names;
  for (const auto& item : page->at("data").as_array()) {
    names.emplace(item.at("name").as_string());
  }
  return names;
}

int CreateMissing(Session& session, const std::string& path, const char* items_json, int& created) {
  int code = kExitOk;
  auto existing = ExistingNames(session, path, code);
  if (code != kExitOk) return code;
  json::value items = json::parse(items_json);
  for (const auto& item : items.as_array()) {
    std::string name(item.at("name").as_string());
    if (existing.count(name)) continue;
    if (!session.Call("POST", path, json::serialize(item), code,
                      "demo-" + HexEncode(Sha256(path + "\n" + name)).substr(0, 32))) {
      return code;
    }
    ++created;
  }
  return kExitOk;
}

json::object Fault(const std::string& site, const char* type, const char* severity,
                   const char* cause, int64_t start_s, std::optional<int64_t> duration_s) {
  json::object f{
      {"resource_id", site},
      {"type", type},
      {"severity", severity},
      {"cause", cause},
      {"message", std::string(type) == "wantunnel" ? "WAN tunnel down" : "Site unreachable"},
      {"created_at", FormatRfc3339(start_s * 1000)}};
  if (duration_s) f["resolved_at"] = FormatRfc3339((start_s + *duration_s) * 1000);
  return f;
}

std::string DateOf(int64_t days) { return FormatRfc3339(days * 86'400'000).substr(0, 10); }

// Faults (once), business hours and two SLA schedules, then one on-demand report for the last
// seven days if none exists yet. Returns the exit code.
// The demo sites (id, region and tier tags).
int ReadDemoSites(Session& session, std::vector<std::string>& site_ids,
                  std::vector<DemoSite>& demo_sites) {
  int code = kExitOk;
  auto sites = session.Call("GET", "/sites?limit=100", "", code);
  if (!sites) return code;
  for (const auto& s : sites->at("data").as_array()) {
    site_ids.emplace_back(s.at("id").as_string());
    const json::object& tags = s.at("tags").as_object();
    auto tag = [&tags](const char* key) {
      const json::value* v = tags.if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    demo_sites.push_back({site_ids.back(), tag("region"), tag("tier")});
  }
  return kExitOk;
}

// A week of faults, once (keyed by the day).
int EnsureDemoFaults(Session& session, const std::vector<DemoSite>& demo_sites, int64_t today,
                     int& created) {
  int code = kExitOk;
  auto faults = session.Call("GET", "/faults?limit=1", "", code);
  if (!faults) return code;
  if (faults->at("data").as_array().empty()) {
    json::object bulk{{"faults", DemoFaults(demo_sites, today)}};
    auto stored = session.Call("POST", "/faults/bulk", json::serialize(bulk), code,
                               "demo-faults-" + std::to_string(today));
    if (!stored) return code;
    created += static_cast<int>(stored->at("meta").at("count").as_int64());
  }
  return kExitOk;
}

// The "Office hours" business hours; `hours_id` is theirs.
int EnsureOfficeHours(Session& session, std::string& hours_id, int& created) {
  int code = kExitOk;
  auto hours = session.Call("GET", "/business-hours?limit=100", "", code);
  if (!hours) return code;
  for (const auto& h : hours->at("data").as_array()) {
    if (h.at("name").as_string() == "Office hours") hours_id = h.at("id").as_string();
  }
  if (hours_id.empty()) {
    json::array days;
    for (const char* d : {"monday", "tuesday", "wednesday", "thursday", "friday"}) {
      days.push_back(json::object{{"day", d}, {"start", "08:00"}, {"end", "18:00"}});
    }
    auto made = session.Call(
        "POST", "/business-hours",
        json::serialize(json::object{
            {"name", "Office hours"}, {"timezone", "Europe/London"}, {"hours", std::move(days)}}),
        code, "demo-business-hours");
    if (!made) return code;
    hours_id = made->at("id").as_string();
    ++created;
  }
  return kExitOk;
}

// The two SLA schedules; `daily_id` is the daily one's.
int EnsureSlaSchedules(Session& session, const std::vector<std::string>& site_ids,
                       const std::string& hours_id, std::string& daily_id, int& created) {
  int code = kExitOk;
  auto schedules = session.Call("GET", "/reports/sla/schedules?limit=100", "", code);
  if (!schedules) return code;
  std::set<std::string> names;
  for (const auto& s : schedules->at("data").as_array()) {
    names.emplace(s.at("name").as_string());
    if (s.at("name").as_string() == "All sites, daily") daily_id = s.at("id").as_string();
  }
  json::array all_sites;
  for (const auto& id : site_ids) all_sites.emplace_back(id);
  std::vector<json::object> wanted = {
      {{"name", "All sites, daily"},
       {"daily", true},
       {"timezone", "Europe/London"},
       {"sla_target", 99.5},
       {"ignore_power_outages", true},
       {"sites", all_sites},
       {"grouping_rules", json::array{json::object{{"key", "region"}, {"aggregation", "avg"}}}}},
      {{"name", "EMEA gold, monthly, office hours"},
       {"monthly", true},
       {"day_of_month", 1},
       {"timezone", "Europe/London"},
       {"sla_target", 99.9},
       {"site_selection_mode", "tags"},
       {"site_selection_logic", "and"},
       {"site_selection_rules", json::array{json::object{{"key", "region"}, {"value", "emea"}},
                                            json::object{{"key", "tier"}, {"value", "gold"}}}},
       {"calculate_sla_within_schedule_hours", true},
       {"business_hours_id", hours_id},
       {"recipients", json::array{"noc@example.com"}}}};
  for (const auto& body : wanted) {
    std::string name(body.at("name").as_string());
    if (names.count(name)) continue;
    auto made = session.Call("POST", "/reports/sla/schedules", json::serialize(body), code,
                             "demo-" + HexEncode(Sha256("schedule\n" + name)).substr(0, 32));
    if (!made) return code;
    if (name == "All sites, daily") daily_id = made->at("id").as_string();
    ++created;
  }
  return kExitOk;
}

// The daily schedule's last week, run once on demand so the demo has a report.
int QueueFirstSlaReport(Session& session, const std::string& daily_id, int64_t today) {
  int code = kExitOk;
  if (daily_id.empty()) return kExitOk;
  auto runs = session.Call("GET", "/reports/sla/schedules/" + daily_id + "/runs?limit=1", "", code);
  if (!runs) return code;
  if (runs->at("data").as_array().empty()) {
    json::object range{{"from_date", DateOf(today - 7)}, {"to_date", DateOf(today - 1)}};
    auto run = session.Call("POST", "/reports/sla/schedules/" + daily_id + "/run",
                            json::serialize(range), code);
    if (!run) return code;
    std::cout << "SLA report for " << DateOf(today - 7) << " to " << DateOf(today - 1)
              << " queued as job " << std::string(run->at("job_id").as_string())
              << "; see it with: rapport api GET /reports/sla/reports\n";
  }
  return kExitOk;
}

int LoadSlaDemo(Session& session, int& created) {
  std::vector<std::string> site_ids;
  std::vector<DemoSite> demo_sites;
  if (int code = ReadDemoSites(session, site_ids, demo_sites); code != kExitOk) return code;
  int64_t today = SystemClock().NowMs() / 86'400'000;
  if (int code = EnsureDemoFaults(session, demo_sites, today, created); code != kExitOk) {
    return code;
  }
  std::string hours_id, daily_id;
  if (int code = EnsureOfficeHours(session, hours_id, created); code != kExitOk) return code;
  if (int code = EnsureSlaSchedules(session, site_ids, hours_id, daily_id, created);
      code != kExitOk) {
    return code;
  }
  return QueueFirstSlaReport(session, daily_id, today);
}

// The schedule's US region config with three prompts, once.
int EnsureBrandRegion(Session& session, const std::string& brand_id, const std::string& schedule_id,
                      int& created) {
  int code = kExitOk;
  auto configs =
      session.Call("GET", "/v1/scheduled-reports/" + schedule_id + "/region-configs", "", code);
  if (!configs) return code;
  if (!configs->at("data").as_array().empty()) return kExitOk;
  auto config = session.Call(
      "POST", "/v1/region-configs",
      json::serialize(json::object{{"brand_id", brand_id},
                                   {"scheduled_report_id", schedule_id},
                                   {"name", "United States"},
                                   {"country", "US"},
                                   {"language", "en"},
                                   {"location", "New York"},
                                   {"ai_platforms", json::array{"chatgpt", "perplexity"}}}),
      code, "demo-" + HexEncode(Sha256("rcfg\n" + schedule_id)).substr(0, 32));
  if (!config) return code;
  json::array prompts;
  for (const char* text :
       {"What is the best analytics software for retailers?",
        "Which BI tools do mid-size retail chains use?", "Acme Analytics vs Globex Insights?"}) {
    prompts.push_back(json::object{{"prompt_text", text}, {"category", "discovery"}});
  }
  std::string config_id(config->at("id").as_string());
  if (!session.Call("POST", "/v1/region-configs/" + config_id + "/prompts",
                    json::serialize(json::object{{"prompts", std::move(prompts)}}), code,
                    "demo-" + HexEncode(Sha256("prompts\n" + config_id)).substr(0, 32))) {
    return code;
  }
  created += 2;
  return kExitOk;
}

// Facts, a weekly scheduled report and a US region config with prompts for the first demo brand.
int LoadBrandDemo(Session& session, int& created) {
  int code = kExitOk;
  auto brands = session.Call("GET", "/v1/brands?limit=100", "", code);
  if (!brands) return code;
  std::string brand_id;
  for (const auto& b : brands->at("data").as_array()) {
    if (b.at("name").as_string() == "Acme Analytics") brand_id = b.at("id").as_string();
  }
  if (brand_id.empty()) return kExitOk;
  json::object facts{{"description", "Acme Analytics makes self-service dashboards for retailers."},
                     {"industry", "Business intelligence software"},
                     {"founded_year", 2011},
                     {"headquarters", "Columbus, Ohio"},
                     {"key_facts", json::array{"Serves over 400 retail chains"}}};
  if (!session.Call("PATCH", "/v1/brands/" + brand_id + "/facts", json::serialize(facts), code)) {
    return code;
  }
  auto schedules = session.Call("GET", "/v1/scheduled-reports?brand_id=" + brand_id, "", code);
  if (!schedules) return code;
  std::string schedule_id;
  for (const auto& s : schedules->at("data").as_array()) {
    if (s.at("name").as_string() == "Acme weekly") schedule_id = s.at("id").as_string();
  }
  if (schedule_id.empty()) {
    auto made =
        session.Call("POST", "/v1/scheduled-reports",
                     json::serialize(json::object{
                         {"brand_id", brand_id}, {"name", "Acme weekly"}, {"frequency", "weekly"}}),
                     code, "demo-" + HexEncode(Sha256("srep\n" + brand_id)).substr(0, 32));
    if (!made) return code;
    schedule_id = made->at("id").as_string();
    ++created;
  }
  return EnsureBrandRegion(session, brand_id, schedule_id, created);
}

}  // namespace

json::array DemoFaults(const std::vector<DemoSite>& sites, int64_t today_days) {
  json::array faults;
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((state >> 33) % bound);
  };
  const char* causes[] = {"Fiber cut", "Router reboot", "ISP outage", "Power Outage",
                          "Configuration error"};
  const char* severities[] = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
  int64_t first_day = today_days - kDemoFaultDays;
  for (const auto& site : sites) {
    int64_t one_in = site.tier == "gold" ? 6 : site.tier == "silver" ? 4 : 3;
    for (int64_t day = first_day; day < today_days; ++day) {
      if ((day + 4) % 7 == 0 && site.tier == "gold") {  // Sunday (1970-01-01 was a Thursday)
        faults.push_back(Fault(site.id, "site", "LOW", "Planned maintenance",
                               day * 86400 + 2 * 3600, 20 * 60 + next(20 * 60)));
      }
      if (next(one_in) != 0) continue;
      int64_t hour = next(3) != 0 ? 8 + next(10) : next(24);  // mostly in working hours
      int64_t start_s = day * 86400 + hour * 3600 + next(3600);
      int64_t duration_s = 60 + (next(8) == 0 ? next(3 * 3600) : next(30 * 60));
      bool tunnel = next(5) == 0;
      faults.push_back(Fault(site.id, tunnel ? "wantunnel" : "site", severities[next(4)],
                             causes[next(5)], start_s, duration_s));
    }
  }
  struct Incident {
    const char* region;
    int64_t days_ago, hour, minutes;
    const char* severity;
    const char* cause;
  };
  for (const Incident& incident : {Incident{"amer", 41, 14, 150, "CRITICAL", "ISP outage"},
                                   Incident{"apac", 12, 3, 70, "HIGH", "Submarine cable fault"}}) {
    for (const auto& site : sites) {
      if (site.region != incident.region) continue;
      faults.push_back(Fault(site.id, "site", incident.severity, incident.cause,
                             (today_days - incident.days_ago) * 86400 + incident.hour * 3600,
                             incident.minutes * 60));
    }
  }
  for (auto it = sites.rbegin(); it != sites.rend(); ++it) {
    if (it->tier != "bronze") continue;
    faults.push_back(
        Fault(it->id, "site", "HIGH", "Power Outage", today_days * 86400 - 3 * 3600, std::nullopt));
    break;
  }
  return faults;
}

int LoadDemo(Session& session) {
  int created = 0;
  if (int code = CreateMissing(session, "/sites", kSites, created); code != kExitOk) return code;
  if (int code = CreateMissing(session, "/v1/brands", kBrands, created); code != kExitOk) {
    return code;
  }
  if (int code = LoadSlaDemo(session, created); code != kExitOk) return code;
  if (int code = LoadBrandDemo(session, created); code != kExitOk) return code;
  std::cout << "demo data loaded: " << created << " items created ("
            << json::parse(kSites).as_array().size() << " sites, "
            << json::parse(kBrands).as_array().size() << " brands in the set)\n";
  return kExitOk;
}

}  // namespace rapport::cli
