// No-op job throughput on PostgreSQL (issue 8): Rapport's job engine against graphile-worker
// (bench/graphile, npm graphile-worker 0.16.6), both draining the same number of queued no-op
// jobs from a fresh database of the same PostgreSQL cluster, with 1 and with 3 nodes of the same
// concurrency each, in the same run. A Rapport node is a JobEngine over its own Store (its own
// connection pool), as in rapportd; a graphile-worker node is a `node drain.mjs work` process.
// The jobs are queued before the clock starts; the clock runs from releasing the nodes until a
// query on the queue finds it empty (the same 5 ms poll on both sides). Medians of --rounds.
//
// Usage: rapport_pg_jobs_benchmark --database-url postgresql://…/postgres --graphile bench/graphile
#include "bench_util.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rapport;
using bench::Median;
using bench::Seconds;
using bench::Steady;

struct Options {
  std::string admin_url;
  std::string graphile_dir = "bench/graphile";
  int jobs = 10'000;
  int concurrency = 4;
  std::vector<int> nodes = {1, 3};
  int rounds = 3;
};

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "pg_jobs_benchmark: " << what << "\n";
  std::exit(1);
}

// A libpq connection for the benchmark's own statements.
class Pg {
 public:
  explicit Pg(const std::string& url) : c_(PQconnectdb(url.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) Die(PQerrorMessage(c_));
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

// Creates an empty database; returns its URL.
std::string FreshDatabase(const std::string& admin_url, const std::string& name) {
  Pg admin(admin_url);
  admin.Query("DROP DATABASE IF EXISTS " + name);
  admin.Query("CREATE DATABASE " + name);
  return admin_url.substr(0, admin_url.rfind('/') + 1) + name;
}

// Polls `count_sql` every 5 ms until it answers 0; returns the seconds since `t0`.
double TimeUntilEmpty(const std::string& url, const std::string& count_sql, Steady::time_point t0) {
  Pg pg(url);
  while (pg.Query(count_sql) != "0") std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return Seconds(t0, Steady::now());
}

class NoopHandler final : public JobHandler {
 public:
  Result<JobOutcome> Run(JobContext&) override { return JobOutcome{}; }
};

double RapportRate(const Options& o, const std::string& url, int nodes) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < nodes; ++i) {
    auto store = OpenStore({.database_url = url});
    if (!store.ok()) Die(store.error().message());
    stores.push_back(std::move(*store));
  }
  const Clock& clock = SystemClock();
  for (int i = 0; i < o.jobs; ++i) {
    Job j;
    j.id = NewIdAt("job", clock.NowMs());
    j.tenant_id = "bench";
    j.kind = "noop";
    j.created_at = j.updated_at = j.run_after = clock.NowMs();
    if (!stores[0]->InsertJob(j).ok()) Die("enqueue failed");
  }
  JobRegistry registry;
  registry.Register("noop", std::make_shared<NoopHandler>());
  std::vector<std::unique_ptr<JobEngine>> engines;
  for (auto& store : stores) {
    engines.push_back(std::make_unique<JobEngine>(*store, clock, registry,
                                                  JobEngineOptions{.workers = o.concurrency}));
  }
  auto t0 = Steady::now();
  for (auto& e : engines) e->Start();
  double s = TimeUntilEmpty(
      url, "SELECT count(*) FROM jobs WHERE status IN ('pending', 'processing')", t0);
  for (auto& e : engines) e->Stop();
  Pg pg(url);
  if (pg.Query("SELECT count(*) FROM jobs WHERE status = 'completed'") != std::to_string(o.jobs)) {
    Die("not every Rapport job completed");
  }
  return o.jobs / s;
}

// One `node drain.mjs work` process: its pid and the write end of its stdin.
struct NodeProcess {
  pid_t pid;
  int stdin_fd;
  FILE* stdout_file;
};

NodeProcess SpawnWorker(const Options& o, const std::string& url) {
  int in[2], out[2];
  // Close-on-exec: a later node must not inherit this one's stdin (it would never see EOF).
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) Die("pipe failed");
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    if (chdir(o.graphile_dir.c_str()) != 0) _exit(126);
    std::string concurrency = std::to_string(o.concurrency);
    execlp("node", "node", "drain.mjs", "work", url.c_str(), concurrency.c_str(), nullptr);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  return {pid, in[1], fdopen(out[0], "r")};
}

double GraphileRate(const Options& o, const std::string& url, int nodes) {
  std::string prepare = "cd '" + o.graphile_dir + "' && node drain.mjs prepare '" + url + "' " +
                        std::to_string(o.jobs);
  if (std::system(prepare.c_str()) != 0) Die("graphile-worker prepare failed: " + prepare);
  std::vector<NodeProcess> workers;
  for (int i = 0; i < nodes; ++i) workers.push_back(SpawnWorker(o, url));
  for (auto& w : workers) {  // every node has loaded graphile-worker
    char line[64];
    if (std::fgets(line, sizeof line, w.stdout_file) == nullptr || std::string(line) != "ready\n") {
      Die("a graphile-worker node did not start (is bench/graphile installed? npm ci)");
    }
  }
  auto t0 = Steady::now();
  for (auto& w : workers) {
    if (write(w.stdin_fd, "go\n", 3) != 3) Die("cannot release a graphile-worker node");
  }
  double s = TimeUntilEmpty(url, "SELECT count(*) FROM graphile_worker.jobs", t0);
  for (auto& w : workers) {
    close(w.stdin_fd);
    int status = 0;
    waitpid(w.pid, &status, 0);
    std::fclose(w.stdout_file);
  }
  return o.jobs / s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"No-op job throughput on PostgreSQL: Rapport against graphile-worker"};
  app.add_option("--database-url", o.admin_url,
                 "postgresql:// URL of a database of the cluster to use; the benchmark creates "
                 "and drops its own databases beside it (scripts/pg-cluster.sh starts one)")
      ->required();
  app.add_option("--graphile", o.graphile_dir, "bench/graphile, with node_modules installed")
      ->capture_default_str();
  app.add_option("--jobs", o.jobs, "No-op jobs per measurement")->capture_default_str();
  app.add_option("--concurrency", o.concurrency, "Workers per node, on both sides")
      ->capture_default_str();
  app.add_option("--nodes", o.nodes, "Node counts to measure")->capture_default_str();
  app.add_option("--rounds", o.rounds, "Rounds (medians are reported)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::printf(
      "no-op jobs on PostgreSQL, %d queued per measurement, %d workers per node, "
      "median of %d rounds:\n",
      o.jobs, o.concurrency, o.rounds);
  for (int nodes : o.nodes) {
    std::vector<double> rapport, graphile;
    for (int r = 0; r < o.rounds; ++r) {  // alternating, so that drift hits both alike
      rapport.push_back(RapportRate(o, FreshDatabase(o.admin_url, "bench_rapport"), nodes));
      graphile.push_back(GraphileRate(o, FreshDatabase(o.admin_url, "bench_graphile"), nodes));
    }
    std::printf("  %d node(s): Rapport %8.0f jobs/s   graphile-worker %8.0f jobs/s   ratio %.2f\n",
                nodes, Median(rapport), Median(graphile), Median(rapport) / Median(graphile));
  }
  return 0;
}
