// The `brand_report` job handler (the run itself: brand_run.hpp) and a scheduled report's
// analytics over its runs.
#include <rapport/brand/brand_report.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include "brand_run.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <map>
#include <set>

namespace rapport {

namespace json = boost::json;

Result<JobOutcome> BrandReportJob::Run(JobContext& ctx) {
  return BrandRun(stores_, clock_, client_, ctx).Execute();
}

std::vector<Event> BrandReportJob::FailureEvents(const Job& job, const Error& error, UnixMs now) {
  json::object reason{{"code", error.spec().code}, {"message", error.message()}};
  json::object run{{"job_id", job.id},
                   {"status", "failed"},
                   {"completed_regions_count", 0},
                   {"failure_reason", reason}};
  json::array configs;
  boost::system::error_code ec;
  json::value payload = json::parse(job.payload, ec);
  if (!ec && payload.is_object()) {
    const json::object& p = payload.as_object();
    for (const char* key : {"scheduled_report_id", "batch_id", "trigger"}) {
      if (const auto* v = p.if_contains(key)) run[key] = *v;
    }
    if (const auto* ids = p.if_contains("region_config_ids"); ids && ids->is_array()) {
      configs = ids->as_array();
    }
    if (const auto* id = p.if_contains("scheduled_report_id"); id && id->is_string()) {
      auto schedule =
          stores_.schedules.GetScheduledReport(job.tenant_id, std::string(id->as_string()));
      if (schedule.ok()) run["brand_id"] = schedule->brand_id;
    }
  }
  run["total_regions_count"] = static_cast<int64_t>(configs.size());
  std::vector<Event> events;
  for (const auto& config : configs) {
    json::object data = run;
    data.erase("completed_regions_count");
    data.erase("total_regions_count");
    data["region_config_id"] = config;
    events.push_back(Event{NewIdAt("evt", now), job.tenant_id, "report.failed", ToJson(data), now});
  }
  events.push_back(
      Event{NewIdAt("evt", now), job.tenant_id, "schedule.run.failed", ToJson(run), now});
  return events;
}

}  // namespace rapport

namespace rapport {

namespace {

// Answers counted toward a brand rate: those in which the brand appears, of all.
struct Counts {
  int64_t with_brand = 0;
  int64_t n = 0;
};

// One run of a scheduled report (its reports share a batch): its counts overall, per platform
// and per prompt.
struct AnalyticsRun {
  std::string batch_id;
  UnixMs created_at = 0;
  Counts all;
  std::map<std::string, Counts> platforms, prompts;
};

// The runs of a scheduled report, with every prompt's text and every platform seen.
struct RunHistory {
  std::vector<AnalyticsRun> runs;  // oldest first
  std::map<std::string, std::string> prompt_texts;
  std::set<std::string> platform_names;
};

// Counts one report's answers into `run`, noting its prompts' texts and platforms in `history`.
void CountReport(const Report& r, AnalyticsRun& run, RunHistory& history) {
  json::value body = json::parse(r.body);
  const auto* prompts = body.as_object().if_contains("prompts");
  if (!prompts || !prompts->is_array()) return;
  for (const auto& p : prompts->as_array()) {
    std::string id(p.at("prompt_id").as_string());
    history.prompt_texts[id] = p.at("prompt_text").as_string();
    for (const auto& result : p.at("results").as_array()) {
      const auto& appears = result.at("brand_appears");
      if (!appears.is_bool()) continue;  // a failed answer: in no rate
      std::string platform(result.at("platform").as_string());
      history.platform_names.insert(platform);
      bool seen = appears.as_bool();
      for (Counts* c : {&run.all, &run.platforms[platform], &run.prompts[id]}) {
        c->with_brand += seen;
        ++c->n;
      }
    }
  }
}

// Groups the reports (newest first) into runs by batch, oldest first, and counts their answers.
RunHistory CountRuns(const std::vector<Report>& reports) {
  RunHistory history;
  std::map<std::string, size_t> index;
  for (auto it = reports.rbegin(); it != reports.rend(); ++it) {
    const Report& r = *it;
    std::string batch = r.batch_id.value_or(r.job_id);
    if (!index.contains(batch)) {
      index[batch] = history.runs.size();
      history.runs.push_back(AnalyticsRun{batch, r.created_at, {}, {}, {}});
    }
    CountReport(r, history.runs[index[batch]], history);
  }
  return history;
}

// One point of a series: the run's brand rate (percent, 1 decimal) and its 95 % Wilson interval.
json::object Point(const AnalyticsRun& run, const Counts& c) {
  Interval95 ci = WilsonInterval(c.with_brand, c.n);
  return json::object{
      {"batch_id", run.batch_id},
      {"created_at", FormatRfc3339(run.created_at)},
      {"rate", c.n == 0 ? json::value(nullptr)
                        : json::value(std::round(1000.0 * static_cast<double>(c.with_brand) /
                                                 static_cast<double>(c.n)) /
                                      10.0)},
      {"n", c.n},
      {"ci95_low", std::round(ci.low * 10) / 10},
      {"ci95_high", std::round(ci.high * 10) / 10}};
}

// The points of the runs that counted answers under `key` in their map `counts` (platforms or
// prompts).
json::array Series(const std::vector<AnalyticsRun>& runs, const std::string& key,
                   std::map<std::string, Counts> AnalyticsRun::*counts) {
  json::array series;
  for (const auto& run : runs) {
    if (auto c = (run.*counts).find(key); c != (run.*counts).end()) {
      series.push_back(Point(run, c->second));
    }
  }
  return series;
}

// Each platform's series of brand rates.
json::array PlatformSeries(const RunHistory& history) {
  json::array platforms;
  for (const auto& name : history.platform_names) {
    platforms.push_back(json::object{
        {"platform", name}, {"series", Series(history.runs, name, &AnalyticsRun::platforms)}});
  }
  return platforms;
}

// Each prompt's series of brand rates, with the prompt's text.
json::array PromptSeries(const RunHistory& history) {
  json::array prompts;
  for (const auto& [id, text] : history.prompt_texts) {
    prompts.push_back(json::object{{"prompt_id", id},
                                   {"prompt_text", text},
                                   {"series", Series(history.runs, id, &AnalyticsRun::prompts)}});
  }
  return prompts;
}

}  // namespace

boost::json::object BuildScheduleAnalytics(const std::string& scheduled_report_id,
                                           const std::vector<Report>& reports) {
  RunHistory history = CountRuns(reports);
  json::array trend;
  for (const auto& run : history.runs) trend.push_back(Point(run, run.all));
  return json::object{{"object", "scheduled_report.analytics"},
                      {"scheduled_report_id", scheduled_report_id},
                      {"runs_count", static_cast<int64_t>(history.runs.size())},
                      {"visibility", std::move(trend)},
                      {"platforms", PlatformSeries(history)},
                      {"prompts", PromptSeries(history)}};
}

}  // namespace rapport
