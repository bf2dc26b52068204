#include "run.hpp"

#include "cli.hpp"
#include "output.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <unistd.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

namespace rapport::cli {
namespace {

namespace json = boost::json;

struct RunOptions {
  std::string schedule_id;
  std::string from, to;  // SLA
  std::string region;    // brand: one region config only
  bool wait = false;
  std::string output;  // -o: where the PDF goes (implies --wait)
  int timeout_seconds = 1800;
};

std::string Field(const json::value& v, const char* key) {
  const auto* o = v.if_object();
  const json::value* f = o ? o->if_contains(key) : nullptr;
  return f && f->is_string() ? std::string(f->get_string()) : "";
}

int64_t Number(const json::value& v, const char* key) {
  const auto* o = v.if_object();
  const json::value* f = o ? o->if_contains(key) : nullptr;
  return f && f->is_int64() ? f->get_int64() : 0;
}

// Draws the job's progress on standard error: one redrawn line on a terminal, a line per step
// otherwise (logs, CI), and in both the final count of a job that completed.
class ProgressView {
 public:
  ProgressView() : terminal_(::isatty(STDERR_FILENO) == 1) {}
  ~ProgressView() { Finish(); }
  ProgressView(const ProgressView&) = delete;
  ProgressView& operator=(const ProgressView&) = delete;

  void Show(const json::value& job, bool final = false) {
    std::string step = Field(job, "step");
    std::string line = ProgressLine(step, Number(job, "completed"), Number(job, "total"), 30);
    if (terminal_) {
      std::cerr << "\r" << line << "\033[K" << std::flush;
      drawn_ = true;
    } else if ((step != last_step_ || final) && line != last_line_) {
      std::cerr << line << "\n";
      last_line_ = line;
    }
    last_step_ = step;
  }
  void Finish() {
    if (drawn_) std::cerr << "\n";
    drawn_ = false;
  }

