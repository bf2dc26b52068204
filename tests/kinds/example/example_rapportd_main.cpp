// rapportd with the example kind: the test's registration line is the one below that hands
// MakeExampleKind to RunServer; everything else is rapportd's own main.
#include <rapport/app/config.hpp>
#include <rapport/app/server_app.hpp>

#include <CLI/CLI.hpp>

#include <iostream>

#include "example_kind.hpp"

int main(int argc, char** argv) {
  CLI::App app{"example_rapportd - rapportd with the example report kind (tests only)."};
  rapport::ConfigLoader loader(app);
  CLI11_PARSE(app, argc, argv);
  auto config = loader.Resolve();
  if (!config.ok()) {
    std::cerr << "example_rapportd: " << config.error().message() << "\n";
    return 2;
  }
  rapport::SetUpLogging(config->log_level);
  return rapport::RunServer(*config, {rapport::example::MakeExampleKind});
}
