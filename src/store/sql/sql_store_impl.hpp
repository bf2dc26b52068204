// Private to the SQL store: the SqlStore class, whose methods are defined by concern in
// sql_store.cpp (health, idempotency keys, rate windows) and sql_store_<concern>.cpp (jobs and
// schedule runs, reports and citations, delivery, the SLA kind's data, the brand kind's data),
// and the helpers they share.
#pragma once

#include "sql_store.hpp"

#include "brand.hpp"
#include "citations.hpp"
#include "jobs.hpp"
#include "sla.hpp"
#include "webhooks.hpp"

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace rapport::sql {

namespace json = boost::json;

// Runs `body`, turning a DbError into an Error result.
template <class F>
auto Guard(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const DbError& e) {
    return e.ToError();
  } catch (const std::exception& e) {  // e.g. a stored JSON column that no longer parses
    return Error::Internal(std::string("store: ") + e.what());
  }
}

inline std::string CompetitorsToJson(const std::vector<Competitor>& items) {
  json::array arr;
  for (const auto& c : items) {
    json::array aliases;
    for (const auto& a : c.aliases) aliases.emplace_back(a);
    arr.push_back(json::object{{"name", c.name}, {"aliases", std::move(aliases)}});
  }
  return json::serialize(arr);
}

inline std::vector<Competitor> CompetitorsFromJson(const std::string& text) {
  std::vector<Competitor> out;
  json::value parsed = json::parse(text);
  for (const auto& v : parsed.as_array()) {
    Competitor c{std::string(v.at("name").as_string()), {}};
    for (const auto& a : v.at("aliases").as_array()) c.aliases.emplace_back(a.as_string());
    out.push_back(std::move(c));
  }
  return out;
}

inline std::string TagsToJson(const std::map<std::string, std::string>& tags) {
  json::object obj;
  for (const auto& [k, v] : tags) obj[k] = v;
  return json::serialize(obj);
}

inline std::map<std::string, std::string> TagsFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  json::value parsed = json::parse(text);
  for (const auto& [k, v] : parsed.as_object()) out.emplace(k, v.as_string());
  return out;
}

inline Brand ReadBrand(const Statement& s) {
  return Brand{s.Text(0),
               s.Text(1),
               s.Text(2),
               s.Text(3),
               StringsFromJson(s.Text(4)),
               CompetitorsFromJson(s.Text(5)),
               StringsFromJson(s.Text(6)),
               s.OptionalText(7),
               s.OptionalText(8),
               s.Int(9),
               s.Int(10),
               s.OptionalText(11)};
}

// The brand columns ReadBrand reads, with the description from the brand's facts. A macro, so
// that each query stays one literal (statements are cached by the literal's address).
#define RAPPORT_BRAND_SELECT                                                                  \
  "SELECT b.id, b.tenant_id, b.name, b.website, b.aliases, b.competitors, b.categories, "     \
  "b.country, b.language, b.created_at, b.updated_at, json_extract(f.body, '$.description') " \
  "FROM brands b LEFT JOIN brand_facts f ON f.brand_id = b.id AND f.tenant_id = b.tenant_id "

