// The resource commands generated from one table: for each API resource (faults, schedules,
// reports, jobs, region configs, …) list / get / create / update / delete, with bodies given as
// JSON (--data '{…}', @FILE or - for standard input). Brands and sites also have flag-based
// create commands (cli.cpp); `rapport api` reaches anything else.
#pragma once

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

void AddResourceCommands(CLI::App& app, Session& session);

}  // namespace rapport::cli
