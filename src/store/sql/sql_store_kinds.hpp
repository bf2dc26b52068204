// Private to the SQL store: SqlStore, the one Store implementation, is SqlStoreCore plus the
// storage of the report kinds whose tables the store still owns (issue 19 moves them to their
// kinds, onto KindDatabase): the SLA kind's (sql_store_sla.cpp) and the brand kind's
// (sql_store_brand.cpp, sql_store_citations.cpp).
#pragma once

#include "sql_store_impl.hpp"

namespace rapport::sql {

class SqlStore final : public SqlStoreCore {
 public:
  using SqlStoreCore::SqlStoreCore;

  Status InsertBrand(const Brand& b, const BrandFacts* facts) override;

  Result<Brand> GetBrand(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Brand>> ListBrands(const std::string& tenant_id, const PageRequest& page) override;

  Status UpdateBrand(const Brand& b, const BrandFacts* facts) override;

  Status DeleteBrand(const std::string& tenant_id, const std::string& id) override;

  Status InsertSite(const Site& s) override;

  Result<Site> GetSite(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Site>> ListSites(const std::string& tenant_id, const PageRequest& page) override;

  Status UpdateSite(const Site& s) override;

  Status DeleteSite(const std::string& tenant_id, const std::string& id) override;

  Result<int64_t> InsertFaults(const std::vector<Fault>& faults) override;

  Result<Fault> GetFault(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Fault>> ListFaults(const std::string& tenant_id, const FaultFilter& filter,
                                 const PageRequest& page) override;

  Status UpdateFault(const Fault& fault) override;

  Result<std::vector<Fault>> FaultsInWindow(const std::string& tenant_id,
                                            const std::vector<std::string>& site_ids,
                                            const std::string& type, UnixMs from,
                                            UnixMs to) override;
  Status ScanFaultsInWindow(
      const std::string& tenant_id, const std::vector<std::string>& site_ids,
      const std::string& type, UnixMs from, UnixMs to,
      const std::function<void(size_t site, const FaultInWindow& fault)>& visit) override;

  Result<std::vector<Site>> AllSites(const std::string& tenant_id) override;

  Status InsertBusinessHours(const BusinessHours& hours) override;

  Result<BusinessHours> GetBusinessHours(const std::string& tenant_id,
                                         const std::string& id) override;

  Result<Page<BusinessHours>> ListBusinessHours(const std::string& tenant_id,
                                                const PageRequest& page) override;

  Status UpdateBusinessHours(const BusinessHours& hours) override;

  Status DeleteBusinessHours(const std::string& tenant_id, const std::string& id) override;

  Status InsertSlaSchedule(const SlaSchedule& schedule) override;

  Result<SlaSchedule> GetSlaSchedule(const std::string& tenant_id, const std::string& id) override;

  Result<Page<SlaSchedule>> ListSlaSchedules(const std::string& tenant_id,
                                             const PageRequest& page) override;

  Status UpdateSlaSchedule(const SlaSchedule& schedule) override;

  Status DeleteSlaSchedule(const std::string& tenant_id, const std::string& id) override;

  Result<std::vector<SlaSchedule>> DueSlaSchedules(UnixMs now, int limit) override;

  Result<Page<Citation>> ListCitations(const std::string& tenant_id, const std::string& brand_id,
                                       const CitationFilter& filter,
                                       const PageRequest& page) override;

  Result<Citation> GetCitation(const std::string& tenant_id, const std::string& id) override;

  Result<std::pair<std::vector<DomainCount>, int64_t>> CountCitationsByDomain(
      const std::string& tenant_id, const std::string& brand_id, const CitationFilter& filter,
      int limit) override;

  Result<std::vector<Report>> ReportsAwaitingCitations(int limit) override;

  Result<bool> BackfillCitations(const Report& report) override;

  Result<BrandFacts> GetBrandFacts(const std::string& tenant_id,
                                   const std::string& brand_id) override;

  Status PutBrandAnswer(const BrandAnswer& answer, const std::string& worker_id) override;

  Status PutBrandJudgement(const BrandAnswerKey& key, const std::string& judgement,
                           int64_t prompt_tokens, int64_t completion_tokens,
                           const std::string& worker_id) override;

  Result<std::vector<BrandAnswer>> ListBrandAnswers(const std::string& job_id) override;

  Status PutBrandFacts(const BrandFacts& facts) override;

  Status EnqueueFactsResearch(const std::string& tenant_id, const std::string& brand_id,
                              const Job& job, UnixMs now) override;

  Status InsertScheduledReport(const ScheduledReport& s) override;

  Result<ScheduledReport> GetScheduledReport(const std::string& tenant_id,
                                             const std::string& id) override;

  Result<Page<ScheduledReport>> ListScheduledReports(const std::string& tenant_id,
                                                     const ScheduledReportFilter& filter,
                                                     const PageRequest& page) override;

  Status UpdateScheduledReport(const ScheduledReport& s) override;

  Status DeleteScheduledReport(const std::string& tenant_id, const std::string& id) override;

  Result<std::vector<ScheduledReport>> DueScheduledReports(UnixMs now, int limit) override;

  Status InsertRegionConfig(const RegionConfig& rc) override;

  Result<RegionConfig> GetRegionConfig(const std::string& tenant_id,
                                       const std::string& id) override;

  Result<Page<RegionConfig>> ListRegionConfigs(const std::string& tenant_id,
                                               const std::optional<std::string>& schedule_id,
                                               const PageRequest& page) override;

  Status UpdateRegionConfig(const RegionConfig& rc, int max_per_schedule) override;

  Status DeleteRegionConfig(const std::string& tenant_id, const std::string& id) override;

  Status InsertPrompts(const std::vector<Prompt>& prompts, int max_per_config) override;

  Result<Prompt> GetPrompt(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Prompt>> ListPrompts(const std::string& tenant_id,
                                   const std::string& region_config_id,
                                   const PageRequest& page) override;

  Status UpdatePrompt(const Prompt& p) override;

  Status DeletePrompt(const std::string& tenant_id, const std::string& id) override;
};

}  // namespace rapport::sql
