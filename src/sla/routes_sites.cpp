#include <rapport/api/pagination.hpp>
#include "sla_routes.hpp"

namespace rapport::api {

void AddSiteRoutes(Router& router, SiteService& sites) {
  router.Add({.method = "POST",
              .pattern = "/sites",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&sites](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Site site, sites.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, SiteToJson(site));
              }});
  router.Add({.method = "GET",
              .pattern = "/sites",
              .required_scope = "read:sla",
              .handler = [&sites](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "site", 50));
                RAPPORT_TRY(Page<Site> result, sites.List(ctx.tenant(), page));
                return Reply::Json(200, SlaList(result, SiteToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/sites/{site_id}",
              .required_scope = "read:sla",
              .handler = [&sites](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Site site, sites.Get(ctx.tenant(), ctx.Param("site_id")));
                return Reply::Json(200, SiteToJson(site));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/sites/{site_id}",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&sites](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Site site,
                            sites.Patch(ctx.tenant(), ctx.Param("site_id"), ctx.body.as_object()));
                return Reply::Json(200, SiteToJson(site));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/sites/{site_id}",
              .required_scope = "write:sla",
              .handler = [&sites](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_CHECK(sites.Delete(ctx.tenant(), ctx.Param("site_id")));
                return Reply::NoContent();
              }});
}

}  // namespace rapport::api
