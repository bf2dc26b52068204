// The audit log (issue 22): one row per write request through the API or the console, stored in
// the write's own transaction. The pipeline opens an AuditScope on the thread that runs a write
// request's handler; the SQL store inserts the scope's row in the first write transaction it
// runs on that thread while the scope is open (so a write and its audit row commit or roll back
// together), and the pipeline completes the row afterwards with what only it knows.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>
#include <rapport/store/records.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace rapport {

// One audit row. Never holds a request body or a secret.
struct AuditEvent {
  std::string id;  // "aud_…", time-ordered
  std::string tenant_id;
  std::string actor;  // the principal's subject: "user:<id>", "token:<id>" or a JWT's `sub`
  UnixMs occurred_at = 0;
  std::string method;  // POST, PUT, PATCH or DELETE
  std::string route;   // the route's pattern, e.g. "/sites/{id}"
  std::string path;    // the request's path (no query string)
  std::optional<std::string> resource_id;
  std::string outcome;            // succeeded, refused, failed, replayed
  std::optional<int64_t> status;  // the HTTP status; null until the pipeline completes the row
  std::string request_id;         // the request's correlation id
};

// The write request the calling thread is serving, for the store's write transactions. Opened by
// the pipeline around a write handler; scopes nest (the innermost is current). Not copyable; must
// be destroyed on the thread that made it.
class AuditScope {
 public:
  explicit AuditScope(AuditEvent event);
  ~AuditScope();
  AuditScope(const AuditScope&) = delete;
  AuditScope& operator=(const AuditScope&) = delete;

  // The innermost open scope of this thread; nullptr when none.
  static AuditScope* Current();

  const AuditEvent& event() const { return event_; }
  // Whether a committed write transaction holds this scope's row.
  bool recorded() const { return recorded_; }
  // Called by the store once the transaction holding the row has committed.
  void MarkRecorded() { recorded_ = true; }

 private:
  AuditEvent event_;
  bool recorded_ = false;
  AuditScope* previous_;
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> resource_id;
  std::optional<UnixMs> from;  // occurred_at >= from
  std::optional<UnixMs> to;    // occurred_at < to
  std::optional<std::string> method;
  std::optional<std::string> outcome;
};

namespace sql {
class Connection;
// Inserts `event` on `c`, inside the caller's transaction.
void InsertAuditRow(Connection& c, const AuditEvent& event);
}  // namespace sql

// Inserts `event` in a transaction of its own (a write request that committed nothing).
Status InsertAuditEvent(KindDatabase& db, const AuditEvent& event);

// Completes the row `id` of `tenant_id`: its final outcome and status, and `resource_id` when
// given (a created resource's id).
Status CompleteAuditEvent(KindDatabase& db, const std::string& tenant_id, const std::string& id,
                          const std::string& outcome, int64_t status,
                          const std::optional<std::string>& resource_id);

// A tenant's audit rows matching `filter`, newest first; `page.after_id` is the last id of the
// previous page.
Result<Page<AuditEvent>> ListAuditEvents(KindDatabase& db, const std::string& tenant_id,
                                         const AuditFilter& filter, const PageRequest& page);

// Deletes every tenant's rows that occurred before `cutoff`; the number deleted.
Result<int64_t> PurgeAuditEvents(KindDatabase& db, UnixMs cutoff);

}  // namespace rapport
