// Route registration, one function per resource family.
#pragma once

#include "metrics.hpp"
#include "router.hpp"

#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/brand_service.hpp>
#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/delivery/email.hpp>
#include <rapport/delivery/webhooks.hpp>
#include <rapport/jobs/job_service.hpp>
#include <rapport/reports/report_service.hpp>
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
// /reports/sla/schedules (CRUD, run, runs). `on_enqueue` wakes the job workers after a run is
// enqueued.
void AddSlaScheduleRoutes(Router& router, SlaScheduleService& schedules,
                          std::function<void()> on_enqueue);
// /reports/sla/reports: list, one, delete, PDF.
void AddSlaReportRoutes(Router& router, const ReportService& reports);
// /reports/sla/reports/{reportId}/deliveries: the report's e-mails and re-sending one.
void AddReportDeliveryRoutes(Router& router, const ReportService& reports,
                             EmailDeliveryService& emails, std::function<void()> on_enqueue);

// Seed 000's /v1 brand visibility, one function per resource (`on_enqueue` as above):
// /v1/brands/{brand_id}/facts (+ the research job).
void AddFactsRoutes(Router& router, FactsService& facts, std::function<void()> on_enqueue);
// /v1/scheduled-reports CRUD.
void AddScheduledReportRoutes(Router& router, ScheduledReportService& schedules);
// /v1/scheduled-reports/{id}/executions, /analytics and /runs.
void AddScheduledReportRunRoutes(Router& router, ScheduledReportService& schedules,
                                 std::function<void()> on_enqueue);
// /v1/scheduled-reports/{id}/region-configs: the schedule's configs, attaching one.
void AddScheduleRegionConfigRoutes(Router& router, ScheduledReportService& schedules,
                                   RegionConfigService& configs);
// /v1/region-configs CRUD.
void AddRegionConfigRoutes(Router& router, RegionConfigService& configs);
// /v1/region-configs/{config_id}/prompts.
void AddPromptRoutes(Router& router, PromptService& prompts);
// /v1/reports: list, one, summary, prompts, delete, PDF.
void AddBrandReportRoutes(Router& router, const ReportService& reports);
// Issue 17: /v1/brands/{brand_id}/citations (+ /by-domain) and /v1/citations/{citation_id}.
void AddCitationRoutes(Router& router, CitationService& citations);

// Webhook endpoints, their deliveries and re-delivery: /v1/brands/{brand_id}/webhooks and
// /reports/sla/webhooks. `on_enqueue` wakes the job workers after a re-delivery.
void AddWebhookRoutes(Router& router, WebhookService& hooks, std::function<void()> on_enqueue);
// /v1/jobs: get, list, cancel.
void AddJobRoutes(Router& router, JobService& jobs);
// /healthz, /readyz (a probe of `store` itself), /metrics, /openapi.json
void AddSystemRoutes(Router& router, StoreHealth& store, JobService& jobs, const Metrics& metrics);

}  // namespace rapport::api
