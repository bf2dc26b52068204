// The daily `report_retention` job: ReportRetention's purge, one log line per tenant.
#pragma once

#include <rapport/jobs/job_engine.hpp>
#include <rapport/reports/retention.hpp>

namespace rapport {

class RetentionJob final : public JobHandler {
 public:
  RetentionJob(ReportRetention& retention, const Clock& clock)
      : retention_(retention), clock_(clock) {}

  // Deletes the reports past their retention as of the job's start; result
  // {"day", "reports", "artifact_bytes", "tenants"}.
  Result<JobOutcome> Run(JobContext& ctx) override;

 private:
  ReportRetention& retention_;
  const Clock& clock_;
};

}  // namespace rapport
