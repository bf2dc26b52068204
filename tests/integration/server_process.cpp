#include "server_process.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>

#include "pg_cluster_test_util.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace rapport::testing {

ServerProcess::ServerProcess(std::map<std::string, std::string> env, std::vector<std::string> args)
    : env_(std::move(env)), args_(std::move(args)) {
  data_dir_ = std::filesystem::temp_directory_path() / ("rapport-it-" + NewUuidV4());
  std::filesystem::create_directories(data_dir_);
  if (auto it = env_.find("RAPPORT_DATABASE_URL"); it != env_.end()) {
    database_url_ = it->second;
  } else if (UsingPostgres()) {
    database_url_ = pgtest::FreshPgDatabase();
    EXPECT_FALSE(database_url_.empty()) << "no PostgreSQL test cluster";
    env_["RAPPORT_DATABASE_URL"] = database_url_;
  } else {
    database_url_ = (data_dir_ / "rapport.db").string();
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  if (::testing::Test::HasFailure()) {  // what the server said goes with the failure
    std::ifstream log(data_dir_ / "rapportd.log");
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(log, line)) lines.push_back(line);
    size_t from = lines.size() > 40 ? lines.size() - 40 : 0;
    std::fprintf(stderr, "--- last lines of %s/rapportd.log ---\n", data_dir_.c_str());
    for (size_t i = from; i < lines.size(); ++i) std::fprintf(stderr, "%s\n", lines[i].c_str());
  }
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

void ServerProcess::Start() {
  std::filesystem::remove(data_dir_ / "rapportd.addr");
  std::map<std::string, std::string> env = {{"RAPPORT_AUTH_HS256_SECRET", kSecret},
                                            {"RAPPORT_LOG_REQUESTS", "false"}};
  for (const auto& [k, v] : env_) env[k] = v;
  std::vector<std::string> argv = {binary_, "--listen", "127.0.0.1:0", "--data-dir",
                                   data_dir_.string()};
  argv.insert(argv.end(), args_.begin(), args_.end());
  pid_ = fork();
  ASSERT_GE(pid_, 0);
  if (pid_ == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::string log = (data_dir_ / "rapportd.log").string();
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
    FILE* out = freopen(log.c_str(), "a", stdout);
    FILE* err = freopen(log.c_str(), "a", stderr);
    (void)out;
    (void)err;
    std::vector<char*> cargs;
    for (auto& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(data_dir_ / "rapportd.addr");
    if (in && std::getline(in, address_) && !address_.empty()) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      FAIL() << "rapportd exited during start-up with status " << status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << "rapportd did not start within 15 s";
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(12);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t LastEightUtc() {
  int64_t day = 86'400'000, now = NowMs();
  int64_t eight = now / day * day + 8 * 3'600'000;
  return eight > now ? eight - day : eight;
}

bool UsingPostgres() {
  const char* db = std::getenv("RAPPORT_TEST_DATABASE");
  return db != nullptr && std::string_view(db) == "postgres";
}

std::string Sql(const std::string& database_url, const std::string& sql) {
  std::string out;
  if (database_url.starts_with("postgresql://")) {
    PGconn* conn = PQconnectdb(database_url.c_str());
    PGresult* r = PQexec(conn, sql.c_str());
    auto status = PQresultStatus(r);
    EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
        << PQresultErrorMessage(r) << " in " << sql;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(conn);
    return out;
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(database_url.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10'000);
  char* err = nullptr;
  sqlite3_exec(
      db, sql.c_str(),
      [](void* dst, int n, char** values, char**) {
        auto* s = static_cast<std::string*>(dst);
        if (s->empty() && n > 0 && values[0]) *s = values[0];
        return 0;
      },
      &out, &err);
  EXPECT_EQ(err, nullptr) << (err ? err : "") << " in " << sql;
  sqlite3_free(err);
  sqlite3_close(db);
  return out;
}

std::string Token(const std::string& tenant, const std::string& scope, const std::string& subject) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  boost::json::object claims{
      {"sub", subject}, {"tenant", tenant}, {"scope", scope}, {"exp", now + 3600}};
  return MintHs256Token(claims, kSecret);
}

std::string SignHs256(const std::string& header_json, const std::string& payload_json,
                      const std::string& secret) {
  std::string signed_part = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  return signed_part + "." + Base64UrlEncode(HmacSha256(secret, signed_part));
}

client::HttpResult Api::Send(const std::string& method, const std::string& path,
                             const std::string& body, std::vector<std::string> headers) {
  if (!token_.empty()) headers.push_back("Authorization: Bearer " + token_);
  auto result = client_.Send(method, path, body, headers);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message());
  return result.ok() ? result.value() : client::HttpResult{};
}

client::HttpResult Api::Post(const std::string& path, const std::string& body) {
  return Send("POST", path, body, {"Idempotency-Key: " + NewUuidV4()});
}

boost::json::value Json(const client::HttpResult& result) {
  boost::system::error_code ec;
  auto v = boost::json::parse(result.body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << result.body;
  return v;
}

boost::json::value WaitJob(Api& api, const std::string& job_id) {
  for (int i = 0; i < 300; ++i) {
    auto job = Json(api.Get("/v1/jobs/" + job_id));
    std::string status(job.at("status").as_string());
    if (status != "pending" && status != "processing") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "job " << job_id << " did not finish";
  return nullptr;
}

double MetricSum(const std::string& page, const std::string& name, const std::string& label) {
  double sum = 0;
  std::istringstream lines(page);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(name + "{") && !line.starts_with(name + " ")) continue;
    size_t value = line.rfind(' ');
    if (line.substr(0, value).find(label) == std::string::npos) continue;
    sum += std::stod(line.substr(value + 1));
  }
  return sum;
}

std::string StartSlaRun(Api& api, const std::string& schedule_id) {
  auto run = api.Send("POST", "/reports/sla/schedules/" + schedule_id + "/run",
                      R"({"from_date":"2026-01-01","to_date":"2026-01-31"})");
  if (run.status != 202) {
    ADD_FAILURE() << "run request: " << run.status << " " << run.body;
    return "";
  }
  std::string job_id(Json(run).at("job_id").as_string());
  bool processing = WaitFor(
      [&] { return Json(api.Get("/v1/jobs/" + job_id)).at("status").as_string() == "processing"; });
  if (!processing) ADD_FAILURE() << "job " << job_id << " never started";
  return processing ? job_id : "";
}

CommandResult RunCommand(const std::string& command) {
  char err_path[] = "/tmp/rapport-cmd-err.XXXXXX";
  int fd = mkstemp(err_path);
  if (fd >= 0) close(fd);
  CommandResult r;
  r.out = CommandOutput("(" + command + ") 2>" + err_path + "; echo \"~$?\"");
  size_t mark = r.out.rfind('~');
  if (mark != std::string::npos) {
    r.exit_code = std::stoi(r.out.substr(mark + 1));
    r.out.erase(mark);
  }
  std::ifstream in(err_path);
  r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::remove(err_path);
  return r;
}

CommandResult RunCli(const ServerProcess& server, const std::string& args,
                     const std::string& tenant) {
  return RunCommand("RAPPORT_URL=" + server.url() + " RAPPORT_TOKEN=" + Token(tenant) + " " +
                    RAPPORT_CLI_PATH + " " + args);
}

std::string CommandOutput(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buf[4096];
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    pclose(pipe);
  }
  return out;
}

std::string PdfText(const std::string& bytes) {
  auto path = std::filesystem::temp_directory_path() /
              ("rapport_it_" + std::to_string(getpid()) + "_" + NewUuidV4() + ".pdf");
  std::ofstream(path, std::ios::binary) << bytes;
  std::string raw = CommandOutput("pdftotext -layout -enc UTF-8 '" + path.string() + "' -");
  std::filesystem::remove(path);
  std::string out;
  for (char ch : raw) {
    bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\f';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : ch;
  }
  return out;
}

namespace {

// A TCP connection to "host:port" (IPv4); -1 when it cannot connect.
int Connect(const std::string& address) {
  size_t colon = address.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

Trickle TrickleExchange(const std::string& address, const std::string& prefix,
                        const std::string& bytes, int interval_ms) {
  Trickle out;
  int fd = Connect(address);
  if (fd < 0) return out;
  if (!prefix.empty() &&
      send(fd, prefix.data(), prefix.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(prefix.size())) {
    close(fd);
    return out;
  }
  auto start = std::chrono::steady_clock::now();
  while (!out.closed_by_server) {
    if (out.sent < bytes.size()) {
      if (send(fd, bytes.data() + out.sent, 1, MSG_NOSIGNAL) != 1) {
        out.closed_by_server = true;
        break;
      }
      ++out.sent;
    } else if (std::chrono::steady_clock::now() - start > std::chrono::seconds(30)) {
      break;  // everything sent and the server still waits: give up
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, interval_ms) > 0) {
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) {
        out.closed_by_server = true;
      } else {
        out.reply.append(buf, static_cast<size_t>(n));
      }
    }
  }
  out.lasted = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  close(fd);
  return out;
}

std::string RawExchange(const std::string& address, const std::string& bytes, int timeout_ms) {
  int fd = Connect(address);
  if (fd < 0) return "";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace rapport::testing
