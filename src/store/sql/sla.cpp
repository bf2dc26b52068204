#include "sla.hpp"

namespace rapport::sql::sla {
namespace {

#define FAULT_COLUMNS                                                                     \
  "id, tenant_id, resource_id, type, severity, cause, message, created_at, resolved_at, " \
  "source_key, updated_at"

Fault ReadFault(const Statement& s) {
  return Fault{s.Text(0), s.Text(1), s.Text(2),        s.Text(3),         s.Text(4), s.Text(5),
               s.Text(6), s.Int(7),  s.OptionalInt(8), s.OptionalText(9), s.Int(10)};
}

BusinessHours ReadBusinessHours(const Statement& s) {
  return BusinessHours{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6)};
}

// The schedule's columns plus its latest run (status from the job while the job exists).
#define SCHEDULE_SELECT                                                                     \
  "SELECT s.id, s.tenant_id, s.name, s.disabled, s.timezone, s.settings, s.next_run_at, "   \
  "s.created_at, s.updated_at, r.created_at, COALESCE(j.status, r.status), "                \
  "COALESCE(json_extract(j.result, '$.error.message'), r.error) "                           \
  "FROM sla_schedules s LEFT JOIN schedule_runs r ON r.id = (SELECT id FROM schedule_runs " \
  "WHERE tenant_id = s.tenant_id AND schedule_id = s.id ORDER BY id DESC LIMIT 1) "         \
  "LEFT JOIN jobs j ON j.tenant_id = r.tenant_id AND j.id = r.job_id "

SlaSchedule ReadSchedule(const Statement& s) {
  SlaSchedule out;
  out.id = s.Text(0);
  out.tenant_id = s.Text(1);
  out.name = s.Text(2);
  out.disabled = s.Int(3) != 0;
  out.timezone = s.Text(4);
  out.settings = s.Text(5);
  out.next_run_at = s.OptionalInt(6);
  out.created_at = s.Int(7);
  out.updated_at = s.Int(8);
  out.last_run_at = s.OptionalInt(9);
  out.last_run_status = s.Text(10);
  out.last_error_message = s.Text(11);
  return out;
}

}  // namespace

int64_t InsertFaults(Connection& c, const std::vector<Fault>& faults) {
  int64_t changed = 0;
  for (const auto& f : faults) {
    changed += c.Prepare("INSERT INTO faults (" FAULT_COLUMNS
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                         "ON CONFLICT (tenant_id, source_key) WHERE source_key IS NOT NULL "
                         "DO UPDATE SET resolved_at = excluded.resolved_at, updated_at = ?11 "
                         "WHERE faults.resolved_at IS NULL AND excluded.resolved_at IS NOT NULL")
                   .Bind(1, f.id)
                   .Bind(2, f.tenant_id)
                   .Bind(3, f.resource_id)
                   .Bind(4, f.type)
                   .Bind(5, f.severity)
                   .Bind(6, f.cause)
                   .Bind(7, f.message)
                   .Bind(8, f.created_at)
                   .Bind(9, f.resolved_at)
                   .Bind(10, f.source_key)
                   .Bind(11, f.updated_at)
                   .Run();
  }
  return changed;
}

