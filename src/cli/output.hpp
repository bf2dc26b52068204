// What the CLI commands share: the connection to the server, request helpers that print either
// a human table or raw JSON, and the request bodies built from flags.
#pragma once

#include <rapport/client/http_client.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rapport::cli {

struct Column {
  std::string title;
  std::string field;  // dotted path into each item
};

std::vector<Column> BrandColumns();
std::vector<Column> SiteColumns();

struct ListOptions {
  int limit = 0;  // 0: server default
  std::string cursor;
  std::vector<std::string> filters;  // KEY=VALUE query parameters, e.g. status=pending
};

// "a b&c" -> "a%20b%26c": a query parameter value.
std::string QueryEscape(const std::string& value);
// A request body given on the command line: the text itself, @FILE for a file's content, or - for
// standard input. nullopt (with a message on standard error) when the file cannot be read.
std::optional<std::string> ReadBody(const std::string& data);

struct BrandDraft {
  std::string name, website, country, language;
  std::vector<std::string> aliases, competitors, categories;
  boost::json::object ToJson() const;
};

struct SiteDraft {
  std::string name, timezone;
  std::vector<std::string> tags;  // KEY=VALUE
  std::optional<boost::json::object> ToJson() const;
};

struct Session {
  std::string server;
  std::string token;
  bool json_output = false;
  int exit_code = 0;

  // Sends a request; on success returns the parsed body (null when empty). Prints the error and
  // sets `failure_code` otherwise.
  std::optional<boost::json::value> Call(const std::string& method, const std::string& path,
                                         const std::string& body, int& failure_code,
                                         const std::string& idempotency_key = "");
  // Prints one resource (pretty JSON); returns the exit code.
  int Show(const std::string& method, const std::string& path, const std::string& body);
  // Prints a list as a table (or JSON) with the cursor for the next page.
  int List(const std::string& path, const ListOptions& options, const std::vector<Column>& cols);
  int Raw(const std::string& method, const std::string& path, const std::string& body,
          const std::string& idempotency_key);
  // GETs the first of `paths` that exists (404 moves on to the next) and writes its body to
  // `output` ("-": standard output), through a temporary file renamed into place.
  int Download(const std::vector<std::string>& paths, const std::string& output);

 private:
  std::optional<client::HttpClient> client_;
};

// Sends METHOD path with the body ReadBody(data) gives (JSON, @FILE or - for standard input) and
// shows the answer; kExitUsage when the body cannot be read.
int SendBody(Session& session, const std::string& method, const std::string& path,
             const std::string& data);

// Prints `rows` (objects) as a table of `cols`, aligned by display width.
void PrintTable(const boost::json::array& rows, const std::vector<Column>& cols);

// Indented JSON for people.
std::string Pretty(const boost::json::value& value);

}  // namespace rapport::cli
