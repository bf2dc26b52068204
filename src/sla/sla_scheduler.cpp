#include <rapport/sla/sla_scheduler.hpp>

#include <rapport/core/json.hpp>
#include <rapport/sla/sla_cadence.hpp>
#include <rapport/sla/sla_report.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace rapport {
namespace {

namespace json = boost::json;

// What the hook keeps in DueSchedule::data.
struct SlaDue {
  SlaSchedule schedule;
  std::optional<SlaScheduleSpec> spec;  // parsed by CannotStart (PlanSlaFiring: at once)
};

const SlaScheduleSpec& SpecOf(const DueSchedule& schedule) {
  return std::any_cast<const SlaDue&>(schedule.data).spec.value();
}

DueSchedule DueOf(SlaSchedule s, std::optional<SlaScheduleSpec> spec) {
  std::string missed_runs = spec ? spec->missed_runs : std::string("once");
  std::string tenant_id = s.tenant_id, id = s.id;
  UnixMs anchor = s.next_run_at.value_or(0);
  return DueSchedule{.tenant_id = std::move(tenant_id),
                     .id = std::move(id),
                     .anchor = anchor,
                     .missed_runs = std::move(missed_runs),
                     .data = SlaDue{.schedule = std::move(s), .spec = std::move(spec)}};
}

// The planned runs of a cadence from an anchor until now, and the first one after now.
struct DueAndNext {
  std::vector<PlannedRun> due;
  std::optional<UnixMs> next;  // nullopt when `cap` was reached first
};

// Every planned run of `cadence` in [from, now], at most `cap`, in time order, and the run_at of
// the first planned run after `now`. Asks PreviewSla for a few runs at a time (a schedule is
// nearly always due once), doubling for a long catch-up.
DueAndNext DueRuns(const SlaCadence& cadence, UnixMs from, UnixMs now, int cap) {
  DueAndNext out;
  UnixMs after = from - 1;
  int ask = 2;  // the due run and the next, nearly always
  while (static_cast<int>(out.due.size()) < cap) {
    auto chunk = PreviewSla(cadence, after, ask);
    if (!chunk.ok() || chunk->empty()) break;
    // A full chunk may end part-way through one instant's runs: that instant is asked again.
    bool full = static_cast<int>(chunk->size()) == ask;
    UnixMs last_at = chunk->back().run_at;
    for (auto& run : *chunk) {
      if (run.run_at > now) {
        out.next = run.run_at;
        return out;
      }
      if ((full && run.run_at == last_at) || static_cast<int>(out.due.size()) >= cap) break;
      after = run.run_at;
      out.due.push_back(std::move(run));
    }
    ask = std::min(ask * 2, 64);
  }
  return out;
}

// Appends `"name":"value",` to a JSON object being written (the job payload of every firing:
// cheaper than building and serializing a json::object).
void AppendMember(std::string& out, std::string_view name, std::string_view value) {
  out.append(1, '"').append(name).append("\":\"");
  bool plain = std::none_of(value.begin(), value.end(), [](char ch) {
    return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20;
  });
  if (plain) {
    out.append(value).append("\",");
    return;
  }
  for (char ch : value) {
    if (ch == '"' || ch == '\\') {
      out.append(1, '\\').append(1, ch);
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(ch));
      out.append(escaped);
    } else {
      out.append(1, ch);
    }
  }
  out.append("\",");
}

}  // namespace

std::string SlaRunPrecondition(const SlaScheduleSpec& spec, const std::vector<Site>& sites,
                               bool business_hours_exist) {
  if (spec.calculate_sla_within_schedule_hours && !business_hours_exist) {
    return "The schedule's business hours no longer exist";
  }
  if (SelectSites(spec, sites).empty()) return "No site matches the schedule's site selection";
  return "";
}

DuePeriods SlaScheduleHook::Periods(const DueSchedule& schedule, UnixMs now, int cap) const {
  const SlaScheduleSpec& spec = SpecOf(schedule);
  DuePeriods periods;
  DueAndNext runs = DueRuns(CadenceOf(spec), schedule.anchor, now, cap);
  for (auto& run : runs.due) {
    periods.due.push_back(DuePeriod{.run_at = run.run_at,
                                    .from_date = std::move(run.from_date),
                                    .to_date = std::move(run.to_date),
                                    .group = std::move(run.cadence)});
  }
  bool runs_at_all = !spec.disabled && (spec.daily || spec.weekly || spec.monthly);
  periods.next_run_at = runs_at_all && runs.next ? runs.next : NextSlaRunAt(spec, now);
  return periods;
}

ScheduledJob SlaScheduleHook::Job(const DueSchedule& schedule, const DuePeriod& period,
                                  const std::string& run_id, UnixMs /*now*/) const {
  std::string payload;
  payload.reserve(96 + schedule.id.size() + run_id.size() + period.from_date.size() +
                  period.to_date.size());
  payload += '{';
  AppendMember(payload, "schedule_id", schedule.id);
  AppendMember(payload, "run_id", run_id);
  AppendMember(payload, "trigger", "scheduled");
  AppendMember(payload, "from_date", period.from_date);
  AppendMember(payload, "to_date", period.to_date);
  payload.back() = '}';
  return ScheduledJob{.kind = std::string(kSlaReportJobKind),
                      .message = "Report is being generated.",
                      .payload = std::move(payload)};
}

std::string SlaScheduleHook::MissedEvent(const DueSchedule& schedule, const DuePeriod& period,
                                         const std::string& run_id,
                                         const std::string& reason) const {
  return ToJson(json::object{{"schedule_id", schedule.id},
                             {"run_id", run_id},
                             {"cadence", period.group},
                             {"due_at", FormatRfc3339(period.run_at)},
                             {"from_date", period.from_date},
                             {"to_date", period.to_date},
                             {"reason", reason}});
}

ScheduleFiring PlanSlaFiring(const SlaSchedule& schedule, UnixMs now,
                             const SchedulerOptions& options, const std::string& cannot_start) {
  return PlanFiring(SlaScheduleHook(), DueOf(schedule, SpecFromJson(schedule.settings)), now,
                    options, cannot_start);
}

Result<std::vector<DueSchedule>> SlaScheduler::Due(UnixMs now, int limit) {
  sites_by_tenant_.clear();
  RAPPORT_TRY(std::vector<SlaSchedule> due, schedules_.DueSlaSchedules(now, limit));
  std::vector<DueSchedule> out;
  out.reserve(due.size());
  for (auto& s : due) out.push_back(DueOf(std::move(s), std::nullopt));
  return out;
}

Result<std::string> SlaScheduler::CannotStart(DueSchedule& due) {
  auto& data = std::any_cast<SlaDue&>(due.data);
  const SlaScheduleSpec& spec = data.spec.emplace(SpecFromJson(data.schedule.settings));
  due.missed_runs = spec.missed_runs;
  auto sites = sites_by_tenant_.find(due.tenant_id);
  if (sites == sites_by_tenant_.end()) {
    RAPPORT_TRY(std::vector<Site> all, sites_.AllSites(due.tenant_id));
    sites = sites_by_tenant_.emplace(due.tenant_id, std::move(all)).first;
  }
  bool hours_exist = spec.business_hours_id &&
                     hours_.GetBusinessHours(due.tenant_id, *spec.business_hours_id).ok();
  return SlaRunPrecondition(spec, sites->second, hours_exist);
}

}  // namespace rapport
