// Brand visibility report generation: the "brand_report" job kind. For each region config of the
// run, asks every enabled prompt on every platform (in the region's language, with its country
// and location as context), scores each answer, and stores one report per region config; the
// reports of one run share a batch id.
#pragma once

#include <rapport/brand/llm_client.hpp>
#include <rapport/brand/scorer.hpp>
#include <rapport/jobs/job_engine.hpp>

#include <boost/json/object.hpp>

namespace rapport {

// What the judge said of one claim an answer makes about the brand.
struct JudgedClaim {
  std::string claim;
  std::string verdict;  // correct | contradicted | unsupported
};

struct AskedAnswer {
  std::string prompt_id;
  std::string prompt_text;
  std::string category;
  std::string platform;
  std::string model;
  std::string answer;
  AnswerScore score;
  bool judged = false;  // a judge compared it with the brand's facts
  std::vector<JudgedClaim> claims;
};

// The judge's claims from its reply ({"claims":[{"claim","verdict"}]}); nullopt when the reply
// is not that.
std::optional<std::vector<JudgedClaim>> ParseJudgement(const std::string& reply);

// The report of one region config from its scored answers (pure: tested without a provider).
boost::json::object BuildBrandReport(const Brand& brand, const RegionConfig& config,
                                     const std::vector<AskedAnswer>& answers);

class BrandReportJob final : public JobHandler {
 public:
  BrandReportJob(Store& store, const Clock& clock, LlmClient client)
      : store_(store), clock_(clock), client_(std::move(client)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  // "report.failed" for each region config of the run and "schedule.run.failed", with the reason.
  std::vector<Event> FailureEvents(const Job& job, const Error& error, UnixMs now) override;

 private:
  Store& store_;
  const Clock& clock_;
  LlmClient client_;
};

}  // namespace rapport

namespace rapport {

// A scheduled report's trend over its runs (newest `reports` first, as the store lists them):
// visibility per run (batch), and per platform and per prompt across runs, oldest run first.
boost::json::object BuildScheduleAnalytics(const std::string& scheduled_report_id,
                                           const std::vector<Report>& reports);

}  // namespace rapport
