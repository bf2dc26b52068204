// MaintenanceWindowStore: the maintenance_windows table, one query per operation, written once
// for both backends.
#include <rapport/sla/maintenance_window_service.hpp>

#include <rapport/store/sql.hpp>

namespace rapport {
namespace {

#define MW_SELECT \
  "SELECT id, tenant_id, name, definition, created_at, updated_at FROM maintenance_windows "

MaintenanceWindow ReadWindow(const sql::Statement& q) {
  return MaintenanceWindow{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5)};
}

}  // namespace

Status MaintenanceWindowStore::Insert(const MaintenanceWindow& w) {
  return db_.Write([&](sql::Connection& c) {
    c.Prepare(
         "INSERT INTO maintenance_windows (id, tenant_id, name, definition, created_at, "
         "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .Bind(1, w.id)
        .Bind(2, w.tenant_id)
        .Bind(3, w.name)
        .Bind(4, w.definition)
        .Bind(5, w.created_at)
        .Bind(6, w.updated_at)
        .Run();
  });
}

Result<MaintenanceWindow> MaintenanceWindowStore::Get(const std::string& tenant_id,
                                                      const std::string& id) {
  std::optional<MaintenanceWindow> out;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) {
    auto q = c.Prepare(MW_SELECT "WHERE tenant_id = ?1 AND id = ?2");
    q.Bind(1, tenant_id).Bind(2, id);
    if (q.Step()) out = ReadWindow(q);
  }));
  if (!out) return Error::NotFound("Maintenance window");
  return std::move(*out);
}

Result<Page<MaintenanceWindow>> MaintenanceWindowStore::List(const std::string& tenant_id,
                                                             const PageRequest& page) {
  Page<MaintenanceWindow> out;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) {
    auto q = c.Prepare(
        MW_SELECT "WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) ORDER BY id DESC LIMIT ?3");
    q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, int64_t{page.limit} + 1);
    out = sql::ReadRows<MaintenanceWindow>(q, page.limit, ReadWindow);
  }));
  return out;
}

Result<std::vector<MaintenanceWindow>> MaintenanceWindowStore::All(const std::string& tenant_id) {
  std::vector<MaintenanceWindow> out;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) {
    auto q = c.Prepare(MW_SELECT "WHERE tenant_id = ?1 ORDER BY id");
    q.Bind(1, tenant_id);
    while (q.Step()) out.push_back(ReadWindow(q));
  }));
  return out;
}

Status MaintenanceWindowStore::Update(const MaintenanceWindow& w) {
  int64_t changed = 0;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    changed = c.Prepare(
                   "UPDATE maintenance_windows SET name = ?1, definition = ?2, updated_at = ?3 "
                   "WHERE tenant_id = ?4 AND id = ?5")
                  .Bind(1, w.name)
                  .Bind(2, w.definition)
                  .Bind(3, w.updated_at)
                  .Bind(4, w.tenant_id)
                  .Bind(5, w.id)
                  .Run();
  }));
  if (changed == 0) return Error::NotFound("Maintenance window");
  return Ok{};
}

Status MaintenanceWindowStore::Delete(const std::string& tenant_id, const std::string& id) {
  int64_t changed = 0;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    changed = c.Prepare("DELETE FROM maintenance_windows WHERE tenant_id = ?1 AND id = ?2")
                  .Bind(1, tenant_id)
                  .Bind(2, id)
                  .Run();
  }));
  if (changed == 0) return Error::NotFound("Maintenance window");
  return Ok{};
}

}  // namespace rapport
