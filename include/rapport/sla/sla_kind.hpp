// The SLA report kind: the `sla_report` job and the SLA schedules' firing.
#pragma once

#include <rapport/jobs/report_kind.hpp>
#include <rapport/store/store.hpp>

#include <memory>

namespace rapport {

// `email_enabled`: reports say their e-mails are queued (an SMTP server is configured);
// `grace_ms`: a period due longer ago than this was missed (missed_runs: skip).
std::unique_ptr<ReportKind> MakeSlaKind(Store& store, const Clock& clock, bool email_enabled,
                                        int64_t grace_ms);

}  // namespace rapport
