// Brand visibility report generation: the "brand_report" job kind. For each region config of the
// run, asks every enabled prompt on every platform `samples_per_prompt` times (in the region's
// language, with its country and location as context), concurrently within the providers'
// limits. Each answer (and the judge's verdict on it) is stored as it arrives (a checkpoint keyed
// by job, region config, prompt, platform and sample), so an attempt after a crash asks only what
// is missing. Reports are built from the stored answers: one per region config, sharing a batch
// id. A refused answer is recorded and left out of the rates; the run fails when a platform cannot
// answer at all or more than llm.max_failed_share of its answers failed.
#pragma once

#include <rapport/brand/llm_client.hpp>
#include <rapport/brand/scorer.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <boost/json/object.hpp>

#include <map>

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
  int sample = 1;
  bool failed = false;             // the provider did not answer: left out of every rate
  std::string error;               // its reason
  std::vector<LlmSource> sources;  // returned by the provider with the answer
  int64_t latency_ms = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t judge_prompt_tokens = 0;
  int64_t judge_completion_tokens = 0;
};

// What a run costs before it starts, to hold it against llm.max_tokens_per_run: every answer at
// its prompt's size plus a typical answer, and (when `judging`) a judgement of every answer.
struct RunEstimate {
  int64_t answer_calls = 0;
  int64_t judge_calls = 0;
  int64_t tokens = 0;
};
void AddToEstimate(RunEstimate& estimate, const std::string& prompt_text, int64_t times,
                   bool judging, size_t facts_chars);

// The `usage` object of a report or run: answers asked (failed ones included) and judgements,
// tokens per platform and of the judge, with costs where llm.prices knows every model used.
boost::json::object UsageOf(const std::vector<AskedAnswer>& answers,
                            const std::map<std::string, LlmPrice>& prices,
                            const std::string& judge_model);

// The judge's claims from its reply ({"claims":[{"claim","verdict"}]}); nullopt when the reply
// is not that.
std::optional<std::vector<JudgedClaim>> ParseJudgement(const std::string& reply);

// The report of one region config from its scored answers (pure: tested without a provider).
boost::json::object BuildBrandReport(const Brand& brand, const RegionConfig& config,
                                     const std::vector<AskedAnswer>& answers,
                                     int samples_per_prompt = 1);

// What a brand run reads: the schedule, the brand and its facts, the region configs and their
// prompts, its checkpointed answers, and earlier reports for the visibility trend.
struct BrandRunStores {
  ScheduledReportStore& schedules;
  BrandStore& brands;
  RegionConfigStore& configs;
  PromptStore& prompts;
  BrandAnswerStore& answers;
  ReportStore& reports;
  WhiteLabelStore& labels;  // the tenant's branding, drawn on the PDFs
};

class BrandReportJob final : public JobHandler {
 public:
  BrandReportJob(BrandRunStores stores, const Clock& clock, LlmClient client)
      : stores_(stores), clock_(clock), client_(std::move(client)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  // "report.failed" for each region config of the run and "schedule.run.failed", with the reason.
  std::vector<Event> FailureEvents(const Job& job, const Error& error, UnixMs now) override;

 private:
  BrandRunStores stores_;
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
