// Private to the SQL store: SqlStoreCore, the part of the one Store implementation that no report
// kind owns, whose methods are defined by concern in sql_store.cpp (health, idempotency keys,
// rate windows) and sql_store_<concern>.cpp (jobs and schedule runs, reports, delivery, the
// kinds' databases), and the helpers they and the kinds' part (sql_store_kinds.hpp) share.
#pragma once

#include "sql_store.hpp"

#include "jobs.hpp"
#include "reports.hpp"
#include "webhooks.hpp"

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace rapport::sql {

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

class SqlStoreCore : public Store {
 public:
  explicit SqlStoreCore(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

  Status CheckReady() override;

  Result<int> SchemaVersion() override;

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

  Result<JobBatchResult> RunJobBatch(const JobBatch& batch) override;

  Result<int64_t> RecoverLostJobs(UnixMs now, UnixMs lease_now,
                                  const LostJobPolicy& policy) override;

  std::unique_ptr<JobNotices> ListenForJobs() override;
  int ConcurrentBatches() const override;

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

  Result<std::vector<bool>> FireSchedules(const std::vector<ScheduleFiring>& firings) override;

  Status EnqueueScheduleRun(const ScheduleRun& run, const Job& job) override;

  Result<Page<ScheduleRun>> ListScheduleRuns(const std::string& tenant_id,
                                             const std::string& schedule_id,
                                             const PageRequest& page) override;

  Result<Report> GetReport(const std::string& tenant_id, const std::string& id) override;

  Result<Page<Report>> ListReports(const std::string& tenant_id, const ReportFilter& filter,
                                   const PageRequest& page) override;

  Status DeleteReport(const std::string& tenant_id, const std::string& id) override;

  Status InsertWebhookEndpoint(const WebhookEndpoint& e) override;

  Result<WebhookEndpoint> GetWebhookEndpoint(const std::string& tenant_id,
                                             const std::string& id) override;

  Result<Page<WebhookEndpoint>> ListWebhookEndpoints(const std::string& tenant_id,
                                                     const std::string& owner_kind,
                                                     const std::string& owner_id,
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

  Status ApplyMigrations(const std::string& track,
                         const std::vector<KindDatabase::Migration>& migrations) override;

  Status Write(const std::function<void(Connection&)>& fn) override;

  Status Read(const std::function<void(Connection&)>& fn) override;

  void AddReportHooks(ReportHooks hooks) override;

  Result<WhiteLabel> GetWhiteLabel(const std::string& tenant_id) override;

  Status PutWhiteLabel(const WhiteLabel& label) override;

  Result<TenantSettings> GetTenantSettings(const std::string& tenant_id) override;

  Status PutTenantSettings(const TenantSettings& settings) override;

  Result<bool> AnyRetentionSet() override;

  Result<std::vector<ExpiredReport>> ExpiredReports(UnixMs now, const std::string& after_id,
                                                    int limit) override;

  Result<int64_t> DeleteReports(const std::vector<ExpiredReport>& reports) override;

  Status ReclaimSpace() override;

  Result<std::vector<TenantStorage>> StorageByTenant() override;

 protected:
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
  Result<T> ReadRow(std::string_view what, F&& body) {
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
  Status WriteTxn(F&& body) {
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

 private:
  // Calls `call(hooks)` for each registered ReportHooks of `kind` (every kind when nullopt).
  template <class F>
  void ForEachHooks(const std::optional<std::string>& kind, F&& call) const {
    for (const auto& hooks : report_hooks_) {
      if (!kind || hooks.kind == *kind) call(hooks);
    }
  }

  std::vector<ReportHooks> report_hooks_;  // set at start-up (AddReportHooks), then read only
};

}  // namespace rapport::sql
