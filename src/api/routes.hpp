// Route registration, one function per resource family.
#pragma once

#include "metrics.hpp"
#include "router.hpp"

#include <rapport/brand/brand_service.hpp>
#include <rapport/sla/site_service.hpp>

namespace rapport::api {

void AddBrandRoutes(Router& router, BrandService& brands);
void AddSiteRoutes(Router& router, SiteService& sites);
// /v1/jobs: get, list, cancel. Jobs finished more than `retention_ms` ago are 404.
void AddJobRoutes(Router& router, Store& store, int64_t retention_ms);
// /healthz, /readyz, /metrics, /openapi.json
void AddSystemRoutes(Router& router, Store& store, const Metrics& metrics);

}  // namespace rapport::api
