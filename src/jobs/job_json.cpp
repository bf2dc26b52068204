#include <rapport/jobs/job_json.hpp>

#include <boost/json.hpp>

#include <cmath>

namespace rapport {
namespace {

namespace json = boost::json;

json::value OptionalTime(const std::optional<UnixMs>& t) {
  return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr);
}

json::value OptionalText(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

}  // namespace

json::object JobToJson(const Job& j) {
  double pct = j.total > 0 ? std::floor(100.0 * double(j.completed) / double(j.total)) : 0.0;
  if (j.status == JobStatus::kCompleted) pct = 100;
  json::value result = nullptr;
  if (!j.result.empty()) {
    boost::system::error_code ec;
    result = json::parse(j.result, ec);
    if (ec) result = nullptr;
  }
  return json::object{{"id", j.id},
                      {"object", "job"},
                      {"kind", j.kind},
                      {"status", JobStatusName(j.status)},
                      {"step", OptionalText(j.step)},
                      {"message", OptionalText(j.message)},
                      {"completed", j.completed},
                      {"total", j.total},
                      {"progress_pct", static_cast<int64_t>(std::min(100.0, pct))},
                      {"result", std::move(result)},
                      {"attempts", j.attempts},
                      {"cancel_requested", j.cancel_requested},
                      {"created_at", FormatRfc3339(j.created_at)},
                      {"started_at", OptionalTime(j.started_at)},
                      {"updated_at", FormatRfc3339(j.updated_at)},
                      {"finished_at", OptionalTime(j.finished_at)}};
}

json::object ScheduleRunToJson(const ScheduleRun& r) {
  auto time_or_null = [](const std::optional<UnixMs>& t) -> json::value {
    return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr);
  };
  return json::object{{"id", r.id},
                      {"schedule_id", r.schedule_id},
                      {"trigger", r.trigger},
                      {"from_date", r.from_date},
                      {"to_date", r.to_date},
                      {"job_id", r.job_id.empty() ? json::value(nullptr) : json::value(r.job_id)},
                      {"status", r.status},
                      {"error", r.error.empty() ? json::value(nullptr) : json::value(r.error)},
                      {"created_at", FormatRfc3339(r.created_at)},
                      {"started_at", time_or_null(r.started_at)},
                      {"finished_at", time_or_null(r.finished_at)}};
}

}  // namespace rapport
