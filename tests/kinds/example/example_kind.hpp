// The example report kind: the smallest kind that uses every seam a report kind has, and lives
// only in this folder (issue 19's proof; docs/ARCHITECTURE.md "Adding a report kind" walks
// through it). A schedule says hello once a day: each run stores a report of the day before
// (its JSON and a one-page PDF) and the event `example_report.completed`, which reaches the
// tenant's example webhooks.
//
//   POST /example/schedules            {greeting, first_run_at}   → 201 the schedule
//   GET  /example/schedules/{id}                                  → the schedule
//   POST /example/schedules/{id}/run   {date: "YYYY-MM-DD"}       → 202 the job (on demand)
//   GET  /example/reports/{id}         (+ /pdf)                   → the report
//   /example/webhooks                  the tenant's endpoints for example events
//
// Scopes: read:example, write:example (and the webhooks' own).
#pragma once

#include <rapport/kinds/report_kind.hpp>
#include <rapport/store/store.hpp>

#include <memory>

namespace rapport::example {

std::unique_ptr<ReportKind> MakeExampleKind(Store& store, const Clock& clock);

}  // namespace rapport::example
