// SqlStore: the SLA kind's data: sites, faults, business hours, SLA schedules.
#include "sql_store_kinds.hpp"

#include "sla.hpp"

#include <boost/json.hpp>

namespace rapport::sql {
namespace {

namespace json = boost::json;

std::string TagsToJson(const std::map<std::string, std::string>& tags) {
  json::object obj;
  for (const auto& [k, v] : tags) obj[k] = v;
  return json::serialize(obj);
}

std::map<std::string, std::string> TagsFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  json::value parsed = json::parse(text);
  for (const auto& [k, v] : parsed.as_object()) out.emplace(k, v.as_string());
  return out;
}

Site ReadSite(const Statement& s) {
  return Site{s.Text(0), s.Text(1), s.Text(2), TagsFromJson(s.Text(3)),
              s.Text(4), s.Int(5),  s.Int(6)};
}

}  // namespace

Status SqlStore::InsertSite(const Site& s) {
  return WriteTxn([&](Connection& w) {
    w.Prepare(
         "INSERT INTO sites (id, tenant_id, name, tags, timezone, created_at, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, s.id)
        .Bind(2, s.tenant_id)
        .Bind(3, s.name)
        .Bind(4, TagsToJson(s.tags))
        .Bind(5, s.timezone)
        .Bind(6, s.created_at)
        .Bind(7, s.updated_at)
        .Run();
  });
}

Result<Site> SqlStore::GetSite(const std::string& tenant_id, const std::string& id) {
  return Guard([&]() -> Result<Site> {
    return WithReader([&](Connection& c) -> Result<Site> {
      auto q = c.Prepare(
          "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
          "WHERE tenant_id = ? AND id = ?");
      q.Bind(1, tenant_id).Bind(2, id);
      if (!q.Step()) return Error::NotFound("Site");
      return ReadSite(q);
    });
  });
}

Result<Page<Site>> SqlStore::ListSites(const std::string& tenant_id, const PageRequest& page) {
  return Guard([&]() -> Result<Page<Site>> {
    return WithReader([&](Connection& c) {
      auto q = c.Prepare(
          "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
          "WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) ORDER BY id DESC LIMIT ?3");
      return ReadPage<Site>(q, tenant_id, page, ReadSite);
    });
  });
}

Status SqlStore::UpdateSite(const Site& s) {
  return WriteOne("Site", [&](Connection& w) {
    return w
        .Prepare(
            "UPDATE sites SET name = ?, tags = ?, timezone = ?, updated_at = ? "
            "WHERE tenant_id = ? AND id = ?")
        .Bind(1, s.name)
        .Bind(2, TagsToJson(s.tags))
        .Bind(3, s.timezone)
        .Bind(4, s.updated_at)
        .Bind(5, s.tenant_id)
        .Bind(6, s.id)
        .Run();
  });
}

Status SqlStore::DeleteSite(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Site", [&](Connection& w) {
    return w.Prepare("DELETE FROM sites WHERE tenant_id = ? AND id = ?")
        .Bind(1, tenant_id)
        .Bind(2, id)
        .Run();
  });
}

Result<int64_t> SqlStore::InsertFaults(const std::vector<Fault>& faults) {
  return InWriteTxn([&](Connection& w) -> Result<int64_t> { return sla::InsertFaults(w, faults); });
}

Result<Fault> SqlStore::GetFault(const std::string& tenant_id, const std::string& id) {
  return ReadRow<Fault>("Fault", [&](Connection& c) { return sla::GetFault(c, tenant_id, id); });
}

Result<Page<Fault>> SqlStore::ListFaults(const std::string& tenant_id, const FaultFilter& filter,
                                         const PageRequest& page) {
  return Guard([&]() -> Result<Page<Fault>> {
    return WithReader([&](Connection& c) { return sla::ListFaults(c, tenant_id, filter, page); });
  });
}

Status SqlStore::UpdateFault(const Fault& fault) {
  return WriteOne("Fault", [&](Connection& w) { return sla::UpdateFault(w, fault); });
}

