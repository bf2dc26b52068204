// A brand's scheduled reports in the /v1 dialect (seed 000's family): CRUD, run history, the
// analytics over its reports, and the manual execution that enqueues a "brand_report" job.
// Validation, tenancy and JSON forms live here; routes only translate HTTP.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/store.hpp>

#include <boost/json/object.hpp>

namespace rapport {

inline constexpr std::string_view kBrandReportJobKind = "brand_report";
inline constexpr int kMaxSamplesPerPrompt = 10;

// What the server lets one brand run spend (llm.max_tokens_per_run; 0: no limit), and whether
// its answers are judged (a judge platform has a provider), for the estimate made before a run.
struct RunBudget {
  int64_t max_tokens_per_run = 0;
  bool judging = false;
};

// The scheduled reports; the brand, region configs and prompts to check and plan a run; the
// schedule runs and job queue to enqueue it; the reports for the analytics.
struct ScheduledReportStores {
  ScheduledReportStore& schedules;
  BrandStore& brands;
  RegionConfigStore& configs;
  PromptStore& prompts;
  ScheduleRunStore& runs;
  JobQueue& jobs;
  ReportStore& reports;
};

// Thread-safe as the stores are; holds references to `stores` and `clock`, which must outlive it.
class ScheduledReportService {
 public:
  ScheduledReportService(ScheduledReportStores stores, const Clock& clock, int64_t queue_per_tenant,
                         int64_t queue_total, RunBudget budget = {})
      : stores_(stores),
        clock_(clock),
        queue_per_tenant_(queue_per_tenant),
        queue_total_(queue_total),
        budget_(budget) {}

  Result<ScheduledReport> Create(const std::string& tenant_id, const boost::json::object& body);
  // 404 for a malformed id or another tenant's.
  Result<ScheduledReport> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<ScheduledReport>> List(const std::string& tenant_id,
                                     const ScheduledReportFilter& filter, const PageRequest& page);
  // name, frequency (next_run_at is not recomputed), is_active, next_run_at.
  Result<ScheduledReport> Patch(const std::string& tenant_id, const std::string& id,
                                const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);

  // The schedule's runs, newest first; 404 as Get.
  Result<Page<ScheduleRun>> Runs(const std::string& tenant_id, const std::string& id,
                                 const PageRequest& page);
  // The analytics object over the schedule's newest 500 reports (up to 25 runs of 20 regions);
  // 404 as Get.
  Result<boost::json::object> Analytics(const std::string& tenant_id, const std::string& id);

  // Seed 000's manual execution: body {region_config_id?}. Returns the enqueued job; with
  // `request_key` (the request's Idempotency-Key), the job that key already created if any.
  // 422 with details.estimated_tokens when the run's estimate exceeds the budget.
  Result<Job> Execute(const std::string& tenant_id, const std::string& id,
                      const boost::json::object& body, const std::string& request_key = "");

 private:
  Status CheckQueue(const std::string& tenant_id);

  ScheduledReportStores stores_;
  const Clock& clock_;
  int64_t queue_per_tenant_;
  int64_t queue_total_;
  RunBudget budget_;
};

boost::json::object ScheduledReportToJson(const ScheduledReport& s);

}  // namespace rapport
