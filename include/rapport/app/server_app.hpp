// Wires config → store → API → HTTP server and runs rapportd until SIGTERM/SIGINT.
#pragma once

#include <rapport/app/config.hpp>
#include <rapport/kinds/report_kind.hpp>
#include <rapport/store/store.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace rapport {

// A report kind beyond rapportd's own (a test's, a fork's), built once the store is open; the
// store and the clock outlive it.
using KindFactory = std::function<std::unique_ptr<ReportKind>(Store& store, const Clock& clock)>;

// Returns the process exit code: 0 after a graceful shutdown, 1 when start-up fails.
// `extra_kinds` run beside rapportd's own (MakeReportKinds), registered the same way.
int RunServer(const Config& config, const std::vector<KindFactory>& extra_kinds = {});

// Configures the process-wide JSON-lines logger on stdout at `level`.
void SetUpLogging(const std::string& level);

}  // namespace rapport
