// `rapport admin backup|restore`: an online, consistent copy of rapportd's SQLite database and
// putting one back (include/rapport/store/sqlite_backup.hpp).
#pragma once

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

void AddAdminCommands(CLI::App& app, Session& session);

}  // namespace rapport::cli
