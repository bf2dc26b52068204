// The pipeline's side of the audit log (issue 22): which requests are audited, the scope around a
// write handler (the store puts the row in the handler's first write transaction), the row
// completed afterwards, and GET /audit-events. Reads are never audited and cost nothing here.
#pragma once

#include <rapport/api/context.hpp>
#include <rapport/api/router.hpp>
#include <rapport/http/message.hpp>
#include <rapport/store/audit.hpp>

#include <optional>
#include <string>

namespace rapport::api {

// One audited request on its way through the pipeline.
struct AuditTrail {
  AuditEvent event;
  bool committed = false;  // a write transaction of the handler's holds the row
  std::optional<std::string> created_id;
};

// Whether the request is audited: a state-changing method on an authenticated route, once its
// caller is known (a request refused before that has no tenant to file it under).
bool IsAudited(const RequestContext& ctx, const Route& route);

// The trail of an audited request, before its handler runs: outcome `succeeded`, no status, the
// route's last path parameter as the resource.
AuditTrail StartAuditTrail(const RequestContext& ctx, const Route& route);

// Runs `handler` with the trail's AuditScope open on this thread; notes whether the row committed
// and the id of a created resource (a 201 answer's `id`).
Result<Reply> RunAudited(AuditTrail& trail, RequestContext& ctx, const Route& route);

// Completes the trail once the response is known: updates the committed row, or inserts one of
// its own (refused, failed, replayed, or a success that wrote nothing). Failures are logged.
void FinishAuditTrail(KindDatabase& db, AuditTrail& trail, const http::Response& response);

// GET /audit-events (read:audit, an admin's scope).
void AddAuditRoutes(Router& router, KindDatabase& db);

}  // namespace rapport::api
