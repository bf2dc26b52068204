// A brand run's reports from its stored answers: one per region config, with the visibility
// trend, the run's regions and a PDF each, and the run's events (see brand_run.hpp).
#include "brand_run.hpp"

#include <rapport/brand/brand_channels.hpp>
#include <rapport/brand/citation_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/render/pdf.hpp>
#include <rapport/reports/pdf_branding.hpp>

#include "brand_report_internal.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr int kTrendRuns = 12;  // this run and up to 11 before it

json::object TrendPoint(const std::string& report_id, UnixMs created_at,
                        const json::object& visibility) {
  json::object point{{"report_id", report_id}, {"created_at", FormatRfc3339(created_at)}};
  for (const char* key : {"rate", "n", "ci95_low", "ci95_high"}) {
    if (const auto* v = visibility.if_contains(key)) point[key] = *v;
  }
  return point;
}

// This region's visibility over the scheduled report's earlier runs and this one, oldest first.
Result<json::array> VisibilityTrend(ReportStore& reports, const std::string& tenant,
                                    const std::string& schedule_id, const std::string& config_id,
                                    const std::string& report_id, UnixMs now,
                                    const json::value& visibility) {
  RAPPORT_TRY(Page<Report> earlier, reports.ListReports(tenant,
                                                        {.kind = "brand",
                                                         .schedule_id = schedule_id,
                                                         .status = "completed",
                                                         .region_config_id = config_id},
                                                        PageRequest{.limit = kTrendRuns - 1}));
  json::array trend;
  for (auto it = earlier.items.rbegin(); it != earlier.items.rend(); ++it) {
    boost::system::error_code ec;
    json::value body = json::parse(it->body, ec);
    if (ec || !body.is_object()) continue;
    const auto* v = body.as_object().if_contains("visibility");
    if (v && v->is_object()) trend.push_back(TrendPoint(it->id, it->created_at, v->as_object()));
  }
  trend.push_back(TrendPoint(report_id, now, visibility.as_object()));
  return trend;
}

// Gives every report of the batch the regions breakdown of the whole run, and its PDF (an
// artifact named after the report's part, so each region's report has its own).
Status AddRegionsAndPdfs(JobOutcome& outcome, UnixMs now, const PdfBranding& branding) {
  std::vector<json::object> bodies;
  json::array regions;
  for (const auto& report : outcome.reports) {
    json::object body = json::parse(report.body).as_object();
    json::object region = body.at("region").as_object();
    region["region_config_id"] = report.region_config_id.value_or("");
    region["visibility"] = body.at("visibility");
    regions.push_back(std::move(region));
    bodies.push_back(std::move(body));
  }
  for (size_t i = 0; i < bodies.size(); ++i) {
    Report& report = outcome.reports[i];
    bodies[i]["regions"] = regions;
    report.body = ToJson(bodies[i]);
    json::object full{{"id", report.id}, {"created_at", FormatRfc3339(now)}};
    for (auto& [k, v] : bodies[i]) full[k] = std::move(v);
    RAPPORT_TRY(std::string pdf, RenderPdfToString(full, branding, RenderBrandPdf));
    outcome.artifacts.push_back({report.part + "report.pdf", "application/pdf", std::move(pdf)});
  }
  return Ok{};
}

// The stored answer in the form reports are built from (scored again: scoring is pure).
AskedAnswer FromStored(const BrandAnswer& a, const Prompt& prompt, const Entity& brand,
                       const std::vector<Entity>& competitors) {
  AskedAnswer out;
  out.prompt_id = prompt.id;
  out.prompt_text = prompt.prompt_text;
  out.category = prompt.category;
  out.platform = a.key.platform;
  out.model = a.model;
  out.sample = a.key.sample;
  out.latency_ms = a.latency_ms;
  out.prompt_tokens = a.prompt_tokens;
  out.completion_tokens = a.completion_tokens;
  out.judge_prompt_tokens = a.judge_prompt_tokens;
  out.judge_completion_tokens = a.judge_completion_tokens;
  if (!IsAnswered(a)) {
    out.failed = true;
    out.error = a.error;
    return out;
  }
  out.answer = a.answer;
  out.sources = ParseSources(a.sources);
  out.score = ScoreAnswer(a.answer, brand, competitors);
  if (a.judgement) {
    if (auto claims = ParseJudgement(*a.judgement)) {
      out.judged = true;
      out.claims = std::move(*claims);
    }
  }
  return out;
}

}  // namespace

