// Issue 17's /v1 family: a brand's citations (list, by domain, one) and a brand report's prompts
// page by page.
#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/report_prompts.hpp>

#include <boost/json.hpp>

#include "pagination.hpp"
#include "routes.hpp"

#include <memory>

namespace rapport::api {
namespace {

namespace json = boost::json;

CitationQuery ReadCitationQuery(const RequestContext& ctx) {
  auto text = [&ctx](std::string_view name) -> std::optional<std::string> {
    auto v = ctx.Query(name);
    if (!v || v->empty()) return std::nullopt;
    return std::string(*v);
  };
  return {text("platform"), text("region_config_id"), text("from"), text("to")};
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

void AddCitationRoutes(Router& router, Store& store) {
  auto citations = std::make_shared<CitationService>(store);
  router.Add({.method = "GET",
              .pattern = "/v1/brands/{brand_id}/citations",
              .required_scope = "read:citations",
              .handler = [citations](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "cit", 20));
                RAPPORT_TRY(Page<Citation> result,
                            citations->List(ctx.tenant(), ctx.Param("brand_id"),
                                            ReadCitationQuery(ctx), page));
                return Reply::Json(200, V1List(result, CitationToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/brands/{brand_id}/citations/by-domain",
              .required_scope = "read:citations",
              .handler = [citations](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(int limit, ReadTopLimit(ctx));
                RAPPORT_TRY(json::object list,
                            citations->ByDomain(ctx.tenant(), ctx.Param("brand_id"),
                                                ReadCitationQuery(ctx), limit));
                return Reply::Json(200, std::move(list));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/citations/{citation_id}",
              .required_scope = "read:citations",
              .handler = [citations](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Citation c, citations->Get(ctx.tenant(), ctx.Param("citation_id")));
                return Reply::Json(200, CitationToJson(c));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/reports/{report_id}/prompts",
              .required_scope = "read:reports",
              .handler = [&store](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "prm", 20));
                RAPPORT_TRY(Report r, GetBrandReport(store, ctx.tenant(), ctx.Param("report_id")));
                RAPPORT_TRY(Page<ReportPrompt> prompts, ReportPrompts(r, page));
                return Reply::Json(200,
                                   V1List(prompts, [](const ReportPrompt& p) { return p.item; }));
              }});
}

}  // namespace rapport::api