std::optional<Fault> GetFault(Connection& c, const std::string& tenant_id, const std::string& id) {
  auto q = c.Prepare("SELECT " FAULT_COLUMNS " FROM faults WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadFault(q);
}

Page<Fault> ListFaults(Connection& c, const std::string& tenant_id, const FaultFilter& f,
                       const PageRequest& page) {
  auto q = c.Prepare("SELECT " FAULT_COLUMNS
                     " FROM faults WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) "
                     "AND (resource_id = ?3 OR ?3 IS NULL) AND (type = ?4 OR ?4 IS NULL) "
                     "AND (severity = ?5 OR ?5 IS NULL) "
                     "AND (resolved_at IS NULL OR resolved_at > ?6 OR ?6 IS NULL) "
                     "AND (created_at < ?7 OR ?7 IS NULL) ORDER BY id DESC LIMIT ?8");
  q.Bind(1, tenant_id)
      .Bind(2, page.after_id)
      .Bind(3, f.resource_id)
      .Bind(4, f.type)
      .Bind(5, f.severity)
      .Bind(6, f.from)
      .Bind(7, f.to)
      .Bind(8, int64_t{page.limit} + 1);
  return ReadRows<Fault>(q, page.limit, ReadFault);
}

int UpdateFault(Connection& c, const Fault& f) {
  return c
      .Prepare(
          "UPDATE faults SET severity = ?, cause = ?, message = ?, resolved_at = ?, "
          "updated_at = ? WHERE tenant_id = ? AND id = ?")
      .Bind(1, f.severity)
      .Bind(2, f.cause)
      .Bind(3, f.message)
      .Bind(4, f.resolved_at)
      .Bind(5, f.updated_at)
      .Bind(6, f.tenant_id)
      .Bind(7, f.id)
      .Run();
}

std::vector<Fault> FaultsInWindow(Connection& c, const std::string& tenant_id,
                                  const std::vector<std::string>& site_ids, const std::string& type,
                                  UnixMs from, UnixMs to) {
  static constexpr const char* kSql =
      "SELECT " FAULT_COLUMNS
      " FROM faults WHERE tenant_id = ?1 AND resource_id = ?2 AND type = ?3 "
      "AND created_at < ?5 AND (resolved_at IS NULL OR resolved_at > ?4)";
  std::vector<Fault> out;
  for (const auto& site : site_ids) {
    auto q = c.Prepare(kSql);
    q.Bind(1, tenant_id).Bind(2, site).Bind(3, type).Bind(4, from).Bind(5, to);
    while (q.Step()) out.push_back(ReadFault(q));
  }
  return out;
}

void ScanFaultsInWindow(Connection& c, const std::string& tenant_id,
                        const std::vector<std::string>& site_ids, const std::string& type,
                        UnixMs from, UnixMs to,
                        const std::function<void(size_t site, const FaultInWindow& fault)>& visit) {
  static constexpr const char* kSql =
      "SELECT id, cause, created_at, resolved_at FROM faults WHERE tenant_id = ?1 "
      "AND resource_id = ?2 AND type = ?3 AND created_at < ?5 "
      "AND (resolved_at IS NULL OR resolved_at > ?4)";
  FaultInWindow row;
  for (size_t i = 0; i < site_ids.size(); ++i) {
    auto q = c.Prepare(kSql);
    q.Bind(1, tenant_id).Bind(2, site_ids[i]).Bind(3, type).Bind(4, from).Bind(5, to);
    while (q.Step()) {
      row.id = q.Text(0);
      row.cause = q.Text(1);
      row.created_at = q.Int(2);
      row.resolved_at = q.OptionalInt(3);
      visit(i, row);
    }
  }
}

void InsertBusinessHours(Connection& c, const BusinessHours& h) {
  c.Prepare(
       "INSERT INTO business_hours (id, tenant_id, name, timezone, hours, created_at, "
       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, h.id)
      .Bind(2, h.tenant_id)
      .Bind(3, h.name)
      .Bind(4, h.timezone)
      .Bind(5, h.hours)
      .Bind(6, h.created_at)
      .Bind(7, h.updated_at)
      .Run();
}

std::optional<BusinessHours> GetBusinessHours(Connection& c, const std::string& tenant_id,
                                              const std::string& id) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, name, timezone, hours, created_at, updated_at FROM business_hours "
      "WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadBusinessHours(q);
}

Page<BusinessHours> ListBusinessHours(Connection& c, const std::string& tenant_id,
                                      const PageRequest& page) {
  auto q = c.Prepare(
      "SELECT id, tenant_id, name, timezone, hours, created_at, updated_at FROM business_hours "
      "WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) ORDER BY id DESC LIMIT ?3");
  q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, int64_t{page.limit} + 1);
  return ReadRows<BusinessHours>(q, page.limit, ReadBusinessHours);
}

