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
// /metrics also renders `storage` (the per-tenant storage gauges).
void AddSystemRoutes(Router& router, StoreHealth& store, JobService& jobs, const Metrics& metrics,
                     const std::vector<ErrorSpec>& kind_errors, StorageGauges& storage);
// /v1/white-label (GET, PATCH) and /v1/white-label/logo: the tenant's branding.
void AddWhiteLabelRoutes(Router& router, WhiteLabelStore& store);
// /v1/settings (GET, PATCH): the tenant's settings (the default retention of its reports).
void AddSettingsRoutes(Router& router, RetentionStore& store);

// Which Content-Security-Policy (and referrer/robots rules) an HTML page of rapportd gets.
enum class HtmlPolicy {
  kConsole,       // the console: scripts, styles, fonts from this origin only
  kSharedReport,  // the console at /s/{token}: also no Referer and not indexed
  kDocs,          // /docs, /docs/errors: Redoc also needs inline styles and a blob: worker
};
// Adds the security headers every HTML response carries (CSP, nosniff, X-Frame-Options DENY,
// Referrer-Policy) under `policy`.
void AddHtmlSecurityHeaders(Reply& reply, HtmlPolicy policy);
// `/` and `/s/{token}` (the console's page), /assets/console.js and /assets/console.css (ETag,
// an hour's public caching, 304 on If-None-Match). Public routes.
void AddConsoleRoutes(Router& router);

}  // namespace rapport::api
