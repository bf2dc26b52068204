#include <rapport/brand/scheduled_report_service.hpp>

#include <rapport/brand/brand_errors.hpp>
#include <rapport/brand/brand_report.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/reports/retention.hpp>
#include <rapport/schedule/cadence.hpp>

#include "visibility_json.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rapport {
namespace {

namespace json = boost::json;

void ReadSamples(BodyReader& reader, ScheduledReport& s) {
  if (auto n = reader.Int("samples_per_prompt", false, 1, kMaxSamplesPerPrompt)) {
    s.samples_per_prompt = static_cast<int>(*n);
  }
}

// `visibility_drop_threshold`: whole points 1-100, or null for none.
void ReadDropThreshold(BodyReader& reader, ScheduledReport& s) {
  if (reader.IsNull("visibility_drop_threshold")) {
    s.visibility_drop_threshold.reset();
  } else if (auto n = reader.Int("visibility_drop_threshold", false, 1, 100)) {
    s.visibility_drop_threshold = *n;
  }
}

void ReadMissedRuns(BodyReader& reader, ScheduledReport& s) {
  if (auto v = reader.String("missed_runs", {})) {
    if (*v == "skip" || *v == "once" || *v == "all") {
      s.missed_runs = *v;
    } else {
      reader.AddProblem("missed_runs", "must be one of skip, once, all", "enum");
    }
  }
}

void ReadActiveAndNextRun(BodyReader& reader, ScheduledReport& s) {
  if (auto active = reader.Bool("is_active", false)) s.is_active = *active;
  if (auto next = reader.String("next_run_at", {})) {
    if (auto t = ParseRfc3339(*next)) {
      s.next_run_at = *t;
    } else {
      reader.AddProblem("next_run_at", "must be an RFC 3339 timestamp", "datetime_parsing");
    }
  }
}

// The fields of a new scheduled report, every problem in `reader`; the frequency once valid.
std::optional<Frequency> ReadNew(BrandStore& brands, const std::string& tenant_id,
                                 BodyReader& reader, ScheduledReport& s) {
  if (auto brand = reader.String("brand_id", {.required = true, .min_length = 1})) {
    if (IsValidId(*brand, "brand") && brands.GetBrand(tenant_id, *brand).ok()) {
      s.brand_id = *brand;
    } else {
      reader.AddProblem("brand_id", "must be the id of one of your brands", "unknown_brand");
    }
  }
  if (auto name = reader.String("name", {.required = true, .min_length = 1, .max_length = 200})) {
    s.name = *name;
  }
  ReadRetentionDays(reader, s.report_retention_days);
  std::optional<Frequency> frequency;
  if (auto f = reader.String("frequency", {.required = true})) {
    frequency = ParseFrequency(*f);
    if (frequency) {
      s.frequency = *f;
    } else {
      reader.AddProblem("frequency", "must be one of daily, weekly, monthly", "enum");
    }
  }
  ReadActiveAndNextRun(reader, s);
  ReadMissedRuns(reader, s);
  ReadSamples(reader, s);
  ReadDropThreshold(reader, s);
  return frequency;
}

// An execution's `region_config_id`, if the body names one: it must be attached to `schedule`.
Result<std::optional<std::string>> ReadOnlyConfig(RegionConfigStore& configs,
                                                  const std::string& tenant_id,
                                                  const ScheduledReport& schedule,
                                                  const json::object& body) {
  BodyReader reader(body, "body");  // other keys are ignored: seed 000's schema allows them
  auto only = reader.String("region_config_id", {.nullable = true});
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  if (!only) return only;
  auto config = IsValidId(*only, "rcfg") ? configs.GetRegionConfig(tenant_id, *only)
                                         : Result<RegionConfig>(Error::NotFound("Region config"));
  if (!config.ok()) return config.error();
  if (config->scheduled_report_id != schedule.id) {
    return Error::FromProblems(
               ErrorCode::kValidation,
               {{"body.region_config_id",
                 "the region config does not belong to this scheduled report", "not_attached"}})
        .WithStatus(422);
  }
  return only;
}

// The size of the brand's facts, which every answer's prompt carries; brand_facts_required
// without a description.
Result<size_t> FactsChars(BrandStore& brands, const std::string& tenant_id,
                          const ScheduledReport& schedule) {
  auto facts = brands.GetBrandFacts(tenant_id, schedule.brand_id);
  bool has_description = false;
  if (facts.ok()) {
    json::value f = json::parse(facts->body);
    const auto* d = f.as_object().if_contains("description");
    has_description = d && d->is_string() && !d->as_string().empty();
  } else if (facts.error().code() != ErrorCode::kNotFound) {
    return facts.error();
  }
  if (!has_description) {
    return Error(BrandFactsRequired(),
                 "The brand has no facts description; set it with PATCH /v1/brands/" +
                     schedule.brand_id + "/facts");
  }
  return facts->body.size();
}

// What would run: active configs of the schedule with at least one enabled prompt.
struct RunPlan {
  json::array region_ids;
  RunEstimate estimate;
};

Result<RunPlan> PlanRun(RegionConfigStore& config_store, PromptStore& prompt_store,
                        const std::string& tenant_id, const ScheduledReport& schedule,
                        const std::optional<std::string>& only, size_t facts_chars, bool judging) {
  RAPPORT_TRY(Page<RegionConfig> configs,
              config_store.ListRegionConfigs(tenant_id, schedule.id, PageRequest{.limit = 100}));
  RunPlan plan;
  for (const auto& c : configs.items) {
    if (only && c.id != *only) continue;
    if (!c.is_active) continue;
    RAPPORT_TRY(Page<Prompt> prompts,
                prompt_store.ListPrompts(tenant_id, c.id, PageRequest{.limit = 100}));
    bool enabled = std::any_of(prompts.items.begin(), prompts.items.end(),
                               [](const Prompt& p) { return p.is_enabled; });
    if (enabled) plan.region_ids.emplace_back(c.id);
    int samples = c.samples_per_prompt.value_or(schedule.samples_per_prompt);
    for (const auto& p : prompts.items) {
      if (!p.is_enabled) continue;
      AddToEstimate(plan.estimate, p.prompt_text,
                    samples * static_cast<int64_t>(c.ai_platforms.size()), judging, facts_chars);
    }
  }
  return plan;
}

// 422 past the token budget, or with nothing to run.
Status CheckPlan(const RunPlan& plan, bool only, int64_t max_tokens_per_run) {
  const RunEstimate& estimate = plan.estimate;
  if (max_tokens_per_run > 0 && estimate.tokens > max_tokens_per_run) {
    return Error(ErrorCode::kValidation,
                 "The run is estimated at " + std::to_string(estimate.tokens) + " tokens (" +
                     std::to_string(estimate.answer_calls) + " answers, " +
                     std::to_string(estimate.judge_calls) +
                     " judgements), more than this server's llm.max_tokens_per_run (" +
                     std::to_string(max_tokens_per_run) + ")",
                 json::object{{"estimated_tokens", estimate.tokens},
                              {"max_tokens_per_run", max_tokens_per_run},
                              {"errors", json::array{}}})
        .WithStatus(422);
  }
  if (plan.region_ids.empty()) {
    return Error(ErrorCode::kValidation,
                 only ? "The region config is inactive or has no enabled prompt"
                      : "Nothing to run: no active region config with an enabled prompt",
                 json::object{{"errors", json::array{}}})
        .WithStatus(422);
  }
  return Ok{};
}

// The on-demand run of today and its brand_report job, not yet stored.
std::pair<ScheduleRun, Job> NewExecution(const std::string& tenant_id,
                                         const ScheduledReport& schedule, json::array region_ids,
                                         const std::string& request_key, UnixMs now) {
  std::string today = FormatRfc3339(now).substr(0, 10);
  auto [run, job] = NewOnDemandRun(
      tenant_id, schedule.id, {std::string(kBrandReportJobKind), "Asking the answer engines", ""},
      today, today, request_key, now);
  job.payload = ToJson(json::object{{"scheduled_report_id", schedule.id},
                                    {"run_id", run.id},
                                    {"trigger", "on_demand"},
                                    {"batch_id", NewIdAt("batch", now)},
                                    {"region_config_ids", std::move(region_ids)}});
  return {std::move(run), std::move(job)};
}

}  // namespace

