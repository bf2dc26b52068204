// The audit log's queries and the thread's AuditScope (include/rapport/store/audit.hpp).
#include <rapport/store/audit.hpp>
#include <rapport/store/sql.hpp>

namespace rapport {
namespace {

thread_local AuditScope* current_scope = nullptr;

constexpr const char* kInsert =
    "INSERT INTO audit_events (id, tenant_id, actor, occurred_at, method, route, path, "
    "resource_id, outcome, status, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11)";

constexpr const char* kComplete =
    "UPDATE audit_events SET outcome = ?3, status = ?4, resource_id = COALESCE(?5, resource_id) "
    "WHERE tenant_id = ?1 AND id = ?2";

// Newest first: a page continues below the cursor's id.
constexpr const char* kList =
    "SELECT id, tenant_id, actor, occurred_at, method, route, path, resource_id, outcome, status, "
    "request_id FROM audit_events WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) "
    "AND (actor = ?4 OR ?4 IS NULL) AND (resource_id = ?5 OR ?5 IS NULL) "
    "AND (occurred_at >= ?6 OR ?6 IS NULL) AND (occurred_at < ?7 OR ?7 IS NULL) "
    "AND (method = ?8 OR ?8 IS NULL) AND (outcome = ?9 OR ?9 IS NULL) "
    "ORDER BY id DESC LIMIT ?3";

constexpr const char* kPurge = "DELETE FROM audit_events WHERE occurred_at < ?1";

AuditEvent ReadEvent(sql::Statement& q) {
  return AuditEvent{.id = q.Text(0),
                    .tenant_id = q.Text(1),
                    .actor = q.Text(2),
                    .occurred_at = q.Int(3),
                    .method = q.Text(4),
                    .route = q.Text(5),
                    .path = q.Text(6),
                    .resource_id = q.OptionalText(7),
                    .outcome = q.Text(8),
                    .status = q.OptionalInt(9),
                    .request_id = q.Text(10)};
}

}  // namespace

AuditScope::AuditScope(AuditEvent event) : event_(std::move(event)), previous_(current_scope) {
  current_scope = this;
}

AuditScope::~AuditScope() { current_scope = previous_; }

AuditScope* AuditScope::Current() { return current_scope; }

namespace sql {

void InsertAuditRow(Connection& c, const AuditEvent& e) {
  c.Prepare(kInsert)
      .Bind(1, e.id)
      .Bind(2, e.tenant_id)
      .Bind(3, e.actor)
      .Bind(4, e.occurred_at)
      .Bind(5, e.method)
      .Bind(6, e.route)
      .Bind(7, e.path)
      .Bind(8, e.resource_id)
      .Bind(9, e.outcome)
      .Bind(10, e.status)
      .Bind(11, e.request_id)
      .Run();
}

}  // namespace sql

Status InsertAuditEvent(KindDatabase& db, const AuditEvent& event) {
  return db.Write([&](sql::Connection& c) { sql::InsertAuditRow(c, event); });
}

Status CompleteAuditEvent(KindDatabase& db, const std::string& tenant_id, const std::string& id,
                          const std::string& outcome, int64_t status,
                          const std::optional<std::string>& resource_id) {
  return db.Write([&](sql::Connection& c) {
    c.Prepare(kComplete)
        .Bind(1, tenant_id)
        .Bind(2, id)
        .Bind(3, outcome)
        .Bind(4, status)
        .Bind(5, resource_id)
        .Run();
  });
}

Result<Page<AuditEvent>> ListAuditEvents(KindDatabase& db, const std::string& tenant_id,
                                         const AuditFilter& filter, const PageRequest& page) {
  Page<AuditEvent> out;
  RAPPORT_CHECK(db.Read([&](sql::Connection& c) {
    auto q = c.Prepare(kList);
    q.Bind(1, tenant_id)
        .Bind(2, page.after_id)
        .Bind(3, int64_t{page.limit} + 1)
        .Bind(4, filter.actor)
        .Bind(5, filter.resource_id)
        .Bind(6, filter.from)
        .Bind(7, filter.to)
        .Bind(8, filter.method)
        .Bind(9, filter.outcome);
    out = sql::ReadRows<AuditEvent>(q, page.limit, ReadEvent);
  }));
  return out;
}

Result<int64_t> PurgeAuditEvents(KindDatabase& db, UnixMs cutoff) {
  int64_t deleted = 0;
  RAPPORT_CHECK(
      db.Write([&](sql::Connection& c) { deleted = c.Prepare(kPurge).Bind(1, cutoff).Run(); }));
  return deleted;
}

}  // namespace rapport
