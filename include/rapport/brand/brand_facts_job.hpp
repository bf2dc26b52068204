// The "brand_facts" job: asks the judge platform's answer engine to research a brand and merges
// what it returns (known fact fields with the right types only) into the brand's facts.
#pragma once

#include <rapport/brand/llm_client.hpp>
#include <rapport/jobs/job_engine.hpp>

namespace rapport {

class BrandFactsJob final : public JobHandler {
 public:
  BrandFactsJob(BrandStore& store, const Clock& clock, LlmClient client)
      : store_(store), clock_(clock), client_(std::move(client)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;

 private:
  Status MarkFailed(const std::string& tenant_id, const std::string& brand_id);

  BrandStore& store_;
  const Clock& clock_;
  LlmClient client_;
};

}  // namespace rapport
