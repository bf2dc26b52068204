#include "retention_job.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

// One JSON log line, as rapportd writes them; tenant ids and counts only.
void LogPurge(std::string_view msg, json::object fields, UnixMs now) {
  json::object entry{{"time", FormatRfc3339(now)}, {"level", "info"}, {"msg", msg}};
  for (auto& [k, v] : fields) entry[k] = std::move(v);
  spdlog::info(json::serialize(entry));
}

}  // namespace

Result<JobOutcome> RetentionJob::Run(JobContext& ctx) {
  UnixMs now = clock_.NowMs();
  RAPPORT_TRY(std::vector<TenantPurge> purged,
              retention_.PurgeExpired(now, [&ctx](int64_t deleted) {
                return ctx.Progress("deleting expired reports", "", deleted, 0);
              }));
  if (ctx.ShouldStop()) return Error(ErrorCode::kServiceUnavailable, "stopped; runs again");
  int64_t reports = 0;
  int64_t bytes = 0;
  for (const auto& t : purged) {
    LogPurge(
        "expired reports deleted",
        {{"tenant", t.tenant_id}, {"reports", t.reports}, {"artifact_bytes", t.artifact_bytes}},
        now);
    reports += t.reports;
    bytes += t.artifact_bytes;
  }
  LogPurge("report retention done",
           {{"job_id", ctx.job().id}, {"tenants", purged.size()}, {"reports", reports}}, now);
  JobOutcome outcome;
  outcome.result = {{"reports", reports},
                    {"artifact_bytes", bytes},
                    {"tenants", static_cast<int64_t>(purged.size())}};
  return outcome;
}

}  // namespace rapport
