// Route registration, one function per resource family.
#pragma once

#include "metrics.hpp"
#include "router.hpp"

#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/brand_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/delivery/webhooks.hpp>
#include <rapport/schedule/cadence.hpp>
#include <rapport/sla/business_hours_service.hpp>
#include <rapport/sla/fault_service.hpp>
#include <rapport/sla/site_service.hpp>
#include <rapport/sla/sla_report.hpp>
#include <rapport/sla/sla_schedule_service.hpp>

#include <functional>

namespace rapport::api {

void AddBrandRoutes(Router& router, BrandService& brands);
void AddSiteRoutes(Router& router, SiteService& sites);
// /faults, /faults/bulk, /business-hours, /integrations/alertmanager.
void AddFaultRoutes(Router& router, FaultService& faults, BusinessHoursService& hours,
                    std::string alertmanager_site_label);
// /reports/sla/schedules (CRUD, run, runs) and /reports/sla/reports. `on_enqueue` wakes the job
// workers after a run is enqueued.
void AddSlaReportRoutes(Router& router, SlaScheduleService& schedules, Store& store,
                        std::function<void()> on_enqueue);
struct VisibilityServices {
  FactsService& facts;
  ScheduledReportService& schedules;
  RegionConfigService& configs;
};
// /v1 brand visibility: facts, scheduled reports (+ executions), region configs, prompts,
// reports.
void AddVisibilityRoutes(Router& router, const VisibilityServices& services, Store& store,
                         std::function<void()> on_enqueue);
// Webhook endpoints, their deliveries and re-delivery: /v1/brands/{brand_id}/webhooks and
// /reports/sla/webhooks. `on_enqueue` wakes the job workers after a re-delivery.
void AddWebhookRoutes(Router& router, WebhookService& hooks, std::function<void()> on_enqueue);
// /reports/sla/reports/{reportId}/deliveries: the report's e-mails and re-sending one.
void AddReportDeliveryRoutes(Router& router, Store& store, const Clock& clock, SmtpSettings smtp,
                             std::function<void()> on_enqueue);
// Issue 17: /v1/brands/{brand_id}/citations (+ /by-domain), /v1/citations/{citation_id} and
// /v1/reports/{report_id}/prompts.
void AddCitationRoutes(Router& router, Store& store);
// /v1/jobs: get, list, cancel. Jobs finished more than `retention_ms` ago are 404.
void AddJobRoutes(Router& router, Store& store, int64_t retention_ms);
// /healthz, /readyz, /metrics, /openapi.json
void AddSystemRoutes(Router& router, Store& store, const Metrics& metrics);

}  // namespace rapport::api
