// Starts a real rapportd on an ephemeral loopback port with a private data dir, for
// integration tests. The process is stopped (SIGTERM, then SIGKILL) when the object dies.
#pragma once

#include <rapport/auth/jwt.hpp>
#include <rapport/client/http_client.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace rapport::testing {

inline constexpr const char* kSecret = "integration-test-secret-0123456789";

class ServerProcess {
 public:
  // `env` adds to (or overrides) the defaults: the HS256 secret and quiet request logs.
  explicit ServerProcess(std::map<std::string, std::string> env = {},
                         std::vector<std::string> args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts rapportd and waits until it accepts requests; aborts the test on failure.
  void Start();
  // SIGTERM and wait; returns the exit status (or -1 when it had to be killed).
  int Stop();
  void Kill();

  // Runs `path` instead of rapportd from the next Start: a server built with more report kinds
  // (tests/kinds/*), which takes rapportd's flags.
  void UseBinary(std::string path) { binary_ = std::move(path); }
  // Changes the environment of the next Start (e.g. a restart with other settings).
  void SetEnv(const std::string& name, const std::string& value) { env_[name] = value; }

  std::string url() const { return "http://" + address_; }
  const std::string& address() const { return address_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // The database this server runs on: RAPPORT_DATABASE_URL when `env` sets it, else a fresh
  // database in the test cluster when the suite runs on PostgreSQL (UsingPostgres), else
  // <data_dir>/rapport.db.
  const std::string& database_url() const { return database_url_; }
  int pid() const { return pid_; }

 private:
  std::map<std::string, std::string> env_;
  std::vector<std::string> args_;
  std::string binary_ = RAPPORTD_PATH;
  std::filesystem::path data_dir_;
  std::string database_url_;
  std::string address_;
  int pid_ = -1;
};

// Wall-clock milliseconds since the Unix epoch.
int64_t NowMs();
// The latest 08:00 UTC at or before now (when daily SLA schedules fire).
int64_t LastEightUtc();
// Polls `done()` every 50 ms until it holds (true) or `seconds` pass (false).
template <class F>
bool WaitFor(F done, int seconds = 20) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// Whether this run of the suite puts every server on PostgreSQL (ctest's `pg.` variants set
// RAPPORT_TEST_DATABASE=postgres) instead of SQLite.
bool UsingPostgres();
// Runs `sql` on the database at `database_url` (SQLite path or postgresql:// URL); returns the
// first column of the first row ("" if none). A failure fails the test.
std::string Sql(const std::string& database_url, const std::string& sql);

// A token for `tenant` with `scope`, valid for an hour, signed with kSecret.
std::string Token(const std::string& tenant, const std::string& scope = "*",
                  const std::string& subject = "tester");
// Signs arbitrary claims/header (for attack cases).
std::string SignHs256(const std::string& header_json, const std::string& payload_json,
                      const std::string& secret);

// A client bound to one server and token.
class Api {
 public:
  Api(const ServerProcess& server, std::string token)
      : client_(server.url()), token_(std::move(token)) {}

  client::HttpResult Send(const std::string& method, const std::string& path,
                          const std::string& body = "", std::vector<std::string> headers = {});
  // POST with a fresh Idempotency-Key.
  client::HttpResult Post(const std::string& path, const std::string& body);
  client::HttpResult Get(const std::string& path) { return Send("GET", path); }

 private:
  client::HttpClient client_;
  std::string token_;
};

boost::json::value Json(const client::HttpResult& result);
// Polls GET /v1/jobs/{id} until the job leaves pending/processing (15 s at most).
boost::json::value WaitJob(Api& api, const std::string& job_id);
// The sum of the samples of metric `name` (e.g. "rapport_llm_calls_total") in a /metrics page
// whose labels contain `label` (e.g. "outcome=\"ok\""; "" for all).
double MetricSum(const std::string& page, const std::string& name, const std::string& label = "");
// Requests an on-demand SLA run (January 2026) of `schedule_id` and waits until its job is
// processing; returns the job's id ("" with a test failure when either does not happen).
std::string StartSlaRun(Api& api, const std::string& schedule_id);
// What `command` (run by /bin/sh) printed on standard output.
std::string CommandOutput(const std::string& command);
struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs `command` (by /bin/sh); its exit code, standard output and standard error.
CommandResult RunCommand(const std::string& command);
// Runs the rapport CLI with `args` against `server` with a token for `tenant`.
CommandResult RunCli(const ServerProcess& server, const std::string& args,
                     const std::string& tenant = "t1");
// The text poppler's pdftotext extracts from PDF `bytes` (columns kept), with every run of
// whitespace collapsed to one space, so that a table row reads "cell cell cell".
std::string PdfText(const std::string& bytes);
// Sends raw bytes on a new TCP connection and returns everything read until close/timeout.
std::string RawExchange(const std::string& address, const std::string& bytes,
                        int timeout_ms = 3000);
// Sends `prefix` at once, then `bytes` one at a time, `interval_ms` apart (a slowloris client),
// until the server closes the connection or everything is sent; returns how long the trickle
// lasted and what came back.
struct Trickle {
  size_t sent = 0;
  std::chrono::milliseconds lasted{0};
  bool closed_by_server = false;
  std::string reply;
};
Trickle TrickleExchange(const std::string& address, const std::string& prefix,
                        const std::string& bytes, int interval_ms);

}  // namespace rapport::testing
