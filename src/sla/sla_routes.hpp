// The SLA kind's routes (seed 002's side), one function per resource; SlaKind::AddRoutes calls
// them.
#pragma once

#include <rapport/api/router.hpp>
#include <rapport/delivery/email.hpp>
#include <rapport/reports/report_service.hpp>
#include <rapport/sla/business_hours_service.hpp>
#include <rapport/sla/fault_service.hpp>
#include <rapport/sla/maintenance_window_service.hpp>
#include <rapport/sla/site_service.hpp>
#include <rapport/sla/site_uptime.hpp>
#include <rapport/sla/sla_report.hpp>
#include <rapport/sla/sla_schedule_service.hpp>

#include <functional>
#include <string>

namespace rapport::api {

void AddSiteRoutes(Router& router, SiteService& sites);
// The alert label naming a site id, per webhook fault source.
struct AlertSiteLabels {
  std::string alertmanager = "site";
  std::string grafana = "site";
  std::string zabbix = "site";       // the Zabbix event tag
  std::string uptime_kuma = "name";  // "name" (the monitor's) or "tag:<monitor tag name>"
};
// /faults, /faults/bulk, /faults/import, /business-hours, /integrations/alertmanager,
// /integrations/grafana, /integrations/zabbix, /integrations/uptime-kuma.
void AddFaultRoutes(Router& router, FaultService& faults, BusinessHoursService& hours,
                    AlertSiteLabels site_labels);
// /maintenance-windows: list, create, one, PUT, PATCH, DELETE.
void AddMaintenanceWindowRoutes(Router& router, MaintenanceWindowService& windows);
// /reports/sla/schedules (CRUD, run, runs). `on_enqueue` wakes the job workers after a run is
// enqueued.
void AddSlaScheduleRoutes(Router& router, SlaScheduleService& schedules,
                          std::function<void()> on_enqueue);
// GET /reports/sla/uptime: live uptime of the tenant's sites (the console's Overview).
void AddUptimeRoute(Router& router, const SiteUptimeService& uptime);
// /reports/sla/reports: list, one, delete, PDF, export (CSV, XLSX).
void AddSlaReportRoutes(Router& router, const ReportService& reports);
// /reports/sla/reports/{reportId}/deliveries: the report's e-mails and re-sending one.
void AddReportDeliveryRoutes(Router& router, const ReportService& reports,
                             EmailDeliveryService& emails, std::function<void()> on_enqueue);

}  // namespace rapport::api
