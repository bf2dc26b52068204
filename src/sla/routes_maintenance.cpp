// /maintenance-windows: CRUD of the planned time SLA reports leave out, in the /reports/sla error
// dialect.
#include <rapport/api/pagination.hpp>
#include "sla_routes.hpp"

namespace rapport::api {
namespace {

void AddWindowReads(Router& router, MaintenanceWindowService& windows) {
  router.Add({.method = "GET",
              .pattern = "/maintenance-windows",
              .required_scope = "read:sla",
              .handler = [&windows](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "mw", 50));
                RAPPORT_TRY(Page<MaintenanceWindow> result, windows.List(ctx.tenant(), page));
                return Reply::Json(200, SlaList(result, MaintenanceWindowToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/maintenance-windows/{id}",
              .required_scope = "read:sla",
              .handler = [&windows](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(MaintenanceWindow w, windows.Get(ctx.tenant(), ctx.Param("id")));
                return Reply::Json(200, MaintenanceWindowToJson(w));
              }});
}

}  // namespace

void AddMaintenanceWindowRoutes(Router& router, MaintenanceWindowService& windows) {
  AddWindowReads(router, windows);
  router.Add({.method = "POST",
              .pattern = "/maintenance-windows",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&windows](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(MaintenanceWindow w,
                            windows.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, MaintenanceWindowToJson(w));
              }});
  router.Add({.method = "PUT",
              .pattern = "/maintenance-windows/{id}",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&windows](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(MaintenanceWindow w,
                            windows.Replace(ctx.tenant(), ctx.Param("id"), ctx.body.as_object()));
                return Reply::Json(200, MaintenanceWindowToJson(w));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/maintenance-windows/{id}",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&windows](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(MaintenanceWindow w,
                            windows.Patch(ctx.tenant(), ctx.Param("id"), ctx.body.as_object()));
                return Reply::Json(200, MaintenanceWindowToJson(w));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/maintenance-windows/{id}",
              .required_scope = "write:sla",
              .handler = [&windows](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_CHECK(windows.Delete(ctx.tenant(), ctx.Param("id")));
                return Reply::NoContent();
              }});
}

}  // namespace rapport::api
