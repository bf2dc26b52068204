// `rapport users …`: console users, on rapportd's database directly (SQLite or PostgreSQL, no
// server needed: the way to the first admin). `rapport tokens …`: API tokens, through the API.
#pragma once

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

void AddUserCommands(CLI::App& app, Session& session);
void AddApiTokenCommands(CLI::App& app, Session& session);

}  // namespace rapport::cli