inline Site ReadSite(const Statement& s) {
  return Site{s.Text(0), s.Text(1), s.Text(2), TagsFromJson(s.Text(3)),
              s.Text(4), s.Int(5),  s.Int(6)};
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

  Status CheckReady() override;

  Result<int> SchemaVersion() override;

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

  Result<IdempotencyClaim> ClaimIdempotencyKey(const IdempotencyKey& key, UnixMs now,
                                               int64_t stale_after_ms) override;

  Status CompleteIdempotencyKey(const IdempotencyKey& key, int status, const std::string& body,
                                UnixMs now) override;

  Status RefreshIdempotencyKeys(const std::vector<IdempotencyKey>& keys, UnixMs now) override;

  Status ReleaseIdempotencyKey(const IdempotencyKey& key) override;

  Result<int64_t> PurgeIdempotencyKeys(UnixMs cutoff) override;

  Result<int64_t> CountRateWindow(const std::string& key, int64_t minute) override;

  Result<int64_t> PeekRateWindow(const std::string& key, int64_t minute) override;

  Result<int64_t> PurgeRateWindows(int64_t minute) override;

  Result<std::map<std::string, int64_t>> CountJobsByStatus() override;

  Result<std::optional<UnixMs>> OldestDueJobAt(UnixMs now) override;

  Status InsertJob(const Job& job) override;

  Result<int64_t> CountUnfinishedJobs(const std::string& tenant_id) override;

  Result<std::optional<Job>> ClaimJob(const std::string& worker_id, UnixMs now,
                                      LeaseTerm lease) override;

  Result<bool> HeartbeatJob(const std::string& job_id, const std::string& worker_id,
                            const JobProgress& progress, UnixMs now, LeaseTerm lease) override;

  Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                     const std::string& result, const std::vector<Artifact>& artifacts,
                     const std::vector<Report>& reports, const std::vector<Event>& events,
                     UnixMs now) override;

  Status FailJob(const std::string& job_id, const std::string& worker_id,
                 const std::string& error_result, std::optional<UnixMs> retry_at,
                 const std::vector<Event>& events, UnixMs now) override;

  Status CancelClaimedJob(const std::string& job_id, const std::string& worker_id,
                          UnixMs now) override;

  Status ReleaseJob(const std::string& job_id, const std::string& worker_id, UnixMs now) override;

  Result<Job> RequestJobCancel(const std::string& tenant_id, const std::string& id,
                               UnixMs now) override;

  Result<Job> GetJob(const std::string& tenant_id, const std::string& id) override;

  Result<std::optional<Job>> FindJobByRequestKey(const std::string& tenant_id,
                                                 const std::string& request_key) override;

  Result<Page<Job>> ListJobs(const std::string& tenant_id, std::optional<JobStatus> status,
                             const PageRequest& page) override;

  Result<std::vector<Artifact>> GetArtifacts(const std::string& tenant_id,
                                             const std::string& job_id) override;

  Result<int64_t> PurgeFinishedJobs(UnixMs cutoff) override;

  Result<int64_t> InsertFaults(const std::vector<Fault>& faults) override;

  Result<Fault> GetFault(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Fault>> ListFaults(const std::string& tenant_id, const FaultFilter& filter,
                                 const PageRequest& page) override;

  Status UpdateFault(const Fault& fault) override;

  Result<std::vector<Fault>> FaultsInWindow(const std::string& tenant_id,
                                            const std::vector<std::string>& site_ids,
                                            const std::string& type, UnixMs from,
                                            UnixMs to) override;

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

  Result<std::vector<bool>> FireSchedules(const std::vector<ScheduleFiring>& firings) override;

  Status EnqueueScheduleRun(const ScheduleRun& run, const Job& job) override;

  Result<Page<ScheduleRun>> ListScheduleRuns(const std::string& tenant_id,
                                             const std::string& schedule_id,
                                             const PageRequest& page) override;

  Result<Report> GetReport(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Report>> ListReports(const std::string& tenant_id, const ReportFilter& filter,
                                   const PageRequest& page) override;

  Status DeleteReport(const std::string& tenant_id, const std::string& id) override;

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

  Status InsertWebhookEndpoint(const WebhookEndpoint& e) override;

  Result<WebhookEndpoint> GetWebhookEndpoint(const std::string& tenant_id,
                                             const std::string& id) override;

  Result<Page<WebhookEndpoint>> ListWebhookEndpoints(const std::string& tenant_id,
                                                     const std::string& owner_kind,
                                                     const std::string& brand_id,
                                                     const PageRequest& page) override;

  Status UpdateWebhookEndpoint(const WebhookEndpoint& e) override;

  Status DeleteWebhookEndpoint(const std::string& tenant_id, const std::string& id) override;

  Result<std::vector<Event>> PendingEvents(int limit) override;

  Result<bool> DispatchEvent(const std::string& event_id,
                             const std::vector<WebhookDelivery>& deliveries,
                             const std::vector<EmailDelivery>& emails, const std::vector<Job>& jobs,
                             UnixMs now) override;

  Status InsertEmailDelivery(const EmailDelivery& d, const Job& job) override;

  Result<EmailDelivery> GetEmailDelivery(const std::string& tenant_id,
                                         const std::string& id) override;

  Result<EmailDelivery> GetEmailDeliveryByJob(const std::string& job_id) override;

  Result<std::vector<EmailDelivery>> ListEmailDeliveries(const std::string& tenant_id,
                                                         const std::string& report_id) override;

  Status RecordEmailAttempt(const std::string& id, const std::string& status,
                            std::optional<int64_t> smtp_status, const std::string& error,
                            UnixMs now) override;

  Status InsertWebhookDelivery(const WebhookDelivery& d, const Job& job) override;

  Result<WebhookDelivery> GetWebhookDelivery(const std::string& tenant_id,
                                             const std::string& id) override;

  Result<WebhookDelivery> GetWebhookDeliveryByJob(const std::string& job_id) override;

  Result<Page<WebhookDelivery>> ListWebhookDeliveries(const std::string& tenant_id,
                                                      const std::string& endpoint_id,
                                                      const PageRequest& page) override;

  Status RecordWebhookAttempt(const std::string& id, const std::string& status,
                              std::optional<int64_t> response_status, const std::string& error,
                              UnixMs now) override;

  Result<Artifact> GetReportArtifact(const std::string& tenant_id, const std::string& report_id,
                                     const std::string& name) override;

  Result<ArtifactInfo> GetReportArtifactInfo(const std::string& tenant_id,
                                             const std::string& report_id,
                                             const std::string& name) override;

  Result<std::string> ReadReportArtifact(const std::string& tenant_id, const std::string& report_id,
                                         const std::string& name, int64_t offset,
                                         int64_t length) override;

 private:
  static Error LeaseLost() {
    return Error(ErrorCode::kConflict, "This worker no longer holds the job's lease");
  }

  // Runs `body(connection)` (returning a Result) in a write transaction, committing only when it
  // succeeds.
  template <class F>
  auto InWriteTxn(F&& body, Isolation isolation = Isolation::kSerializable)
      -> decltype(body(std::declval<Connection&>())) {
    using R = decltype(body(std::declval<Connection&>()));
    return Guard([&]() -> R {
      std::optional<R> out;
      backend_->Write(isolation, [&](Connection& c) {
        out.emplace(body(c));
        return out->ok();
      });
      return std::move(*out);
    });
  }

  // Runs `body(connection)` on a connection for reading.
  template <class F>
  auto WithReader(F&& body) -> decltype(body(std::declval<Connection&>())) {
    std::optional<decltype(body(std::declval<Connection&>()))> out;
    backend_->Read([&](Connection& c) { out.emplace(body(c)); });
    return std::move(*out);
  }

  template <class T, class Reader>
  static Page<T> ReadPage(Statement& q, const std::string& tenant_id, const PageRequest& page,
                          Reader read) {
    q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, int64_t{page.limit} + 1);
    Page<T> out;
    while (q.Step()) out.items.push_back(read(q));
    if (out.items.size() > static_cast<size_t>(page.limit)) {
      out.items.pop_back();
      out.has_more = true;
    }
    return out;
  }

  // Runs the reader `body` (returning an optional row); kNotFound naming `what` when empty.
  template <class T, class F>
  Result<T> Read(std::string_view what, F&& body) {
    return Guard([&]() -> Result<T> {
      return WithReader([&](Connection& c) -> Result<T> {
        std::optional<T> row = body(c);
        if (!row) return Error::NotFound(what);
        return std::move(*row);
      });
    });
  }

  // Runs `body(connection)` in a write transaction.
  template <class F>
  Status Write(F&& body) {
    return InWriteTxn([&](Connection& c) -> Status {
      body(c);
      return Ok{};
    });
  }

  // Runs `body(connection)` (returning the number of rows changed) in a write transaction;
  // kNotFound when it changed nothing.
  template <class F>
  Status WriteOne(std::string_view what, F&& body) {
    return InWriteTxn([&](Connection& c) -> Status {
      if (body(c) == 0) return Error::NotFound(what);
      return Ok{};
    });
  }

  std::unique_ptr<Backend> backend_;
};

}  // namespace rapport::sql
