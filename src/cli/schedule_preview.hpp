// `rapport schedule preview`: the next run instants of a cadence and the period each covers.
#pragma once

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

void AddSchedulePreviewCommand(CLI::App& app, Session& session);

}  // namespace rapport::cli
