// Brand run benchmark (issue 5): one execution of 3 region configs x 50 prompts x 4 platforms
// through a real rapportd (SQLite) against a local OpenAI-compatible provider that answers at
// once (tests/integration/fake_llm). Reports, as medians of --rounds, the run's wall time
// (request -> job completed, reports stored), the time the provider spent answering, and the
// share spent outside provider calls (Rapport's own work: HTTP client, scoring, judging
// round-trips, progress, storage).
//
// Usage: rapport_brand_benchmark --rapportd PATH [--rounds N] [--work DIR]
#include "bench_util.hpp"
#include "fake_llm.hpp"

#include <rapport/auth/jwt.hpp>
#include <rapport/client/http_client.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/time.hpp>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

using namespace rapport;
using bench::Median;
using bench::Seconds;
using bench::Steady;
namespace json = boost::json;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "brand_benchmark: " << what << "\n";
  std::exit(1);
}

struct Rapportd {
  pid_t pid = -1;
  std::string url;
  ~Rapportd() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

void Start(Rapportd& r, const std::string& binary, const std::string& dir, const std::string& llm,
           const std::string& secret) {
  std::filesystem::create_directories(dir);
  std::cout.flush();
  std::fflush(stdout);
  r.pid = fork();
  if (r.pid == 0) {
    setenv("RAPPORT_AUTH_HS256_SECRET", secret.c_str(), 1);
    setenv("RAPPORT_LOG_REQUESTS", "false", 1);
    setenv("RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0", 1);
    setenv("RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0", 1);
    setenv("RAPPORT_LLM_BASE_URL", llm.c_str(), 1);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::string log = dir + "/rapportd.log";
    if (!freopen(log.c_str(), "a", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
    execl(binary.c_str(), binary.c_str(), "--listen", "127.0.0.1:0", "--data-dir", dir.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 300; ++i) {
    std::ifstream in(dir + "/rapportd.addr");
    std::string addr;
    if (in && std::getline(in, addr) && !addr.empty()) {
      r.url = "http://" + addr;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Die("rapportd did not start");
}

json::value Call(client::HttpClient& http, const std::string& token, const std::string& method,
                 const std::string& path, const json::object& body, long expect) {
  auto r = http.Send(method, path, body.empty() ? "" : json::serialize(body),
                     {"Authorization: Bearer " + token, "Idempotency-Key: " + NewUuidV4()});
  if (!r.ok()) Die(path + ": " + r.error().message());
  if (r->status != expect) Die(path + ": " + std::to_string(r->status) + " " + r->body);
  return json::parse(r->body);
}

}  // namespace

int main(int argc, char** argv) {
  std::string rapportd;
  int rounds = 3;
  std::string work = "/tmp/rapport-brand-bench";
  CLI::App app{"A 3 x 50 x 4 brand run against an instant local provider"};
  app.add_option("--rapportd", rapportd, "Path of the rapportd binary")->required();
  app.add_option("--rounds", rounds, "Rounds (medians are reported)")->capture_default_str();
  app.add_option("--work", work, "Scratch directory (deleted first)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::filesystem::remove_all(work);

  testing::FakeLlm llm;
  std::string secret = "brand-bench-" + NewUuidV4();
  Rapportd server;
  Start(server, rapportd, work + "/rapportd", llm.base_url(), secret);
  int64_t exp = SystemClock().NowMs() / 1000 + 3600;
  std::string token = MintHs256Token(
      json::object{{"sub", "bench"}, {"tenant", "bench"}, {"scope", "*"}, {"exp", exp}}, secret);
  client::HttpClient http(server.url, 600'000);

  auto brand = Call(http, token, "POST", "/v1/brands",
                    {{"name", "Acme Analytics"},
                     {"website", "https://acme.example.com"},
                     {"competitors", json::array{"Globex Insights", "Initech"}}},
                    201);
  std::string brand_id(brand.at("id").as_string());
  Call(http, token, "PATCH", "/v1/brands/" + brand_id + "/facts",
       {{"description", "Analytics software"}}, 200);
  auto schedule = Call(http, token, "POST", "/v1/scheduled-reports",
                       {{"brand_id", brand_id}, {"name", "bench"}, {"frequency", "weekly"}}, 201);
  std::string schedule_id(schedule.at("id").as_string());
  for (const char* country : {"DE", "FR", "US"}) {
    auto config = Call(http, token, "POST", "/v1/region-configs",
                       {{"brand_id", brand_id},
                        {"scheduled_report_id", schedule_id},
                        {"name", country},
                        {"country", country},
                        {"language", "en"},
                        {"ai_platforms", json::array{"chatgpt", "claude", "gemini", "perplexity"}}},
                       201);
    json::array prompts;
    for (int i = 0; i < 50; ++i) {
      prompts.push_back(json::object{
          {"prompt_text", i % 2 ? "What is the best analytics software? #" + std::to_string(i)
                                : "Which analytics vendor do you use? #" + std::to_string(i)},
          {"category", i % 3 ? "discovery" : "comparison"}});
    }
    Call(http, token, "POST",
         "/v1/region-configs/" + std::string(config.at("id").as_string()) + "/prompts",
         {{"prompts", std::move(prompts)}}, 201);
  }

  std::vector<double> wall, provider, outside;
  int64_t calls = 0;
  for (int r = 0; r < rounds; ++r) {
    int before_calls = llm.requests();
    int64_t before_us = llm.answering_us();
    auto t0 = Steady::now();
    auto run =
        Call(http, token, "POST", "/v1/scheduled-reports/" + schedule_id + "/executions", {}, 202);
    std::string job_path = "/v1/jobs/" + std::string(run.at("job_id").as_string());
    for (;;) {
      auto job = Call(http, token, "GET", job_path, {}, 200);
      std::string status(job.at("status").as_string());
      if (status == "completed") break;
      if (status == "failed" || status == "cancelled") Die("job " + status + json::serialize(job));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    double s = Seconds(t0, Steady::now());
    double p = static_cast<double>(llm.answering_us() - before_us) / 1e6;
    calls = llm.requests() - before_calls;
    wall.push_back(s);
    provider.push_back(p);
    outside.push_back((s - p) / s);
  }
  std::printf(
      "brand run, 3 regions x 50 prompts x 4 platforms = 600 answers (+ judge calls: %lld "
      "calls in all), instant local provider, median of %d:\n",
      static_cast<long long>(calls), rounds);
  std::printf("  request -> reports stored   %8.0f ms (%.2f ms per call)\n", Median(wall) * 1000,
              Median(wall) * 1000 / static_cast<double>(calls));
  std::printf("  provider answering           %8.0f ms\n", Median(provider) * 1000);
  std::printf("  share outside provider calls %8.1f %%\n", Median(outside) * 100);
  return 0;
}
