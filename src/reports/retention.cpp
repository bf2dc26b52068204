#include <rapport/reports/retention.hpp>

#include <rapport/core/ids.hpp>

#include <boost/json.hpp>

#include <map>

namespace rapport {
namespace {

// "20261205" for an instant of 5 December 2026, UTC.
std::string UtcDay(UnixMs now) {
  std::string day = FormatRfc3339(now).substr(0, 10);
  std::erase(day, '-');
  return day;
}

// How often a deployment without any retention is asked again whether it has one.
constexpr int64_t kAskEveryMs = 60'000;

}  // namespace

void ReadRetentionDays(BodyReader& reader, std::optional<int64_t>& days) {
  constexpr std::string_view kKey = "report_retention_days";
  if (!reader.Has(kKey)) return;
  if (reader.IsNull(kKey)) {
    days.reset();
  } else if (auto n = reader.Int(kKey, false, 1, kMaxRetentionDays)) {
    days = *n;
  }
}

std::optional<int64_t> RetentionDaysIn(const boost::json::object& o) {
  const auto* v = o.if_contains("report_retention_days");
  if (!v || !v->is_int64()) return std::nullopt;
  return v->as_int64();
}

boost::json::value RetentionDaysJson(const std::optional<int64_t>& days) {
  return days ? boost::json::value(*days) : boost::json::value(nullptr);
}

std::string ReportRetention::DailyJobId(UnixMs now) {
  std::string body = "retentionday" + UtcDay(now);
  body.resize(kIdBodyLength, '0');
  return "job_" + body;
}

Result<std::vector<TenantPurge>> ReportRetention::PurgeExpired(
    UnixMs now, const std::function<bool(int64_t)>& keep_going) {
  std::map<std::string, TenantPurge> by_tenant;
  int64_t deleted = 0;
  std::string after;
  while (!keep_going || keep_going(deleted)) {
    RAPPORT_TRY(std::vector<ExpiredReport> batch, store_.ExpiredReports(now, after, batch_));
    if (batch.empty()) break;
    RAPPORT_TRY(int64_t n, store_.DeleteReports(batch));
    deleted += n;
    for (const auto& r : batch) {
      TenantPurge& t = by_tenant[r.tenant_id];
      t.tenant_id = r.tenant_id;
      ++t.reports;
      t.artifact_bytes += r.artifact_bytes;
    }
    after = batch.back().id;
    if (batch.size() < static_cast<size_t>(batch_)) break;
  }
  if (deleted > 0) RAPPORT_CHECK(store_.ReclaimSpace());
  std::vector<TenantPurge> out;
  for (auto& [tenant, purge] : by_tenant) out.push_back(std::move(purge));
  return out;
}

Result<bool> ReportRetention::EnqueueDaily(UnixMs now) {
  std::lock_guard lock(mu_);
  std::string day = UtcDay(now);
  if (day == enqueued_day_) return false;
  if (now >= asked_at_ && now - asked_at_ < kAskEveryMs) return false;
  RAPPORT_TRY(bool any, store_.AnyRetentionSet());
  if (!any) {
    asked_at_ = now;
    return false;
  }
  Job job;
  job.id = DailyJobId(now);
  job.kind = kRetentionJobKind;  // tenant "": the deployment's, listed to no tenant
  job.payload = "{\"day\":\"" + day + "\"}";
  job.created_at = job.updated_at = job.run_after = now;
  Status inserted = jobs_.InsertJob(job);
  if (!inserted.ok() && inserted.error().code() != ErrorCode::kConflict) return inserted.error();
  enqueued_day_ = day;
  return inserted.ok();
}

}  // namespace rapport
