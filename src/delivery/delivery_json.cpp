#include "delivery_json.hpp"

#include <rapport/core/metrics.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>

#include <boost/json.hpp>

namespace rapport {

boost::json::array AttemptLog(const std::string& text) {
  namespace json = boost::json;
  boost::system::error_code ec;
  json::value log = json::parse(text, ec);
  json::array out;
  if (ec || !log.is_array()) return out;
  for (auto& entry : log.as_array()) {
    if (!entry.is_object()) continue;
    json::object e = entry.as_object();
    if (const auto* at = e.if_contains("at"); at && at->is_int64()) {
      e["at"] = FormatRfc3339(at->as_int64());
    }
    out.push_back(std::move(e));
  }
  return out;
}

Job DeliveryJob(const std::string& tenant_id, const char* kind, int max_attempts,
                const std::string& delivery_id, UnixMs now) {
  Job job;
  job.id = NewIdAt("job", now);
  job.tenant_id = tenant_id;
  job.kind = kind;
  job.max_attempts = max_attempts;
  job.created_at = job.updated_at = job.run_after = now;
  job.payload = ToJson(boost::json::object{{"delivery_id", delivery_id}});
  return job;
}

void CountDeliveryAttempt(const std::string& channel, const std::string& outcome) {
  ProcessMetrics().Count("rapport_deliveries_total",
                         "Webhook and e-mail delivery attempts by channel and outcome (succeeded, "
                         "pending: to be retried, failed).",
                         {{"channel", channel}, {"outcome", outcome}});
}

}  // namespace rapport
