#include <rapport/brand/brand_scheduler.hpp>

#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/core/metrics.hpp>
#include <rapport/schedule/cadence.hpp>

#include <boost/json.hpp>

#include <set>

namespace rapport {

ScheduleFiring PlanBrandFiring(const ScheduledReport& schedule, UnixMs now, int64_t grace_ms,
                               const std::string& cannot_start,
                               const std::vector<std::string>& region_config_ids) {
  namespace json = boost::json;
  ScheduleFiring firing;
  firing.kind = "brand";
  firing.tenant_id = schedule.tenant_id;
  firing.schedule_id = schedule.id;
  UnixMs anchor = schedule.next_run_at.value_or(now);
  firing.expected_next_run_at = anchor;
  Frequency frequency = ParseFrequency(schedule.frequency).value_or(Frequency::kDaily);
  // Due runs: anchor + k periods <= now (at most 1000 looked at); the next one is the first
  // after now, on the same anchor.
  std::vector<UnixMs> due;
  int64_t k = 0;
  for (; k < 1000; ++k) {
    UnixMs at = FrequencyRunAt(frequency, anchor, k);
    if (at > now) break;
    due.push_back(at);
  }
  while (FrequencyRunAt(frequency, anchor, k) <= now) ++k;  // beyond the cap after a long outage
  firing.new_next_run_at = FrequencyRunAt(frequency, anchor, k);

  for (size_t i = 0; i < due.size(); ++i) {
    std::string date = FormatRfc3339(due[i]).substr(0, 10);
    ScheduleRun run;
    run.id = NewIdAt("run", now);
    run.tenant_id = schedule.tenant_id;
    run.schedule_id = schedule.id;
    run.trigger = "scheduled";
    run.from_date = run.to_date = date;
    run.created_at = now;
    std::optional<Job> job;
    // Which due runs run: `once` the latest, `all` every one (the newest 100), `skip` those
    // not late.
    bool runs = schedule.missed_runs == "all"    ? due.size() - i <= 100
                : schedule.missed_runs == "skip" ? due[i] >= now - grace_ms
                                                 : i + 1 == due.size();
    if (!runs) {
      run.status = "missed";
      run.error = schedule.missed_runs == "skip"
                      ? "Missed while the scheduler was not running (missed_runs: skip)"
                  : schedule.missed_runs == "all"
                      ? "Missed while the scheduler was not running; beyond the catch-up cap of 100"
                      : "Missed while the scheduler was not running; caught up once with the "
                        "latest run (missed_runs: once)";
      run.finished_at = now;
      firing.events.push_back(Event{NewIdAt("evt", now), schedule.tenant_id, "schedule.run.missed",
                                    ToJson(json::object{{"scheduled_report_id", schedule.id},
                                                        {"brand_id", schedule.brand_id},
                                                        {"run_id", run.id},
                                                        {"due_at", FormatRfc3339(due[i])},
                                                        {"reason", run.error}}),
                                    now});
    } else if (!cannot_start.empty()) {
      run.status = "failed";
      run.error = cannot_start;
      run.finished_at = now;
    } else {
      Job j;
      j.id = NewIdAt("job", now);
      j.tenant_id = schedule.tenant_id;
      j.kind = std::string(kBrandReportJobKind);
      j.created_at = j.updated_at = j.run_after = now;
      j.step = "queued";
      j.message = "Asking the answer engines";
      json::array ids;
      for (const auto& id : region_config_ids) ids.emplace_back(id);
      j.payload = ToJson(json::object{{"scheduled_report_id", schedule.id},
                                      {"run_id", run.id},
                                      {"trigger", "scheduled"},
                                      {"batch_id", NewIdAt("batch", now)},
                                      {"region_config_ids", std::move(ids)}});
      run.job_id = j.id;
      run.status = "pending";
      job = std::move(j);
    }
    firing.runs.emplace_back(std::move(run), std::move(job));
  }
  return firing;
}

Result<std::string> BrandScheduler::Precondition(const ScheduledReport& s,
                                                 std::vector<std::string>& configs) {
  auto facts = store_.GetBrandFacts(s.tenant_id, s.brand_id);
  bool described = false;
  if (facts.ok()) {
    boost::json::value f = boost::json::parse(facts->body);
    const auto* d = f.as_object().if_contains("description");
    described = d && d->is_string() && !d->as_string().empty();
  } else if (facts.error().code() != ErrorCode::kNotFound) {
    return facts.error();
  }
  if (!described) return std::string("The brand has no facts description (brand_facts_required)");
  RAPPORT_TRY(Page<RegionConfig> page,
              store_.ListRegionConfigs(s.tenant_id, s.id, PageRequest{.limit = 100}));
  for (const auto& c : page.items) {
    if (!c.is_active) continue;
    RAPPORT_TRY(Page<Prompt> prompts,
                store_.ListPrompts(s.tenant_id, c.id, PageRequest{.limit = 100}));
    if (std::any_of(prompts.items.begin(), prompts.items.end(),
                    [](const Prompt& p) { return p.is_enabled; })) {
      configs.push_back(c.id);
    }
  }
  if (configs.empty()) return std::string("No active region config with an enabled prompt");
  return std::string();
}

Result<int64_t> BrandScheduler::Tick() {
  int64_t enqueued = 0;
  std::set<std::string> skipped;
  for (;;) {
    UnixMs now = clock_.NowMs();
    RAPPORT_TRY(std::vector<ScheduledReport> due, store_.DueScheduledReports(now, batch_));
    std::vector<ScheduleFiring> firings;
    for (const auto& s : due) {
      if (skipped.contains(s.id)) continue;
      std::vector<std::string> configs;
      auto why = Precondition(s, configs);
      if (!why.ok()) {  // the store failed: try this one on the next tick
        skipped.insert(s.id);
        continue;
      }
      firings.push_back(PlanBrandFiring(s, now, grace_ms_, *why, configs));
    }
    if (firings.empty()) break;
    RAPPORT_TRY(std::vector<bool> applied, store_.FireSchedules(firings));
    for (size_t i = 0; i < firings.size(); ++i) {
      if (!applied[i]) continue;
      for (const auto& [run, job] : firings[i].runs) enqueued += job ? 1 : 0;
      ProcessMetrics().Observe("rapport_scheduler_lag_seconds",
                               "How late schedules fired after their due time, by report kind.",
                               {{"kind", "brand"}},
                               (now - firings[i].expected_next_run_at) / 1000.0);
    }
    if (static_cast<int>(due.size()) < batch_) break;
  }
  return enqueued;
}

}  // namespace rapport
