// An SLA schedule as the API answers it: its stored settings, id, run status and times (split
// from sla_schedule_service.cpp, which validates and stores them).
#include <rapport/sla/sla_schedule_service.hpp>

#include <rapport/core/time.hpp>

#include <boost/json.hpp>

namespace rapport {

namespace json = boost::json;

json::object SlaScheduleToJson(const SlaSchedule& s) {
  json::object out{{"id", s.id}};
  json::value settings = json::parse(s.settings);
  for (auto& [k, v] : settings.as_object()) out[k] = std::move(v);
  if (!out.contains("report_retention_days")) out["report_retention_days"] = nullptr;
  auto time_or_null = [](const std::optional<UnixMs>& t) -> json::value {
    return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr);
  };
  auto text_or_null = [](const std::string& t) -> json::value {
    return t.empty() ? json::value(nullptr) : json::value(t);
  };
  out["next_run_at"] = time_or_null(s.next_run_at);
  out["last_run_at"] = time_or_null(s.last_run_at);
  out["last_run_status"] = text_or_null(s.last_run_status);
  out["last_error_message"] = text_or_null(s.last_error_message);
  out["created_at"] = FormatRfc3339(s.created_at);
  out["updated_at"] = FormatRfc3339(s.updated_at);
  return out;
}

}  // namespace rapport
