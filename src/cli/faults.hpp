// `rapport faults import FILE.csv`: faults from a CSV file (POST /faults/import).
#pragma once

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

// Adds `import` to the `faults` command (AddResourceCommands makes it; call this after).
void AddFaultCommands(CLI::App& app, Session& session);

}  // namespace rapport::cli
