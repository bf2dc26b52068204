// The API's own routes, one function per resource family; a report kind's routes come from the
// kind (ApiConfig::route_sets), the webhook family from kind_routes.hpp.
#pragma once

#include "metrics.hpp"

#include <rapport/api/kind_routes.hpp>
#include <rapport/api/router.hpp>
#include <rapport/jobs/job_service.hpp>
#include <rapport/store/interfaces.hpp>

#include <vector>

namespace rapport::api {

// /v1/jobs: get, list, cancel; `scopes`: each job kind's side scopes.
void AddJobRoutes(Router& router, JobService& jobs, std::vector<JobScope> scopes);
// /healthz, /readyz (a probe of `store` itself), /metrics, /openapi.json, /docs, /docs/errors
// (core's error codes and `kind_errors`).
void AddSystemRoutes(Router& router, StoreHealth& store, JobService& jobs, const Metrics& metrics,
                     const std::vector<ErrorSpec>& kind_errors);
// /v1/white-label (GET, PATCH) and /v1/white-label/logo: the tenant's branding.
void AddWhiteLabelRoutes(Router& router, WhiteLabelStore& store);

}  // namespace rapport::api
