// Issue 17's /v1 family: a brand's citations (list, by domain, one). A report's prompts page by
// page: routes_brand_reports.cpp.
#include <rapport/brand/citation_service.hpp>

#include <boost/json.hpp>

#include <rapport/api/pagination.hpp>
#include <rapport/api/query.hpp>
#include "brand_routes.hpp"

namespace rapport::api {
namespace {

namespace json = boost::json;

CitationQuery ReadCitationQuery(const RequestContext& ctx) {
  return {QueryText(ctx, "platform"), QueryText(ctx, "region_config_id"), QueryText(ctx, "from"),
          QueryText(ctx, "to")};
}

// The by-domain list is ranked by count, so it has no cursor: `limit` picks the top domains.
Result<int> ReadTopLimit(const RequestContext& ctx) {
  RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "cit", 20));
  if (page.after_id) {
    return ParameterError("query.cursor", "this list has no further pages; raise limit instead",
                          "cursor_invalid");
  }
  return page.limit;
}

}  // namespace

void AddCitationRoutes(Router& router, CitationService& citations) {
  router.Add({.method = "GET",
              .pattern = "/v1/brands/{brand_id}/citations",
              .required_scope = "read:citations",
              .handler = [&citations](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "cit", 20));
                RAPPORT_TRY(Page<Citation> result,
                            citations.List(ctx.tenant(), ctx.Param("brand_id"),
                                           ReadCitationQuery(ctx), page));
                return Reply::Json(200, V1List(result, CitationToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/brands/{brand_id}/citations/by-domain",
              .required_scope = "read:citations",
              .handler = [&citations](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(int limit, ReadTopLimit(ctx));
                RAPPORT_TRY(json::object list,
                            citations.ByDomain(ctx.tenant(), ctx.Param("brand_id"),
                                               ReadCitationQuery(ctx), limit));
                return Reply::Json(200, std::move(list));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/citations/{citation_id}",
              .required_scope = "read:citations",
              .handler = [&citations](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Citation c, citations.Get(ctx.tenant(), ctx.Param("citation_id")));
                return Reply::Json(200, CitationToJson(c));
              }});
}

}  // namespace rapport::api
