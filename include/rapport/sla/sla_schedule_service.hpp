// SLA report schedules (seed 002's /reports/sla/schedules): validation of every field, tenancy,
// the JSON form, and on-demand runs, which record a run and enqueue an "sla_report" job in one
// transaction.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/jobs/job_json.hpp>
#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/sla/sla_cadence.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <utility>

namespace rapport {

inline constexpr std::string_view kSlaReportJobKind = "sla_report";

// The settings of a schedule, as validated.
struct SlaScheduleSpec {
  std::string name;
  bool disabled = false;
  bool daily = false;
  bool weekly = false;
  bool monthly = false;
  std::optional<int> day_of_week;   // 0 = Sunday
  std::optional<int> day_of_month;  // 1..28
  double sla_target = 99.9;
  bool show_only_breached_sites_in_pdf = false;
  bool calculate_sla_within_schedule_hours = false;
  std::optional<std::string> business_hours_id;
  std::string site_selection_mode = "manual";                             // manual | tags
  std::string site_selection_logic = "and";                               // and | or
  std::vector<std::pair<std::string, std::string>> site_selection_rules;  // key, value
  std::vector<std::pair<std::string, std::string>> grouping_rules;        // key, aggregation
  std::vector<std::string> sites;
  std::vector<std::string> recipients;
  // Days its reports are kept (1-36500); nullopt: the tenant's default (GET /v1/settings).
  std::optional<int64_t> report_retention_days;
  std::string timezone;
  bool ignore_power_outages = false;
  std::optional<std::string> notification_group;
  std::string missed_runs = "once";  // skip | once | all
  // What the report e-mail attaches, in this order: "pdf", "csv", "xlsx" (issue 22).
  std::vector<std::string> attachments{"pdf"};
};

boost::json::object SpecToJson(const SlaScheduleSpec& spec);
// Parses a stored `settings` text (written by SpecToJson).
SlaScheduleSpec SpecFromJson(const std::string& settings);

// What SlaScheduleService uses: the schedules; business hours and sites to validate settings;
// schedule runs and the job queue for on-demand runs.
struct SlaScheduleStores {
  SlaScheduleStore& schedules;
  BusinessHoursStore& hours;
  SiteStore& sites;
  ScheduleRunStore& runs;
  JobQueue& jobs;
};

class SlaScheduleService {
 public:
  SlaScheduleService(SlaScheduleStores stores, const Clock& clock, QueueLimits limits = {})
      : stores_(stores), clock_(clock), limits_(limits) {}

  Result<SlaSchedule> Create(const std::string& tenant_id, const boost::json::object& body);
  Result<SlaSchedule> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<SlaSchedule>> List(const std::string& tenant_id, const PageRequest& page);
  // PUT: the body replaces every setting.
  Result<SlaSchedule> Replace(const std::string& tenant_id, const std::string& id,
                              const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);

  // Seed 002's on-demand run: body {from_date, to_date}; returns the enqueued job. 503 when the
  // queue is full (nothing enqueued). Never changes next_run_at. With `request_key` (the
  // request's Idempotency-Key), a job that key already created is returned instead of a new one.
  Result<Job> RunOnDemand(const std::string& tenant_id, const std::string& id,
                          const boost::json::object& body, const std::string& request_key = "");
  Result<Page<ScheduleRun>> Runs(const std::string& tenant_id, const std::string& id,
                                 const PageRequest& page);
  // The next `count` runs (1..50) after now of the schedule `body` would create (the same
  // validation as Create, nothing stored); a body without daily/weekly/monthly is 400.
  // Defined in sla_schedule_preview.cpp.
  Result<std::vector<PlannedRun>> Preview(const std::string& tenant_id,
                                          const boost::json::object& body, int count);

 private:
  Result<SlaScheduleSpec> Validate(const std::string& tenant_id, const boost::json::object& body);

  SlaScheduleStores stores_;
  const Clock& clock_;
  QueueLimits limits_;
};

boost::json::object SlaScheduleToJson(const SlaSchedule& schedule);

// The cadence a spec runs on (08:00 local in its time zone).
SlaCadence CadenceOf(const SlaScheduleSpec& spec);

// The next scheduled run instant of `spec` strictly after `after`, nullopt when it has no
// cadence flag or is disabled.
std::optional<UnixMs> NextSlaRunAt(const SlaScheduleSpec& spec, UnixMs after);

}  // namespace rapport
