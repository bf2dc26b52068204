#include <rapport/api/pagination.hpp>
#include "brand_json.hpp"
#include "brand_routes.hpp"

namespace rapport::api {

void AddBrandRoutes(Router& router, BrandService& brands) {
  router.Add({.method = "POST",
              .pattern = "/v1/brands",
              .required_scope = "write:brands",
              .accepts_body = true,
              .handler = [&brands](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Brand brand, brands.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, BrandToJson(brand));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/brands",
              .required_scope = "read:brands",
              .handler = [&brands](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "brand", 20));
                RAPPORT_TRY(Page<Brand> result, brands.List(ctx.tenant(), page));
                return Reply::Json(200, V1List(result, BrandToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/v1/brands/{brand_id}",
              .required_scope = "read:brands",
              .handler = [&brands](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Brand brand, brands.Get(ctx.tenant(), ctx.Param("brand_id")));
                Reply reply;  // the hot read: the JSON written straight into the body
                reply.content_type = "application/json";
                reply.raw_body.reserve(512);
                AppendBrandJson(reply.raw_body, brand);
                return reply;
              }});
  router.Add({.method = "PATCH",
              .pattern = "/v1/brands/{brand_id}",
              .required_scope = "write:brands",
              .accepts_body = true,
              .handler = [&brands](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Brand brand, brands.Patch(ctx.tenant(), ctx.Param("brand_id"),
                                                      ctx.body.as_object()));
                return Reply::Json(200, BrandToJson(brand));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/v1/brands/{brand_id}",
              .required_scope = "write:brands",
              .handler = [&brands](RequestContext& ctx) -> Result<Reply> {
                const std::string& id = ctx.Param("brand_id");
                RAPPORT_CHECK(brands.Delete(ctx.tenant(), id));
                return Reply::Json(200, {{"id", id}, {"object", "brand"}, {"deleted", true}});
              }});
}

}  // namespace rapport::api
