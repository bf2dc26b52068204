// `rapport completion bash|zsh`: a completion script generated from the command tree itself, so
// it never falls behind the commands and options `rapport --help` lists.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

// The bash completion script for `app` (zsh: the same, after bashcompinit).
std::string BashCompletion(const CLI::App& app, bool zsh);

void AddCompletionCommand(CLI::App& app, Session& session);

}  // namespace rapport::cli
