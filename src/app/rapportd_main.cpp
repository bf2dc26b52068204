// rapportd: the Rapport server (HTTP API, scheduler and workers in one process).
#include <rapport/app/config.hpp>
#include <rapport/app/server_app.hpp>

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{
      "rapportd - schedules, generates and stores SLA and brand reports.\n"
      "Settings come from defaults < --config TOML file < RAPPORT_* environment < flags."};
  app.set_version_flag("--version", std::string("rapportd ") + RAPPORT_VERSION);
  rapport::ConfigLoader loader(app);
  CLI11_PARSE(app, argc, argv);
  auto config = loader.Resolve();
  if (!config.ok()) {
    std::cerr << "rapportd: " << config.error().message() << "\n";
    return 2;
  }
  rapport::SetUpLogging(config->log_level);
  return rapport::RunServer(*config);
}
