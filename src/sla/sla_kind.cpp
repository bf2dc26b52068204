#include <rapport/sla/sla_kind.hpp>

#include <rapport/reports/report_service.hpp>
#include <rapport/sla/business_hours_service.hpp>
#include <rapport/sla/fault_service.hpp>
#include <rapport/sla/maintenance_window_service.hpp>
#include <rapport/sla/site_service.hpp>
#include <rapport/sla/site_uptime.hpp>
#include <rapport/sla/sla_channels.hpp>
#include <rapport/sla/sla_email.hpp>
#include <rapport/sla/sla_report.hpp>
#include <rapport/sla/sla_schedule_service.hpp>
#include <rapport/sla/sla_scheduler.hpp>
#include <rapport/sla/sla_webhooks.hpp>

#include "sla_routes.hpp"

namespace rapport {
namespace {

class SlaKind final : public ReportKind {
 public:
  SlaKind(Store& store, const Clock& clock, SlaKindOptions options)
      : store_(store),
        clock_(clock),
        options_(std::move(options)),
        scheduler_(store, store, store, store, clock, {.grace_ms = options_.grace_ms}),
        sites_(store, clock),
        uptime_(store, store, clock),
        faults_(store, store, clock),
        business_hours_(store, clock),
        window_store_(store),
        windows_(window_store_, clock),
        schedules_(SlaScheduleStores{store, store, store, store, store}, clock,
                   options_.queue_limits),
        reports_(store),
        emails_(store, clock, options_.smtp) {}

  std::string Name() const override { return "sla"; }
  void RegisterJobs(JobRegistry& registry) override {
    registry.Register(std::string(kSlaReportJobKind),
                      std::make_shared<SlaReportJob>(
                          SlaReportStores{store_, store_, store_, store_, store_, &window_store_},
                          clock_, options_.smtp.enabled()));
  }
  Result<int64_t> FireDueSchedules() override { return scheduler_.Tick(); }

  void AddRoutes(api::Router& router, const api::RouteEnv& env) override {
    api::AddSiteRoutes(router, sites_);
    api::AddFaultRoutes(router, faults_, business_hours_,
                        {.alertmanager = options_.alertmanager_site_label,
                         .grafana = options_.grafana_site_label,
                         .zabbix = options_.zabbix_site_tag,
                         .uptime_kuma = options_.uptime_kuma_site_field});
    api::AddMaintenanceWindowRoutes(router, windows_);
    api::AddSlaScheduleRoutes(router, schedules_, env.on_enqueue);
    api::AddSlaReportRoutes(router, reports_);
    api::AddUptimeRoute(router, uptime_);
    api::AddReportDeliveryRoutes(router, reports_, emails_, env.on_enqueue);
    api::AddWebhookFamilyRoutes(router, env.webhooks,
                                {"/reports/sla/webhooks", false,
                                 [](const api::RequestContext&) {
                                   return WebhookService::Owner{"sla", ""};
                                 }},
                                env.on_enqueue);
  }
  std::vector<WebhookOwnerType> WebhookOwners() const override {
    WebhookOwnerType owner = SlaWebhookOwner(store_);
    owner.summary = SlaChannelSummary(store_);  // Slack and Teams messages
    return {owner};
  }
  std::optional<EmailComposer> ReportEmail() const override {
    return EmailComposer(SlaReportEmail);
  }
  std::vector<api::JobScope> JobScopes() const override {
    // A report's e-mails are the SLA side's: its scopes read and cancel their jobs too.
    return {{std::string(kSlaReportJobKind), "read:sla", "write:sla"},
            {"email_delivery", "read:sla", "write:sla"}};
  }

 private:
  Store& store_;
  const Clock& clock_;
  SlaKindOptions options_;
  SlaScheduler scheduler_;
  SiteService sites_;
  SiteUptimeService uptime_;
  FaultService faults_;
  BusinessHoursService business_hours_;
  MaintenanceWindowStore window_store_;
  MaintenanceWindowService windows_;
  SlaScheduleService schedules_;
  ReportService reports_;
  EmailDeliveryService emails_;
};

}  // namespace

std::unique_ptr<ReportKind> MakeSlaKind(Store& store, const Clock& clock, SlaKindOptions options) {
  return std::make_unique<SlaKind>(store, clock, std::move(options));
}

}  // namespace rapport
