// SLA report generation: the "sla_report" job kind. Selects the schedule's sites, loads their
// `site` faults active in the report window, computes each site's uptime with the uptime engine,
// aggregates groups, and returns the immutable report, stored with the job's completion.
#pragma once

#include <rapport/jobs/job_engine.hpp>
#include <rapport/sla/maintenance_window_service.hpp>
#include <rapport/sla/sla_schedule_service.hpp>
#include <rapport/store/store.hpp>

#include <boost/json/object.hpp>

namespace rapport {

// Bumped whenever the uptime definition changes; stored in every report.
inline constexpr int kSlaMethodologyVersion = 2;

struct SlaReportRequest {
  std::string tenant_id;
  std::string schedule_id;
  std::string trigger;  // "scheduled" | "on_demand"
  std::string from_date;
  std::string to_date;
};

// Sites the schedule selects: its manual list (sites deleted since are skipped), or every site
// whose tags match the rules combined with the logic.
std::vector<Site> SelectSites(const SlaScheduleSpec& spec, const std::vector<Site>& all);

// Builds the report JSON (without persisting it). `progress` is called between steps and may
// return false to stop (the build then fails with kConflict "stopped").
// The stores an SLA report is built from.
struct SlaReportStores {
  SlaScheduleStore& schedules;
  BusinessHoursStore& hours;
  SiteStore& sites;
  FaultStore& faults;
  WhiteLabelStore& labels;                    // the tenant's branding, drawn on the PDF
  MaintenanceWindowStore* windows = nullptr;  // the tenant's maintenance windows; none when null
};

Result<boost::json::object> BuildSlaReport(
    const SlaReportStores& stores, const SlaReportRequest& request, UnixMs now,
    const std::function<bool(std::string step, int64_t done, int64_t total)>& progress);

class SlaReportJob final : public JobHandler {
 public:
  // `email_enabled`: an SMTP server is configured, so the schedule's recipients will be sent the
  // report (the report says whether they were).
  SlaReportJob(SlaReportStores stores, const Clock& clock, bool email_enabled = false)
      : stores_(stores), clock_(clock), email_enabled_(email_enabled) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  // "sla_report.failed" with the schedule, the period and the reason.
  std::vector<Event> FailureEvents(const Job& job, const Error& error, UnixMs now) override;

 private:
  SlaReportStores stores_;
  const Clock& clock_;
  bool email_enabled_;
};

boost::json::object ReportToJson(const Report& report);

}  // namespace rapport
