// The brand report kind (seed 000's /v1 brand visibility): the `brand_report` and `brand_facts`
// jobs, the scheduled reports' firing, and the routes of brands, facts, scheduled reports, region
// configs, prompts, brand reports, citations and a brand's webhooks.
#pragma once

#include <rapport/brand/llm_client.hpp>
#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/kinds/report_kind.hpp>
#include <rapport/store/store.hpp>

#include <memory>
#include <string>
#include <vector>

namespace rapport {

struct BrandKindOptions {
  int64_t grace_ms = 10 * 60'000;  // a run due longer ago than this was missed (skip)
  QueueLimits queue_limits;        // unfinished jobs; past them an execution is a 503
  // The answer-engine platforms this server has a provider for: a region config created without
  // `ai_platforms` asks these.
  std::vector<std::string> platforms;
  int64_t max_tokens_per_run = 0;  // a run estimated above it is refused (422); 0: no limit
  bool judging = false;            // answers are judged: estimates count judgements
};

// `llm`: the answer engines (its copies share the providers' limits).
std::unique_ptr<ReportKind> MakeBrandKind(Store& store, const Clock& clock, LlmClient llm,
                                          BrandKindOptions options);

}  // namespace rapport