Result<ScheduledReport> ScheduledReportService::Create(const std::string& tenant_id,
                                                       const json::object& body) {
  BodyReader reader(body, "body");
  reader.RejectUnknown({"brand_id", "name", "frequency", "is_active", "next_run_at", "missed_runs",
                        "samples_per_prompt", "visibility_drop_threshold",
                        "report_retention_days"});
  ScheduledReport s;
  UnixMs now = clock_.NowMs();
  std::optional<Frequency> frequency = ReadNew(stores_.brands, tenant_id, reader, s);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  // Computed on create: one period from now, unless given.
  if (!s.next_run_at) s.next_run_at = FrequencyRunAt(*frequency, now, 1);
  s.tenant_id = tenant_id;
  s.created_at = s.updated_at = now;
  s.id = NewIdAt("srep", now);
  RAPPORT_CHECK(stores_.schedules.InsertScheduledReport(s));
  return s;
}

Result<ScheduledReport> ScheduledReportService::Get(const std::string& tenant_id,
                                                    const std::string& id) {
  if (!IsValidId(id, "srep")) return Error::NotFound("Scheduled report");
  return stores_.schedules.GetScheduledReport(tenant_id, id);
}

Result<Page<ScheduledReport>> ScheduledReportService::List(const std::string& tenant_id,
                                                           const ScheduledReportFilter& filter,
                                                           const PageRequest& page) {
  return stores_.schedules.ListScheduledReports(tenant_id, filter, page);
}

