// Route registration, one function per resource family.
#pragma once

#include "metrics.hpp"
#include "router.hpp"

#include <rapport/brand/brand_service.hpp>
#include <rapport/sla/site_service.hpp>

namespace rapport::api {

void AddBrandRoutes(Router& router, BrandService& brands);
void AddSiteRoutes(Router& router, SiteService& sites);
// /healthz, /readyz, /metrics, /openapi.json
void AddSystemRoutes(Router& router, Store& store, const Metrics& metrics);

}  // namespace rapport::api
