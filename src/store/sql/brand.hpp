// Brand-visibility queries of the store (facts, scheduled reports, region configs, prompts), as
// functions over a connection of either backend. Callers open the transaction; these run the
// statements.
#pragma once

#include "sql_db.hpp"

#include <rapport/store/records.hpp>

namespace rapport::sql::brand {

std::optional<BrandFacts> GetFacts(Connection& c, const std::string& tenant_id,
                                   const std::string& brand_id);
void PutFacts(Connection& c, const BrandFacts& f);

void InsertSchedule(Connection& c, const ScheduledReport& s);
std::optional<ScheduledReport> GetSchedule(Connection& c, const std::string& tenant_id,
                                           const std::string& id);
Page<ScheduledReport> ListSchedules(Connection& c, const std::string& tenant_id,
                                    const ScheduledReportFilter& f, const PageRequest& page);
int UpdateSchedule(Connection& c, const ScheduledReport& s);
int DeleteSchedule(Connection& c, const std::string& tenant_id, const std::string& id);
std::vector<ScheduledReport> DueSchedules(Connection& c, UnixMs now, int limit);

void InsertRegionConfig(Connection& c, const RegionConfig& r);
std::optional<RegionConfig> GetRegionConfig(Connection& c, const std::string& tenant_id,
                                            const std::string& id);
Page<RegionConfig> ListRegionConfigs(Connection& c, const std::string& tenant_id,
                                     const std::optional<std::string>& scheduled_report_id,
                                     const PageRequest& page);
int64_t CountRegionConfigs(Connection& c, const std::string& tenant_id,
                           const std::string& scheduled_report_id, const std::string& except_id);
int UpdateRegionConfig(Connection& c, const RegionConfig& r);
int DeleteRegionConfig(Connection& c, const std::string& tenant_id, const std::string& id);

int64_t CountPrompts(Connection& c, const std::string& tenant_id,
                     const std::string& region_config_id);
void InsertPrompt(Connection& c, const Prompt& p);
std::optional<Prompt> GetPrompt(Connection& c, const std::string& tenant_id, const std::string& id);
Page<Prompt> ListPrompts(Connection& c, const std::string& tenant_id,
                         const std::string& region_config_id, const PageRequest& page);
int UpdatePrompt(Connection& c, const Prompt& p);
int DeletePrompt(Connection& c, const std::string& tenant_id, const std::string& id);

// Brand run checkpoints. The writes return the rows written: 0 when `worker_id` does not hold
// the job's lease.
int PutAnswer(Connection& c, const BrandAnswer& a, const std::string& worker_id);
int PutJudgement(Connection& c, const BrandAnswerKey& key, const std::string& judgement,
                 int64_t prompt_tokens, int64_t completion_tokens, const std::string& worker_id);
std::vector<BrandAnswer> ListAnswers(Connection& c, const std::string& job_id);
// The raw answers a brand report was built from go with it; those of runs that made no report
// go with their job (the janitor's purge of finished jobs before `cutoff`).
void DeleteAnswersOfReport(Connection& c, const std::string& tenant_id, const std::string& id);
void DeleteAnswersOfUnfinishedRuns(Connection& c, UnixMs cutoff);

}  // namespace rapport::sql::brand
