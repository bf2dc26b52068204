// What bench/pg_jobs_benchmark.cpp needs besides the measurements: a libpq connection for its
// own statements, graphile-worker node processes (bench/graphile/drain.mjs) and figure formats.
#pragma once

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace rapport::bench {

[[noreturn]] inline void Die(const std::string& what) {
  std::cerr << "pg_jobs_benchmark: " << what << "\n";
  std::exit(1);
}

// Microseconds since the Unix epoch on the system clock: the one clock both sides stamp with
// (graphile-worker's tasks run in another process on the same machine).
inline int64_t NowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// A libpq connection for the benchmark's own statements. Dies on any error.
class Pg {
 public:
  explicit Pg(const std::string& url) : c_(PQconnectdb(url.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) Die(PQerrorMessage(c_));
    PQsetNoticeProcessor(
        c_, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  }
  ~Pg() { PQfinish(c_); }
  Pg(const Pg&) = delete;
  Pg& operator=(const Pg&) = delete;
  // The first column of the first row ("" when none).
  std::string Query(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    auto status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) Die(PQresultErrorMessage(r));
    std::string out = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return out;
  }

 private:
  PGconn* c_;
};

// Creates an empty database of the cluster at `admin_url`; returns its URL.
inline std::string FreshDatabase(const std::string& admin_url, const std::string& name) {
  Pg admin(admin_url);
  admin.Query("DROP DATABASE IF EXISTS " + name);
  admin.Query("CREATE DATABASE " + name);
  return admin_url.substr(0, admin_url.rfind('/') + 1) + name;
}

// Polls `count_sql` every 5 ms until it answers 0; returns the system time (µs) it did. Dies
// after `timeout_s` (a job that never completes must not hang the benchmark).
inline int64_t WaitUntilEmpty(const std::string& url, const std::string& count_sql, int timeout_s) {
  Pg pg(url);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (pg.Query(count_sql) != "0") {
    if (std::chrono::steady_clock::now() > deadline) Die("queue not empty in time: " + count_sql);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return NowUs();
}

// What a graphile-worker node reported when it stopped.
struct NodeReport {
  int64_t ran = 0;                    // jobs its tasks ran
  int64_t first_start_us = 0;         // when its first task started (0: none)
  std::vector<int64_t> latencies_us;  // start - enqueue of jobs that carried `t`
};

// One `node drain.mjs work URL CONCURRENCY CONFIG` process, with its stdin and stdout piped.
class GraphileNode {
 public:
  GraphileNode(const std::string& dir, const std::string& url, int concurrency,
               const std::string& config) {
    int in[2], out[2];
    // Close-on-exec: a later node must not inherit this one's stdin (it would never see EOF).
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) Die("pipe failed");
    pid_ = fork();
    if (pid_ < 0) Die("fork failed");
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      if (chdir(dir.c_str()) != 0) _exit(126);
      std::string c = std::to_string(concurrency);
      execlp("node", "node", "drain.mjs", "work", url.c_str(), c.c_str(), config.c_str(), nullptr);
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_fd_ = in[1];
    stdout_ = fdopen(out[0], "r");
  }
  ~GraphileNode() {
    if (stdin_fd_ >= 0) close(stdin_fd_);
    if (stdout_ != nullptr) std::fclose(stdout_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }
  GraphileNode(const GraphileNode&) = delete;
  GraphileNode& operator=(const GraphileNode&) = delete;

  // Waits until the process has loaded graphile-worker.
  void AwaitReady() {
    if (ReadLine() != "ready")
      Die("a graphile-worker node did not start (npm ci in bench/graphile?)");
  }
  void Release() {
    if (write(stdin_fd_, "go\n", 3) != 3) Die("cannot release a graphile-worker node");
  }
  // Waits until the runner has started (it printed "running").
  void AwaitRunning() {
    if (ReadLine() != "running") Die("a graphile-worker node did not run");
  }
  // Closes its stdin (the node stops its runner) and reads its report.
  NodeReport Stop() {
    close(stdin_fd_);
    stdin_fd_ = -1;
    NodeReport report;
    bool done = false;
    for (std::string line = ReadLine(); !line.empty(); line = ReadLine()) {
      std::istringstream in(line);
      std::string word;
      in >> word;
      if (word == "done") {
        in >> report.ran >> report.first_start_us;
        done = true;
      } else if (word == "latency_us") {
        std::string list;
        in >> list;
        report.latencies_us = ParseList(list);
      }
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (!done || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      Die("a graphile-worker node failed");
    return report;
  }

 private:
  std::string ReadLine() {
    std::string line;
    int c;
    while ((c = std::fgetc(stdout_)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
    return line;
  }
  static std::vector<int64_t> ParseList(const std::string& list) {
    std::vector<int64_t> out;
    const char* p = list.data();
    const char* end = p + list.size();
    while (p < end) {
      int64_t v = 0;
      auto [next, ec] = std::from_chars(p, end, v);
      if (ec != std::errc()) Die("bad latency list from a graphile-worker node");
      out.push_back(v);
      p = next < end && *next == ',' ? next + 1 : next;
    }
    return out;
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  FILE* stdout_ = nullptr;
};

// The q-quantile (0..1) of `v`, nearest rank.
inline double Quantile(std::vector<int64_t> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(q * static_cast<double>(v.size()) + 0.999999);
  return static_cast<double>(v[std::clamp<size_t>(rank, 1, v.size()) - 1]);
}

// 12345.6 -> "12,346".
inline std::string Thousands(double value) {
  std::string digits = std::to_string(static_cast<int64_t>(value + 0.5));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// printf into a std::string.
template <typename... Args>
std::string Format(const char* format, Args... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return buffer;
}

}  // namespace rapport::bench