int UpdateBusinessHours(Connection& c, const BusinessHours& h) {
  return c
      .Prepare(
          "UPDATE business_hours SET name = ?, timezone = ?, hours = ?, updated_at = ? "
          "WHERE tenant_id = ? AND id = ?")
      .Bind(1, h.name)
      .Bind(2, h.timezone)
      .Bind(3, h.hours)
      .Bind(4, h.updated_at)
      .Bind(5, h.tenant_id)
      .Bind(6, h.id)
      .Run();
}

bool BusinessHoursInUse(Connection& c, const std::string& tenant_id, const std::string& id) {
  auto q = c.Prepare(
      "SELECT 1 FROM sla_schedules WHERE tenant_id = ? AND business_hours_id = ? LIMIT 1");
  q.Bind(1, tenant_id).Bind(2, id);
  return q.Step();
}

int DeleteBusinessHours(Connection& c, const std::string& tenant_id, const std::string& id) {
  return c.Prepare("DELETE FROM business_hours WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

void InsertSchedule(Connection& c, const SlaSchedule& s) {
  c.Prepare(
       "INSERT INTO sla_schedules (id, tenant_id, name, disabled, timezone, settings, "
       "business_hours_id, next_run_at, created_at, updated_at) "
       "VALUES (?, ?, ?, ?, ?, ?, json_extract(?6, '$.business_hours_id'), ?, ?, ?)")
      .Bind(1, s.id)
      .Bind(2, s.tenant_id)
      .Bind(3, s.name)
      .Bind(4, int64_t{s.disabled})
      .Bind(5, s.timezone)
      .Bind(6, s.settings)
      .Bind(7, s.next_run_at)
      .Bind(8, s.created_at)
      .Bind(9, s.updated_at)
      .Run();
}

std::optional<SlaSchedule> GetSchedule(Connection& c, const std::string& tenant_id,
                                       const std::string& id) {
  auto q = c.Prepare(SCHEDULE_SELECT "WHERE s.tenant_id = ? AND s.id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadSchedule(q);
}

Page<SlaSchedule> ListSchedules(Connection& c, const std::string& tenant_id,
                                const PageRequest& page) {
  auto q = c.Prepare(SCHEDULE_SELECT
                     "WHERE s.tenant_id = ?1 AND (s.id < ?2 OR ?2 IS NULL) "
                     "ORDER BY s.id DESC LIMIT ?3");
  q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, int64_t{page.limit} + 1);
  return ReadRows<SlaSchedule>(q, page.limit, ReadSchedule);
}

int UpdateSchedule(Connection& c, const SlaSchedule& s) {
  return c
      .Prepare(
          "UPDATE sla_schedules SET name = ?1, disabled = ?2, timezone = ?3, settings = ?4, "
          "business_hours_id = json_extract(?4, '$.business_hours_id'), next_run_at = ?5, "
          "updated_at = ?6 WHERE tenant_id = ?7 AND id = ?8")
      .Bind(1, s.name)
      .Bind(2, int64_t{s.disabled})
      .Bind(3, s.timezone)
      .Bind(4, s.settings)
      .Bind(5, s.next_run_at)
      .Bind(6, s.updated_at)
      .Bind(7, s.tenant_id)
      .Bind(8, s.id)
      .Run();
}

int DeleteSchedule(Connection& c, const std::string& tenant_id, const std::string& id) {
  return c.Prepare("DELETE FROM sla_schedules WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

std::vector<SlaSchedule> DueSchedules(Connection& c, UnixMs now, int limit) {
  // The scheduler needs no run history: no join.
  auto q = c.Prepare(
      "SELECT s.id, s.tenant_id, s.name, s.disabled, s.timezone, s.settings, s.next_run_at, "
      "s.created_at, s.updated_at, NULL, '', '' FROM sla_schedules s "
      "WHERE s.disabled = 0 AND s.next_run_at IS NOT NULL AND s.next_run_at <= ? "
      "ORDER BY s.next_run_at LIMIT ?");
  q.Bind(1, now).Bind(2, int64_t{limit});
  std::vector<SlaSchedule> out;
  while (q.Step()) out.push_back(ReadSchedule(q));
  return out;
}

}  // namespace rapport::sql::sla
