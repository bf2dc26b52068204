// Wires config → store → API → HTTP server and runs rapportd until SIGTERM/SIGINT.
#pragma once

#include <rapport/app/config.hpp>

namespace rapport {

// Returns the process exit code: 0 after a graceful shutdown, 1 when start-up fails.
int RunServer(const Config& config);

// Configures the process-wide JSON-lines logger on stdout at `level`.
void SetUpLogging(const std::string& level);

}  // namespace rapport
