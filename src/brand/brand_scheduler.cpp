#include <rapport/brand/brand_scheduler.hpp>

#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/schedule/cadence.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace rapport {
namespace {

namespace json = boost::json;

// What the hook keeps in DueSchedule::data.
struct BrandDue {
  ScheduledReport schedule;
  std::vector<std::string> region_config_ids;  // what a run runs, filled by CannotStart
};

const BrandDue& DataOf(const DueSchedule& schedule) {
  return std::any_cast<const BrandDue&>(schedule.data);
}

// The firer's view of `s`, anchored on its next_run_at (now when it has none).
DueSchedule DueOf(const ScheduledReport& s, UnixMs now) {
  return DueSchedule{.tenant_id = s.tenant_id,
                     .id = s.id,
                     .anchor = s.next_run_at.value_or(now),
                     .missed_runs = s.missed_runs,
                     .data = BrandDue{.schedule = s, .region_config_ids = {}}};
}

}  // namespace

DuePeriods BrandScheduleHook::Periods(const DueSchedule& schedule, UnixMs now, int cap) const {
  Frequency frequency =
      ParseFrequency(DataOf(schedule).schedule.frequency).value_or(Frequency::kDaily);
  // Due runs: anchor + k periods <= now (at most `cap` looked at); the next one is the first
  // after now, on the same anchor.
  DuePeriods periods;
  int64_t k = 0;
  for (; k < cap; ++k) {
    UnixMs at = FrequencyRunAt(frequency, schedule.anchor, k);
    if (at > now) break;
    std::string date = FormatRfc3339(at).substr(0, 10);
    periods.due.push_back(DuePeriod{.run_at = at, .from_date = date, .to_date = date, .group = ""});
  }
  while (FrequencyRunAt(frequency, schedule.anchor, k) <= now) ++k;  // beyond the cap
  periods.next_run_at = FrequencyRunAt(frequency, schedule.anchor, k);
  return periods;
}

ScheduledJob BrandScheduleHook::Job(const DueSchedule& schedule, const DuePeriod& /*period*/,
                                    const std::string& run_id, UnixMs now) const {
  json::array ids;
  for (const auto& id : DataOf(schedule).region_config_ids) ids.emplace_back(id);
  return ScheduledJob{.kind = std::string(kBrandReportJobKind),
                      .message = "Asking the answer engines",
                      .payload = ToJson(json::object{{"scheduled_report_id", schedule.id},
                                                     {"run_id", run_id},
                                                     {"trigger", "scheduled"},
                                                     {"batch_id", NewIdAt("batch", now)},
                                                     {"region_config_ids", std::move(ids)}})};
}

std::string BrandScheduleHook::MissedEvent(const DueSchedule& schedule, const DuePeriod& period,
                                           const std::string& run_id,
                                           const std::string& reason) const {
  return ToJson(json::object{{"scheduled_report_id", schedule.id},
                             {"brand_id", DataOf(schedule).schedule.brand_id},
                             {"run_id", run_id},
                             {"due_at", FormatRfc3339(period.run_at)},
                             {"reason", reason}});
}

std::string BrandScheduleHook::MissedReason(MissedBecause why, const DuePeriod& period,
                                            int catch_up_cap) const {
  if (why != MissedBecause::kBeyondCatchUpCap) {
    return ScheduleKindHook::MissedReason(why, period, catch_up_cap);
  }
  return "Missed while the scheduler was not running; beyond the catch-up cap of " +
         std::to_string(catch_up_cap);
}

ScheduleFiring PlanBrandFiring(const ScheduledReport& schedule, UnixMs now, int64_t grace_ms,
                               const std::string& cannot_start,
                               const std::vector<std::string>& region_config_ids) {
  DueSchedule due = DueOf(schedule, now);
  due.data = BrandDue{.schedule = schedule, .region_config_ids = region_config_ids};
  return PlanFiring(BrandScheduleHook(), due, now, {.grace_ms = grace_ms}, cannot_start);
}

Result<std::vector<DueSchedule>> BrandScheduler::Due(UnixMs now, int limit) {
  RAPPORT_TRY(std::vector<ScheduledReport> due, stores_.schedules.DueScheduledReports(now, limit));
  std::vector<DueSchedule> out;
  out.reserve(due.size());
  for (const auto& s : due) out.push_back(DueOf(s, now));
  return out;
}

Result<std::string> BrandScheduler::CannotStart(DueSchedule& due) {
  auto& data = std::any_cast<BrandDue&>(due.data);
  const ScheduledReport& s = data.schedule;
  auto facts = stores_.brands.GetBrandFacts(s.tenant_id, s.brand_id);
  bool described = false;
  if (facts.ok()) {
    json::value f = json::parse(facts->body);
    const auto* d = f.as_object().if_contains("description");
    described = d && d->is_string() && !d->as_string().empty();
  } else if (facts.error().code() != ErrorCode::kNotFound) {
    return facts.error();
  }
  if (!described) return std::string("The brand has no facts description (brand_facts_required)");
  RAPPORT_TRY(Page<RegionConfig> page,
              stores_.configs.ListRegionConfigs(s.tenant_id, s.id, PageRequest{.limit = 100}));
  for (const auto& c : page.items) {
    if (!c.is_active) continue;
    RAPPORT_TRY(Page<Prompt> prompts,
                stores_.prompts.ListPrompts(s.tenant_id, c.id, PageRequest{.limit = 100}));
    if (std::any_of(prompts.items.begin(), prompts.items.end(),
                    [](const Prompt& p) { return p.is_enabled; })) {
      data.region_config_ids.push_back(c.id);
    }
  }
  if (data.region_config_ids.empty()) {
    return std::string("No active region config with an enabled prompt");
  }
  return std::string();
}

}  // namespace rapport
