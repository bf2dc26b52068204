// SqlStoreCore: retention of reports (RetentionStore): tenants' defaults in `tenant_settings`,
// the reports past their retention, their deletion, the space given back, and what each tenant
// keeps for /metrics.
#include "sql_store_impl.hpp"

#include <map>

namespace rapport::sql {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// A report's retention is its schedule's (SLA: the settings JSON; brand: the scheduled report's
// column), else its tenant's default; a report whose schedule is gone follows the default.
constexpr const char* kExpiredReports =
    "SELECT r.tenant_id, r.id, r.kind, COALESCE(length(a.bytes), 0) FROM reports r "
    "LEFT JOIN sla_schedules s ON r.kind = 'sla' AND s.tenant_id = r.tenant_id "
    "AND s.id = r.schedule_id "
    "LEFT JOIN scheduled_reports b ON r.kind = 'brand' AND b.tenant_id = r.tenant_id "
    "AND b.id = r.schedule_id "
    "LEFT JOIN tenant_settings t ON t.tenant_id = r.tenant_id "
    "LEFT JOIN artifacts a ON a.tenant_id = r.tenant_id AND a.job_id = r.job_id "
    "AND a.name = r.part || 'report.pdf' "
    "WHERE r.id > ?2 AND r.created_at < ?1 - ?4 * COALESCE("
    "CAST(json_extract(s.settings, '$.report_retention_days') AS BIGINT), "
    "b.report_retention_days, t.report_retention_days) "
    "ORDER BY r.id LIMIT ?3";

}  // namespace

Result<TenantSettings> SqlStoreCore::GetTenantSettings(const std::string& tenant_id) {
  return Guard([&]() -> Result<TenantSettings> {
    return WithReader([&](Connection& c) -> Result<TenantSettings> {
      auto q = c.Prepare(
          "SELECT report_retention_days, updated_at FROM tenant_settings WHERE tenant_id = ?1");
      q.Bind(1, tenant_id);
      TenantSettings settings{.tenant_id = tenant_id};
      if (q.Step()) {
        settings.report_retention_days = q.OptionalInt(0);
        settings.updated_at = q.Int(1);
      }
      return settings;
    });
  });
}

Status SqlStoreCore::PutTenantSettings(const TenantSettings& settings) {
  return WriteTxn([&](Connection& c) {
    c.Prepare(
         "INSERT INTO tenant_settings (tenant_id, report_retention_days, updated_at) "
         "VALUES (?1, ?2, ?3) ON CONFLICT (tenant_id) DO UPDATE SET "
         "report_retention_days = ?2, updated_at = ?3")
        .Bind(1, settings.tenant_id)
        .Bind(2, settings.report_retention_days)
        .Bind(3, settings.updated_at)
        .Run();
  });
}

Result<bool> SqlStoreCore::AnyRetentionSet() {
  return Guard([&]() -> Result<bool> {
    return WithReader([&](Connection& c) {
      auto q = c.Prepare(
          "SELECT 1 WHERE EXISTS (SELECT 1 FROM tenant_settings WHERE report_retention_days IS "
          "NOT NULL) OR EXISTS (SELECT 1 FROM scheduled_reports WHERE report_retention_days IS "
          "NOT NULL) OR EXISTS (SELECT 1 FROM sla_schedules WHERE "
          "json_extract(settings, '$.report_retention_days') IS NOT NULL)");
      return q.Step();
    });
  });
}

Result<std::vector<ExpiredReport>> SqlStoreCore::ExpiredReports(UnixMs now,
                                                                const std::string& after_id,
                                                                int limit) {
  return Guard([&]() -> Result<std::vector<ExpiredReport>> {
    return WithReader([&](Connection& c) {
      auto q = c.Prepare(kExpiredReports);
      q.Bind(1, now).Bind(2, after_id).Bind(3, int64_t{limit}).Bind(4, kDayMs);
      std::vector<ExpiredReport> out;
      while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Int(3)});
      return out;
    });
  });
}

Result<int64_t> SqlStoreCore::DeleteReports(const std::vector<ExpiredReport>& reports) {
  return InWriteTxn(
      [&](Connection& w) -> Result<int64_t> {
        int64_t deleted = 0;
        for (const auto& r : reports) {
          std::optional<std::string> kind = reports::KindOf(w, r.tenant_id, r.id);
          if (!kind) continue;
          ForEachHooks(kind, [&](const ReportHooks& h) {
            if (h.deleted) h.deleted(w, r.tenant_id, r.id);
          });
          w.Prepare("DELETE FROM email_deliveries WHERE tenant_id = ?1 AND report_id = ?2")
              .Bind(1, r.tenant_id)
              .Bind(2, r.id)
              .Run();
          deleted += reports::DeleteReport(w, r.tenant_id, r.id);
        }
        return deleted;
      },
      Isolation::kReadCommitted);
}

Status SqlStoreCore::ReclaimSpace() {
  return Guard([&]() -> Status {
    backend_->ReclaimSpace();
    return Ok{};
  });
}

Result<std::vector<TenantStorage>> SqlStoreCore::StorageByTenant() {
  return Guard([&]() -> Result<std::vector<TenantStorage>> {
    return WithReader([&](Connection& c) {
      std::map<std::string, TenantStorage> by_tenant;
      auto q = c.Prepare("SELECT tenant_id, count(*) FROM reports GROUP BY tenant_id");
      while (q.Step()) by_tenant[q.Text(0)].reports = q.Int(1);
      auto bytes = c.Prepare(
          "SELECT tenant_id, COALESCE(sum(length(bytes)), 0) FROM artifacts GROUP BY tenant_id");
      while (bytes.Step()) by_tenant[bytes.Text(0)].artifact_bytes = bytes.Int(1);
      std::vector<TenantStorage> out;
      for (auto& [tenant, storage] : by_tenant) {
        storage.tenant_id = tenant;
        out.push_back(std::move(storage));
      }
      return out;
    });
  });
}

}  // namespace rapport::sql
