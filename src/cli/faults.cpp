#include "faults.hpp"

#include "cli.hpp"
#include "output.hpp"

#include <rapport/client/http_client.hpp>
#include <rapport/core/ids.hpp>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace rapport::cli {
namespace {

namespace json = boost::json;

// The server names every bad row in one message ("N problems in the CSV: row 2, column type:
// …; row 5: …"); one line each reads better.
void PrintProblems(const std::string& message) {
  size_t start = message.find(": row ");
  if (start == std::string::npos) {
    std::cerr << "rapport: " << message << "\n";
    return;
  }
  std::cerr << "rapport: " << message.substr(0, start) << ":\n";
  start += 2;
  while (start < message.size()) {
    size_t next = message.find("; row ", start);
    std::cerr << "  " << message.substr(start, next - start) << "\n";
    if (next == std::string::npos) break;
    start = next + 2;
  }
}

int Import(Session& session, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "rapport: cannot read " << path << "\n";
    return kExitUsage;
  }
  std::stringstream csv;
  csv << in.rdbuf();
  client::HttpClient client(session.server, 120'000);
  std::vector<std::string> headers{"Content-Type: text/csv", "Idempotency-Key: " + NewUuidV4()};
  if (!session.token.empty()) headers.push_back("Authorization: Bearer " + session.token);
  auto result = client.Send("POST", "/faults/import", csv.str(), headers);
  if (!result.ok()) {
    std::cerr << "rapport: " << result.error().message() << "\n";
    return kExitUnreachable;
  }
  boost::system::error_code ec;
  json::value body = json::parse(result->body, ec);
  if (session.json_output) std::cout << result->body << "\n";
  if (result->status >= 400) {
    if (session.json_output) return kExitApiError;
    const auto* message =
        ec || !body.is_object() ? nullptr : body.as_object().if_contains("message");
    if (message && message->is_string()) {
      std::cerr << "rapport: HTTP " << result->status << "\n";
      PrintProblems(std::string(message->as_string()));
    } else {
      std::cerr << "rapport: HTTP " << result->status << ": " << result->body << "\n";
    }
    return kExitApiError;
  }
  if (!session.json_output && !ec && body.is_object()) {
    const auto& o = body.as_object();
    std::cout << "imported " << o.at("imported").as_int64() << " of " << o.at("rows").as_int64()
              << " rows (" << o.at("unchanged").as_int64() << " already there)\n";
  }
  return kExitOk;
}

}  // namespace

void AddFaultCommands(CLI::App& app, Session& session) {
  CLI::App* faults = app.get_subcommand("faults");
  static std::string file;
  auto* import = faults->add_subcommand(
      "import",
      "Import faults from a CSV file (POST /faults/import): a header row naming resource_id, "
      "type, severity and optionally status, cause, message, created_at, resolved_at, "
      "external_id; all rows or none are stored, and every bad row is listed");
  import->add_option("FILE", file, "The CSV file")->required()->check(CLI::ExistingFile);
  import->callback([&session] { session.exit_code = Import(session, file);
});
}  // namespace rapport::cli

}  // namespace rapport::cli
