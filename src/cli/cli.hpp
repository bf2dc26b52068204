// The `rapport` command-line client: token minting, resource commands for both API dialects,
// report runs, and the demo data loader. Exit codes: 0 success, 1 the API refused the request,
// 2 usage or configuration error, 3 the server could not be reached, 4 a job `run --wait`
// followed failed, was cancelled or outlasted --timeout.
#pragma once

namespace rapport::cli {

constexpr int kExitOk = 0;
constexpr int kExitApiError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 3;
constexpr int kExitJobFailed = 4;

int Main(int argc, char** argv);

}  // namespace rapport::cli
