// The brand kind's routes (seed 000's /v1 brand visibility and issue 17's citations), one
// function per resource; BrandKind::AddRoutes calls them. `on_enqueue` wakes the job workers
// after a handler enqueued a job.
#pragma once

#include <rapport/api/router.hpp>
#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/brand_service.hpp>
#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/reports/report_service.hpp>

#include <functional>

namespace rapport::api {

// /v1/brands CRUD.
void AddBrandRoutes(Router& router, BrandService& brands);
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
// /v1/reports: list, one, summary, prompts, delete, PDF, export (CSV, XLSX).
void AddBrandReportRoutes(Router& router, const ReportService& reports);
// Issue 17: /v1/brands/{brand_id}/citations (+ /by-domain) and /v1/citations/{citation_id}.
void AddCitationRoutes(Router& router, CitationService& citations);

}  // namespace rapport::api