Result<ScheduledReport> ScheduledReportService::Patch(const std::string& tenant_id,
                                                      const std::string& id,
                                                      const json::object& body) {
  RAPPORT_TRY(ScheduledReport s, Get(tenant_id, id));
  BodyReader reader(body, "body");
  reader.RejectUnknown({"name", "frequency", "is_active", "next_run_at", "missed_runs",
                        "samples_per_prompt", "visibility_drop_threshold",
                        "report_retention_days"});
  ReadRetentionDays(reader, s.report_retention_days);
  ReadMissedRuns(reader, s);
  ReadSamples(reader, s);
  ReadDropThreshold(reader, s);
  if (auto name = reader.String("name", {.min_length = 1, .max_length = 200})) s.name = *name;
  if (auto f = reader.String("frequency", {})) {
    if (ParseFrequency(*f)) {
      s.frequency = *f;  // next_run_at stays: the new cadence counts from it
    } else {
      reader.AddProblem("frequency", "must be one of daily, weekly, monthly", "enum");
    }
  }
  ReadActiveAndNextRun(reader, s);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  s.updated_at = clock_.NowMs();
  RAPPORT_CHECK(stores_.schedules.UpdateScheduledReport(s));
  return Get(tenant_id, id);
}

Status ScheduledReportService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "srep")) return Error::NotFound("Scheduled report");
  return stores_.schedules.DeleteScheduledReport(tenant_id, id);
}

Result<Page<ScheduleRun>> ScheduledReportService::Runs(const std::string& tenant_id,
                                                       const std::string& id,
                                                       const PageRequest& page) {
  RAPPORT_TRY(ScheduledReport s, Get(tenant_id, id));
  return stores_.runs.ListScheduleRuns(tenant_id, s.id, page);
}

Result<json::object> ScheduledReportService::Analytics(const std::string& tenant_id,
                                                       const std::string& id) {
  RAPPORT_TRY(ScheduledReport s, Get(tenant_id, id));
  std::vector<Report> reports;
  PageRequest page{.limit = 100};
  for (int i = 0; i < 5; ++i) {
    RAPPORT_TRY(Page<Report> p, stores_.reports.ListReports(
                                    tenant_id, {.kind = "brand", .schedule_id = s.id}, page));
    for (auto& rep : p.items) reports.push_back(std::move(rep));
    if (!p.has_more) break;
    page.after_id = reports.back().id;
  }
  return BuildScheduleAnalytics(s.id, reports);
}

Result<Job> ScheduledReportService::Execute(const std::string& tenant_id, const std::string& id,
                                            const json::object& body,
                                            const std::string& request_key) {
  RAPPORT_TRY(ScheduledReport schedule, Get(tenant_id, id));
  RAPPORT_TRY(std::optional<std::string> only,
              ReadOnlyConfig(stores_.configs, tenant_id, schedule, body));
  RAPPORT_TRY(size_t facts_chars, FactsChars(stores_.brands, tenant_id, schedule));
  RAPPORT_TRY(RunPlan plan, PlanRun(stores_.configs, stores_.prompts, tenant_id, schedule, only,
                                    facts_chars, budget_.judging));
  RAPPORT_CHECK(CheckPlan(plan, only.has_value(), budget_.max_tokens_per_run));
  if (!request_key.empty()) {  // a retry of a request whose process died after enqueueing
    RAPPORT_TRY(std::optional<Job> earlier,
                stores_.jobs.FindJobByRequestKey(tenant_id, request_key));
    if (earlier) return *std::move(earlier);
  }
  RAPPORT_CHECK(CheckQueue(tenant_id));
  auto [run, job] =
      NewExecution(tenant_id, schedule, std::move(plan.region_ids), request_key, clock_.NowMs());
  RAPPORT_CHECK(stores_.runs.EnqueueScheduleRun(run, job));
  return job;
}

Status ScheduledReportService::CheckQueue(const std::string& tenant_id) {
  return CheckQueueRoom(stores_.jobs, tenant_id, queue_per_tenant_, queue_total_);
}

json::object ScheduledReportToJson(const ScheduledReport& s) {
  return json::object{{"id", s.id},
                      {"object", "scheduled_report"},
                      {"report_retention_days", RetentionDaysJson(s.report_retention_days)},
                      {"brand_id", s.brand_id},
                      {"name", s.name},
                      {"frequency", s.frequency},
                      {"is_active", s.is_active},
                      {"missed_runs", s.missed_runs},
                      {"samples_per_prompt", s.samples_per_prompt},
                      {"visibility_drop_threshold", s.visibility_drop_threshold
                                                        ? json::value(*s.visibility_drop_threshold)
                                                        : json::value(nullptr)},
                      {"next_run_at", TimeOrNull(s.next_run_at)},
                      {"last_run_at", TimeOrNull(s.last_run_at)},
                      {"last_run_status", TextOrNull(s.last_run_status)},
                      {"last_error_message", TextOrNull(s.last_error_message)},
                      {"created_at", FormatRfc3339(s.created_at)},
                      {"updated_at", FormatRfc3339(s.updated_at)}};
}

}  // namespace rapport