// The report of one region config from its stored answers (added to `all` for the run's usage).
Result<Report> BrandRun::BuildReport(size_t wi, UnixMs now, std::vector<AskedAnswer>& all) {
  const Work& w = work_[wi];
  std::vector<AskedAnswer> answers;
  for (const auto& u : units_) {
    if (u.work == wi) {
      answers.push_back(FromStored(stored_.at(u.key), *u.prompt, brand_entity_, competitors_));
    }
  }
  json::object body = BuildBrandReport(brand_, w.config, answers, w.samples);
  body["usage"] = UsageOf(answers, settings_.prices, judge_ ? judge_->model : "");
  all.insert(all.end(), answers.begin(), answers.end());
  body["brand_name"] = brand_.name;
  body["scheduled_report_id"] = schedule_.id;
  body["batch_id"] = batch_id_;
  body["trigger"] = trigger_;
  body["status"] = "completed";
  body["error"] = nullptr;
  Report report;
  report.id = NewIdAt("rpt", now);
  RAPPORT_TRY(json::array trend,
              VisibilityTrend(stores_.reports, ctx_.job().tenant_id, schedule_.id, w.config.id,
                              report.id, now, body.at("visibility")));
  body["trend"] = std::move(trend);
  report.kind = "brand";
  report.schedule_id = schedule_.id;
  report.part = w.config.id;
  report.trigger = trigger_;
  report.from_date = report.to_date = FormatRfc3339(now).substr(0, 10);
  report.body = ToJson(body);  // rewritten once the batch's regions are known
  report.kind_data = CitationUsesOf(body);
  report.created_at = now;
  report.brand_id = brand_.id;
  report.region_config_id = w.config.id;
  report.batch_id = batch_id_;
  return report;
}

Result<JobOutcome> BrandRun::Build() {
  JobOutcome outcome;
  UnixMs now = clock_.NowMs();
  std::vector<AskedAnswer> all;
  json::array report_ids;
  for (size_t wi = 0; wi < work_.size(); ++wi) {
    RAPPORT_TRY(Report report, BuildReport(wi, now, all));
    report_ids.emplace_back(report.id);
    outcome.reports.push_back(std::move(report));
  }
  RAPPORT_TRY(PdfBranding branding, PdfBrandingOf(stores_.labels, ctx_.job().tenant_id));
  RAPPORT_CHECK(AddRegionsAndPdfs(outcome, now, branding));
  int64_t failed = std::count_if(all.begin(), all.end(), [](const auto& a) { return a.failed; });
  outcome.result =
      json::object{{"batch_id", batch_id_},
                   {"report_ids", std::move(report_ids)},
                   {"completed_regions_count", static_cast<int64_t>(work_.size())},
                   {"total_regions_count", static_cast<int64_t>(regions_requested_)},
                   {"answers_failed", failed},
                   {"usage", UsageOf(all, settings_.prices, judge_ ? judge_->model : "")}};
  AddEvents(outcome, now);
  return outcome;
}

// report.completed for each region and schedule.run.completed, to the outbox with the job.
void BrandRun::AddEvents(JobOutcome& outcome, UnixMs now) const {
  const std::string& tenant = ctx_.job().tenant_id;
  for (const auto& report : outcome.reports) {
    json::object body = json::parse(report.body).as_object();
    json::object data{{"report_id", report.id},
                      {"brand_id", brand_.id},
                      {"scheduled_report_id", schedule_.id},
                      {"region_config_id", report.part},
                      {"batch_id", batch_id_},
                      {"job_id", ctx_.job().id},
                      {"status", "completed"},
                      {"visibility_score", body.at("visibility_score")},
                      {"report_url", "/v1/reports/" + report.id},
                      {"pdf_url", "/v1/reports/" + report.id + "/pdf"}};
    outcome.events.push_back(
        Event{NewIdAt("evt", now), tenant, "report.completed", ToJson(data), now});
    if (auto dropped = VisibilityDroppedEvent(tenant, schedule_, report, body, now)) {
      outcome.events.push_back(std::move(*dropped));
    }
  }
  json::object run = outcome.result;
  run["scheduled_report_id"] = schedule_.id;
  run["brand_id"] = brand_.id;
  run["job_id"] = ctx_.job().id;
  run["trigger"] = trigger_;
  run["status"] = "completed";
  outcome.events.push_back(
      Event{NewIdAt("evt", now), tenant, "schedule.run.completed", ToJson(run), now});
}

}  // namespace rapport
