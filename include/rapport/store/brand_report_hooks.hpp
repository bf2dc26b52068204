// The brand kind's report hooks, while its tables' queries still live in the store (issue 19
// moves them to the brand ReportKind): a brand report's citations (`Report::kind_data`, a
// std::vector<CitationUse>) are stored with it; deleting it deletes its citation occurrences
// (and citations no report cites any more) and the raw answers it was built from; purging
// finished jobs deletes the answers of runs that made no report.
#pragma once

#include <rapport/store/interfaces.hpp>

namespace rapport {

// Register with KindDatabase::AddReportHooks on every store that completes or deletes brand
// reports (rapportd does at start-up).
ReportHooks BrandReportHooks();

}  // namespace rapport