 private:
  bool terminal_;
  bool drawn_ = false;
  std::string last_step_, last_line_;
};

// Polls the job until it ends; nullopt (and `code`) when the server stays unreachable, refuses,
// or the timeout passes.
std::optional<json::value> FollowJob(Session& session, const std::string& job_id,
                                     int timeout_seconds, int& code) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  ProgressView view;
  int failures = 0;
  while (Clock::now() < deadline) {
    int failure = kExitOk;
    auto job = session.Call("GET", "/v1/jobs/" + job_id, "", failure);
    if (!job) {
      if (failure != kExitUnreachable || ++failures > 100) {  // ~30 s of a restarting server
        code = failure;
        return std::nullopt;
      }
    } else {
      failures = 0;
      std::string status = Field(*job, "status");
      if (status != "pending" && status != "processing") {
        if (status == "completed") view.Show(*job, /*final=*/true);
        view.Finish();
        return job;
      }
      view.Show(*job);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  view.Finish();
  std::cerr << "rapport: job " << job_id << " still running after " << timeout_seconds
            << " s (--timeout); follow it with: rapport api GET /v1/jobs/" << job_id << "\n";
  code = kExitJobFailed;
  return std::nullopt;
}

int Run(Session& session, const std::string& path, const json::object& body, bool brand,
        const RunOptions& o) {
  int code = kExitOk;
  auto accepted = session.Call("POST", path, json::serialize(body), code, NewUuidV4());
  if (!accepted) return code;
  std::string job_id = Field(*accepted, "job_id");
  if (!o.wait && o.output.empty()) {
    std::cout << (session.json_output ? ToJson(*accepted) : "job " + job_id + " queued") << "\n";
    return kExitOk;
  }
  auto job = FollowJob(session, job_id, o.timeout_seconds, code);
  if (!job) return code;
  if (session.json_output) std::cout << ToJson(*job) << "\n";
  if (Field(*job, "status") != "completed") {
    if (!session.json_output) std::cerr << "rapport: job " << job_id << " " << Pretty(*job) << "\n";
    return kExitJobFailed;
  }
  const json::value& result = job->as_object().at("result");
  if (!session.json_output) std::cout << Pretty(result) << "\n";
  if (o.output.empty()) return kExitOk;
  for (const auto& [pdf_path, file] : PdfDownloads(result, brand, o.output)) {
    if (int status = session.Download({pdf_path}, file); status != kExitOk) return status;
  }
  return kExitOk;
}

void AddCommonOptions(CLI::App* cmd, RunOptions& o) {
  cmd->add_flag("--wait", o.wait, "Follow the job with a progress bar until it ends");
  cmd->add_option("--output,-o", o.output, "Write the report's PDF here (implies --wait)");
  cmd->add_option("--timeout", o.timeout_seconds, "Seconds --wait waits at most (default 1800)")
      ->check(CLI::PositiveNumber);
}

}  // namespace

std::string ProgressLine(const std::string& step, int64_t completed, int64_t total, int width) {
  if (total <= 0) return step.empty() ? "waiting for a worker" : step;
  int64_t done = std::clamp<int64_t>(completed, 0, total);
  int filled = static_cast<int>(done * width / total);
  std::string bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
  std::string pct = std::to_string(done * 100 / total) + "%";
  return bar + " " + std::string(4 - std::min<size_t>(4, pct.size()), ' ') + pct + "  " + step +
         " (" + std::to_string(done) + "/" + std::to_string(total) + ")";
}

std::vector<std::pair<std::string, std::string>> PdfDownloads(const json::value& result, bool brand,
                                                              const std::string& output) {
  std::vector<std::string> ids;
  if (!brand) {
    ids.push_back(Field(result, "report_id"));
  } else if (const auto* list = result.as_object().if_contains("report_ids")) {
    for (const auto& id : list->as_array()) ids.emplace_back(id.as_string());
  }
  std::vector<std::pair<std::string, std::string>> out;
  std::filesystem::path file(output);
  for (const auto& id : ids) {
    std::string path = brand ? "/v1/reports/" + id + "/pdf" : "/reports/sla/reports/" + id + "/pdf";
    std::string target = output;
    if (ids.size() > 1 && output != "-") {
      target = (file.parent_path() / (file.stem().string() + "-" + id + file.extension().string()))
                   .string();
    }
    out.emplace_back(path, target);
  }
  return out;
}

void AddRunCommands(CLI::App& app, Session& session) {
  auto* run = app.add_subcommand("run", "Run a report now; --wait follows it, -o saves the PDF")
                  ->require_subcommand(1);
  static RunOptions sla;
  auto* sla_cmd = run->add_subcommand(
      "sla",
      "Run an SLA schedule over a date range, e.g. rapport run sla sla_… --from 2026-10-01 "
      "--to 2026-10-31 --wait -o october.pdf");
  sla_cmd->add_option("SCHEDULE_ID", sla.schedule_id, "The SLA schedule (sla_…)")->required();
  sla_cmd->add_option("--from", sla.from, "First day, YYYY-MM-DD")->required();
  sla_cmd->add_option("--to", sla.to, "Last day, YYYY-MM-DD")->required();
  AddCommonOptions(sla_cmd, sla);
  sla_cmd->callback([&] {
    session.exit_code = Run(session, "/reports/sla/schedules/" + sla.schedule_id + "/run",
                            {{"from_date", sla.from}, {"to_date", sla.to}}, false, sla);
  });

  static RunOptions brand;
  auto* brand_cmd = run->add_subcommand(
      "brand",
      "Run a brand's scheduled report in every region (or --region), e.g. rapport run "
      "brand srep_… --wait -o acme.pdf");
  brand_cmd->add_option("SCHEDULED_REPORT_ID", brand.schedule_id, "The scheduled report")
      ->required();
  brand_cmd->add_option("--region", brand.region, "Only this region config (rcfg_…)");
  AddCommonOptions(brand_cmd, brand);
  brand_cmd->callback([&] {
    json::object body;
    if (!brand.region.empty()) body["region_config_id"] = brand.region;
    session.exit_code = Run(session, "/v1/scheduled-reports/" + brand.schedule_id + "/executions",
                            body, true, brand);
  });
}

}  // namespace rapport::cli