Result<std::vector<Fault>> SqlStore::FaultsInWindow(const std::string& tenant_id,
                                                    const std::vector<std::string>& site_ids,
                                                    const std::string& type, UnixMs from,
                                                    UnixMs to) {
  return Guard([&]() -> Result<std::vector<Fault>> {
    return WithReader(
        [&](Connection& c) { return sla::FaultsInWindow(c, tenant_id, site_ids, type, from, to); });
  });
}

Status SqlStore::ScanFaultsInWindow(
    const std::string& tenant_id, const std::vector<std::string>& site_ids, const std::string& type,
    UnixMs from, UnixMs to,
    const std::function<void(size_t site, const FaultInWindow& fault)>& visit) {
  return Guard([&]() -> Status {
    WithReader([&](Connection& c) {
      sla::ScanFaultsInWindow(c, tenant_id, site_ids, type, from, to, visit);
      return 0;
    });
    return Ok{};
  });
}

Result<std::vector<Site>> SqlStore::AllSites(const std::string& tenant_id) {
  return Guard([&]() -> Result<std::vector<Site>> {
    return WithReader([&](Connection& c) {
      auto q = c.Prepare(
          "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
          "WHERE tenant_id = ? ORDER BY id");
      q.Bind(1, tenant_id);
      std::vector<Site> out;
      while (q.Step()) out.push_back(ReadSite(q));
      return out;
    });
  });
}

Status SqlStore::InsertBusinessHours(const BusinessHours& hours) {
  return WriteTxn([&](Connection& w) { sla::InsertBusinessHours(w, hours); });
}

Result<BusinessHours> SqlStore::GetBusinessHours(const std::string& tenant_id,
                                                 const std::string& id) {
  return ReadRow<BusinessHours>(
      "Business hours", [&](Connection& c) { return sla::GetBusinessHours(c, tenant_id, id); });
}

Result<Page<BusinessHours>> SqlStore::ListBusinessHours(const std::string& tenant_id,
                                                        const PageRequest& page) {
  return Guard([&]() -> Result<Page<BusinessHours>> {
    return WithReader([&](Connection& c) { return sla::ListBusinessHours(c, tenant_id, page); });
  });
}

Status SqlStore::UpdateBusinessHours(const BusinessHours& hours) {
  return WriteOne("Business hours",
                  [&](Connection& w) { return sla::UpdateBusinessHours(w, hours); });
}

Status SqlStore::DeleteBusinessHours(const std::string& tenant_id, const std::string& id) {
  return InWriteTxn([&](Connection& w) -> Status {
    if (sla::BusinessHoursInUse(w, tenant_id, id)) {
      return Error(ErrorCode::kConflict,
                   "These business hours are used by an SLA schedule; change the schedule first");
    }
    if (sla::DeleteBusinessHours(w, tenant_id, id) == 0) {
      return Error::NotFound("Business hours");
    }
    return Ok{};
  });
}

Status SqlStore::InsertSlaSchedule(const SlaSchedule& schedule) {
  return WriteTxn([&](Connection& w) { sla::InsertSchedule(w, schedule); });
}

Result<SlaSchedule> SqlStore::GetSlaSchedule(const std::string& tenant_id, const std::string& id) {
  return ReadRow<SlaSchedule>("Schedule",
                              [&](Connection& c) { return sla::GetSchedule(c, tenant_id, id); });
}

Result<Page<SlaSchedule>> SqlStore::ListSlaSchedules(const std::string& tenant_id,
                                                     const PageRequest& page) {
  return Guard([&]() -> Result<Page<SlaSchedule>> {
    return WithReader([&](Connection& c) { return sla::ListSchedules(c, tenant_id, page); });
  });
}

Status SqlStore::UpdateSlaSchedule(const SlaSchedule& schedule) {
  return WriteOne("Schedule", [&](Connection& w) { return sla::UpdateSchedule(w, schedule); });
}

Status SqlStore::DeleteSlaSchedule(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Schedule", [&](Connection& w) { return sla::DeleteSchedule(w, tenant_id, id); });
}

Result<std::vector<SlaSchedule>> SqlStore::DueSlaSchedules(UnixMs now, int limit) {
  return Guard([&]() -> Result<std::vector<SlaSchedule>> {
    return WithReader([&](Connection& c) { return sla::DueSchedules(c, now, limit); });
  });
}

}  // namespace rapport::sql
