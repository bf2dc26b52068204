// The brand report kind: the `brand_report` and `brand_facts` jobs and the scheduled reports'
// firing.
#pragma once

#include <rapport/brand/llm_client.hpp>
#include <rapport/jobs/report_kind.hpp>
#include <rapport/store/store.hpp>

#include <memory>

namespace rapport {

// `llm`: the answer engines (its copies share the providers' limits); `grace_ms`: a run due
// longer ago than this was missed (missed_runs: skip).
std::unique_ptr<ReportKind> MakeBrandKind(Store& store, const Clock& clock, LlmClient llm,
                                          int64_t grace_ms);

}  // namespace rapport
