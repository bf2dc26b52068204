// Maintenance windows (/maintenance-windows): planned time an SLA report leaves out of every
// covered site's monitored time (README "Maintenance windows"). Tenant-scoped: another tenant's
// window is not found.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>
#include <rapport/sla/maintenance.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace rapport {

// A stored window. `definition` is the JSON object text of its fields as the API shows them
// (type, timezone, starts_at/ends_at or days/start/duration_minutes, site_ids, tags).
struct MaintenanceWindow {
  std::string id;  // "mw_…"
  std::string tenant_id;
  std::string name;
  std::string definition = "{}";
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
};

// The maintenance_windows table (SQLite migration 16, PostgreSQL 12), through the store's
// KindDatabase. Thread-safe as the store is; errors are the store's (kNotFound for a window the
// tenant does not have).
class MaintenanceWindowStore {
 public:
  explicit MaintenanceWindowStore(KindDatabase& db) : db_(db) {}

  Status Insert(const MaintenanceWindow& window);
  Result<MaintenanceWindow> Get(const std::string& tenant_id, const std::string& id);
  // Newest first.
  Result<Page<MaintenanceWindow>> List(const std::string& tenant_id, const PageRequest& page);
  // Every window of the tenant, oldest first (what a report applies).
  Result<std::vector<MaintenanceWindow>> All(const std::string& tenant_id);
  Status Update(const MaintenanceWindow& window);
  Status Delete(const std::string& tenant_id, const std::string& id);

 private:
  KindDatabase& db_;
};

class MaintenanceWindowService {
 public:
  MaintenanceWindowService(MaintenanceWindowStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  Result<MaintenanceWindow> Create(const std::string& tenant_id, const boost::json::object& body);
  Result<MaintenanceWindow> Get(const std::string& tenant_id, const std::string& id);
  Result<Page<MaintenanceWindow>> List(const std::string& tenant_id, const PageRequest& page);
  // PUT: the body replaces every field.
  Result<MaintenanceWindow> Replace(const std::string& tenant_id, const std::string& id,
                                    const boost::json::object& body);
  // PATCH: the body's fields replace those of the window; a new `type` drops the other type's
  // fields, and `site_ids` or `tags` replaces the scope.
  Result<MaintenanceWindow> Patch(const std::string& tenant_id, const std::string& id,
                                  const boost::json::object& body);
  Status Delete(const std::string& tenant_id, const std::string& id);

 private:
  MaintenanceWindowStore& store_;
  const Clock& clock_;
};

boost::json::object MaintenanceWindowToJson(const MaintenanceWindow& window);
// The stored definition as the uptime engine's spec.
MaintenanceSpec SpecOf(const MaintenanceWindow& window);

}  // namespace rapport
