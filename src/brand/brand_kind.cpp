#include <rapport/brand/brand_kind.hpp>

#include <rapport/brand/brand_channels.hpp>
#include <rapport/brand/brand_errors.hpp>
#include <rapport/brand/brand_facts_job.hpp>
#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/brand_scheduler.hpp>
#include <rapport/brand/brand_service.hpp>
#include <rapport/brand/brand_webhooks.hpp>
#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/reports/report_service.hpp>
#include <rapport/store/brand_report_hooks.hpp>

#include "brand_routes.hpp"

namespace rapport {
namespace {

class BrandKind final : public ReportKind {
 public:
  BrandKind(Store& store, const Clock& clock, LlmClient llm, BrandKindOptions options)
      : store_(store),
        clock_(clock),
        llm_(std::move(llm)),
        scheduler_(BrandSchedulerStores{store, store, store, store, store}, clock,
                   options.grace_ms),
        brands_(store, clock),
        facts_(store, clock),
        scheduled_reports_(ScheduledReportStores{store, store, store, store, store, store, store},
                           clock, options.queue_limits.per_tenant, options.queue_limits.total,
                           RunBudget{options.max_tokens_per_run, options.judging}),
        region_configs_(store, store, store, clock, options.platforms),
        prompts_(store, store, clock),
        reports_(store),
        citations_(store, store) {}

  std::string Name() const override { return "brand"; }
  void RegisterJobs(JobRegistry& registry) override {
    registry.Register(
        std::string(kBrandReportJobKind),
        std::make_shared<BrandReportJob>(
            BrandRunStores{store_, store_, store_, store_, store_, store_, store_}, clock_, llm_));
    registry.Register(std::string(kBrandFactsJobKind),
                      std::make_shared<BrandFactsJob>(store_, clock_, llm_));
  }
  Result<int64_t> FireDueSchedules() override { return scheduler_.Tick(); }

  void AddRoutes(api::Router& router, const api::RouteEnv& env) override {
    api::AddBrandRoutes(router, brands_);
    api::AddFactsRoutes(router, facts_, env.on_enqueue);
    api::AddScheduledReportRoutes(router, scheduled_reports_);
    api::AddScheduledReportRunRoutes(router, scheduled_reports_, env.on_enqueue);
    api::AddScheduleRegionConfigRoutes(router, scheduled_reports_, region_configs_);
    api::AddRegionConfigRoutes(router, region_configs_);
    api::AddPromptRoutes(router, prompts_);
    api::AddBrandReportRoutes(router, reports_);
    api::AddCitationRoutes(router, citations_);
    api::AddWebhookFamilyRoutes(router, env.webhooks,
                                {"/v1/brands/{brand_id}/webhooks", true,
                                 [](const api::RequestContext& ctx) {
                                   return WebhookService::Owner{"brand", ctx.Param("brand_id")};
                                 }},
                                env.on_enqueue);
  }
  std::vector<WebhookOwnerType> WebhookOwners() const override {
    WebhookOwnerType owner = BrandWebhookOwner(store_);
    owner.summary = BrandChannelSummary(store_);  // Slack and Teams messages
    return {owner};
  }
  std::span<const ErrorSpec> ErrorSpecs() const override { return BrandErrorSpecs(); }
  // A report's citations and its run's answers are stored and deleted with it.
  std::vector<ReportHooks> StoreHooks() const override { return {BrandReportHooks()}; }
  // Reports stored before citations were get theirs (queued by the migration that added them).
  Result<std::string> Prepare() override {
    RAPPORT_TRY(int64_t backfilled, BackfillCitations(store_));
    if (backfilled == 0) return std::string();
    return "citations backfilled for " + std::to_string(backfilled) + " reports";
  }
  std::vector<api::JobScope> JobScopes() const override {
    return {{std::string(kBrandReportJobKind), "read:scheduled", "write:scheduled"},
            {std::string(kBrandFactsJobKind), "read:brands", "write:brands"}};
  }

 private:
  Store& store_;
  const Clock& clock_;
  LlmClient llm_;
  BrandScheduler scheduler_;
  BrandService brands_;
  FactsService facts_;
  ScheduledReportService scheduled_reports_;
  RegionConfigService region_configs_;
  PromptService prompts_;
  ReportService reports_;
  CitationService citations_;
};

}  // namespace

std::unique_ptr<ReportKind> MakeBrandKind(Store& store, const Clock& clock, LlmClient llm,
                                          BrandKindOptions options) {
  return std::make_unique<BrandKind>(store, clock, std::move(llm), std::move(options));
}

}  // namespace rapport
