// Store over the shared SQL layer: each method runs its queries (jobs, sla, brand, webhooks) on a
// connection the backend hands out, reads outside transactions, writes in one transaction each.
#include "sql_store.hpp"

#include "brand.hpp"
#include "citations.hpp"
#include "jobs.hpp"
#include "sla.hpp"
#include "webhooks.hpp"

#include <boost/json.hpp>

#include <functional>
#include <vector>

namespace rapport::sql {
namespace {

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

std::string CompetitorsToJson(const std::vector<Competitor>& items) {
  json::array arr;
  for (const auto& c : items) {
    json::array aliases;
    for (const auto& a : c.aliases) aliases.emplace_back(a);
    arr.push_back(json::object{{"name", c.name}, {"aliases", std::move(aliases)}});
  }
  return json::serialize(arr);
}

std::vector<Competitor> CompetitorsFromJson(const std::string& text) {
  std::vector<Competitor> out;
  json::value parsed = json::parse(text);
  for (const auto& v : parsed.as_array()) {
    Competitor c{std::string(v.at("name").as_string()), {}};
    for (const auto& a : v.at("aliases").as_array()) c.aliases.emplace_back(a.as_string());
    out.push_back(std::move(c));
  }
  return out;
}

std::string TagsToJson(const std::map<std::string, std::string>& tags) {
  json::object obj;
  for (const auto& [k, v] : tags) obj[k] = v;
  return json::serialize(obj);
}

std::map<std::string, std::string> TagsFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  json::value parsed = json::parse(text);
  for (const auto& [k, v] : parsed.as_object()) out.emplace(k, v.as_string());
  return out;
}

Brand ReadBrand(const Statement& s) {
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

Site ReadSite(const Statement& s) {
  return Site{s.Text(0), s.Text(1), s.Text(2), TagsFromJson(s.Text(3)),
              s.Text(4), s.Int(5),  s.Int(6)};
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

  Status CheckReady() override {
    RAPPORT_TRY(int version, SchemaVersion());
    if (version < backend_->LatestMigration()) {
      return Error(ErrorCode::kServiceUnavailable, "Database migrations are not applied");
    }
    return Ok{};
  }

  Result<int> SchemaVersion() override {
    return Guard([&]() -> Result<int> {
      return WithReader([](Connection& c) {
        auto q = c.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        q.Step();
        return static_cast<int>(q.Int(0));
      });
    });
  }

  Status InsertBrand(const Brand& b, const BrandFacts* facts) override {
    return Write([&](Connection& w) {
      w.Prepare(
           "INSERT INTO brands (id, tenant_id, name, website, aliases, competitors, "
           "categories, country, language, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .Bind(1, b.id)
          .Bind(2, b.tenant_id)
          .Bind(3, b.name)
          .Bind(4, b.website)
          .Bind(5, StringsToJson(b.aliases))
          .Bind(6, CompetitorsToJson(b.competitors))
          .Bind(7, StringsToJson(b.categories))
          .Bind(8, b.country)
          .Bind(9, b.language)
          .Bind(10, b.created_at)
          .Bind(11, b.updated_at)
          .Run();
      if (facts != nullptr) brand::PutFacts(w, *facts);
    });
  }

  Result<Brand> GetBrand(const std::string& tenant_id, const std::string& id) override {
    return Guard([&]() -> Result<Brand> {
      return WithReader([&](Connection& c) -> Result<Brand> {
        auto q = c.Prepare(RAPPORT_BRAND_SELECT "WHERE b.tenant_id = ? AND b.id = ?");
        q.Bind(1, tenant_id).Bind(2, id);
        if (!q.Step()) return Error::NotFound("Brand");
        return ReadBrand(q);
      });
    });
  }

  Result<Page<Brand>> ListBrands(const std::string& tenant_id, const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Brand>> {
      return WithReader([&](Connection& c) {
        auto q = c.Prepare(RAPPORT_BRAND_SELECT
                           "WHERE b.tenant_id = ?1 AND (b.id < ?2 OR ?2 IS NULL) "
                           "ORDER BY b.id DESC LIMIT ?3");
        return ReadPage<Brand>(q, tenant_id, page, ReadBrand);
      });
    });
  }

  Status UpdateBrand(const Brand& b, const BrandFacts* facts) override {
    return WriteOne("Brand", [&](Connection& w) {
      auto changed = w.Prepare(
                          "UPDATE brands SET name = ?, website = ?, aliases = ?, competitors = ?, "
                          "categories = ?, country = ?, language = ?, updated_at = ? "
                          "WHERE tenant_id = ? AND id = ?")
                         .Bind(1, b.name)
                         .Bind(2, b.website)
                         .Bind(3, StringsToJson(b.aliases))
                         .Bind(4, CompetitorsToJson(b.competitors))
                         .Bind(5, StringsToJson(b.categories))
                         .Bind(6, b.country)
                         .Bind(7, b.language)
                         .Bind(8, b.updated_at)
                         .Bind(9, b.tenant_id)
                         .Bind(10, b.id)
                         .Run();
      if (changed > 0 && facts != nullptr) brand::PutFacts(w, *facts);
      return changed;
    });
  }

  Status DeleteBrand(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Brand", [&](Connection& w) {
      return w.Prepare("DELETE FROM brands WHERE tenant_id = ? AND id = ?")
          .Bind(1, tenant_id)
          .Bind(2, id)
          .Run();
    });
  }

  Status InsertSite(const Site& s) override {
    return Write([&](Connection& w) {
      w.Prepare(
           "INSERT INTO sites (id, tenant_id, name, tags, timezone, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
          .Bind(1, s.id)
          .Bind(2, s.tenant_id)
          .Bind(3, s.name)
          .Bind(4, TagsToJson(s.tags))
          .Bind(5, s.timezone)
          .Bind(6, s.created_at)
          .Bind(7, s.updated_at)
          .Run();
    });
  }

  Result<Site> GetSite(const std::string& tenant_id, const std::string& id) override {
    return Guard([&]() -> Result<Site> {
      return WithReader([&](Connection& c) -> Result<Site> {
        auto q = c.Prepare(
            "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
            "WHERE tenant_id = ? AND id = ?");
        q.Bind(1, tenant_id).Bind(2, id);
        if (!q.Step()) return Error::NotFound("Site");
        return ReadSite(q);
      });
    });
  }

  Result<Page<Site>> ListSites(const std::string& tenant_id, const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Site>> {
      return WithReader([&](Connection& c) {
        auto q = c.Prepare(
            "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
            "WHERE tenant_id = ?1 AND (id < ?2 OR ?2 IS NULL) ORDER BY id DESC LIMIT ?3");
        return ReadPage<Site>(q, tenant_id, page, ReadSite);
      });
    });
  }

  Status UpdateSite(const Site& s) override {
    return WriteOne("Site", [&](Connection& w) {
      return w
          .Prepare(
              "UPDATE sites SET name = ?, tags = ?, timezone = ?, updated_at = ? "
              "WHERE tenant_id = ? AND id = ?")
          .Bind(1, s.name)
          .Bind(2, TagsToJson(s.tags))
          .Bind(3, s.timezone)
          .Bind(4, s.updated_at)
          .Bind(5, s.tenant_id)
          .Bind(6, s.id)
          .Run();
    });
  }

  Status DeleteSite(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Site", [&](Connection& w) {
      return w.Prepare("DELETE FROM sites WHERE tenant_id = ? AND id = ?")
          .Bind(1, tenant_id)
          .Bind(2, id)
          .Run();
    });
  }

  Result<IdempotencyClaim> ClaimIdempotencyKey(const IdempotencyKey& key, UnixMs now,
                                               int64_t stale_after_ms) override {
    return InWriteTxn([&](Connection& w) -> Result<IdempotencyClaim> {
      auto q = w.Prepare(
          "SELECT fingerprint, state, status, body, updated_at FROM idempotency_keys "
          "WHERE tenant_id = ? AND key = ?");
      q.Bind(1, key.tenant_id).Bind(2, key.key);
      IdempotencyClaim claim;
      if (q.Step()) {
        bool stale = q.Text(1) == "started" && q.Int(4) < now - stale_after_ms;
        if (q.Text(0) != key.fingerprint) {
          claim.state = IdempotencyState::kMismatch;
        } else if (q.Text(1) == "done") {
          claim = {IdempotencyState::kReplay, static_cast<int>(q.Int(2)), q.Text(3)};
        } else if (!stale) {
          claim.state = IdempotencyState::kInUse;
        }
        if (claim.state != IdempotencyState::kStarted) return claim;
      }
      w.Prepare(
           "INSERT INTO idempotency_keys (tenant_id, key, fingerprint, state, created_at, "
           "updated_at) VALUES (?1, ?2, ?3, 'started', ?4, ?4) "
           "ON CONFLICT (tenant_id, key) DO UPDATE SET state = 'started', updated_at = ?4")
          .Bind(1, key.tenant_id)
          .Bind(2, key.key)
          .Bind(3, key.fingerprint)
          .Bind(4, now)
          .Run();
      return claim;
    });
  }

  Status CompleteIdempotencyKey(const IdempotencyKey& key, int status, const std::string& body,
                                UnixMs now) override {
    return Write([&](Connection& w) {
      w.Prepare(
           "UPDATE idempotency_keys SET state = 'done', status = ?, body = ?, updated_at = ? "
           "WHERE tenant_id = ? AND key = ?")
          .Bind(1, int64_t{status})
          .Bind(2, body)
          .Bind(3, now)
          .Bind(4, key.tenant_id)
          .Bind(5, key.key)
          .Run();
    });
  }

  Status RefreshIdempotencyKeys(const std::vector<IdempotencyKey>& keys, UnixMs now) override {
    if (keys.empty()) return Ok{};
    return Write([&](Connection& w) {
      for (const auto& key : keys) {
        w.Prepare(
             "UPDATE idempotency_keys SET updated_at = ? "
             "WHERE tenant_id = ? AND key = ? AND state = 'started'")
            .Bind(1, now)
            .Bind(2, key.tenant_id)
            .Bind(3, key.key)
            .Run();
      }
    });
  }

  Status ReleaseIdempotencyKey(const IdempotencyKey& key) override {
    return Write([&](Connection& w) {
      w.Prepare(
           "DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ? AND state = "
           "'started'")
          .Bind(1, key.tenant_id)
          .Bind(2, key.key)
          .Run();
    });
  }

  Result<int64_t> PurgeIdempotencyKeys(UnixMs cutoff) override {
    return InWriteTxn([&](Connection& w) -> Result<int64_t> {
      return int64_t{
          w.Prepare("DELETE FROM idempotency_keys WHERE created_at < ?").Bind(1, cutoff).Run()};
    });
  }

  Result<int64_t> CountRateWindow(const std::string& key, int64_t minute) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<int64_t> {
          auto q = w.Prepare(
              "INSERT INTO rate_windows (key, minute, calls) VALUES (?1, ?2, 1) "
              "ON CONFLICT (key, minute) DO UPDATE SET calls = rate_windows.calls + 1 "
              "RETURNING calls");
          q.Bind(1, key).Bind(2, minute);
          q.Step();
          return q.Int(0);
        },
        Isolation::kSingleStatements);
  }

  Result<int64_t> PeekRateWindow(const std::string& key, int64_t minute) override {
    return Guard([&]() -> Result<int64_t> {
      return WithReader([&](Connection& c) -> int64_t {
        auto q = c.Prepare("SELECT calls FROM rate_windows WHERE key = ?1 AND minute = ?2");
        q.Bind(1, key).Bind(2, minute);
        return q.Step() ? q.Int(0) : 0;
      });
    });
  }

  Result<int64_t> PurgeRateWindows(int64_t minute) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<int64_t> {
          return int64_t{
              w.Prepare("DELETE FROM rate_windows WHERE minute < ?").Bind(1, minute).Run()};
        },
        Isolation::kSingleStatements);
  }

  Result<std::map<std::string, int64_t>> CountJobsByStatus() override {
    return Guard([&]() -> Result<std::map<std::string, int64_t>> {
      return WithReader([](Connection& c) {
        std::map<std::string, int64_t> out;
        for (const char* s : {"pending", "processing", "completed", "failed", "cancelled"}) {
          out[s] = 0;
        }
        auto q = c.Prepare("SELECT status, COUNT(*) FROM jobs GROUP BY status");
        while (q.Step()) out[q.Text(0)] = q.Int(1);
        return out;
      });
    });
  }

  Result<std::optional<UnixMs>> OldestDueJobAt(UnixMs now) override {
    return Guard([&]() -> Result<std::optional<UnixMs>> {
      return WithReader([&](Connection& c) {
        auto q = c.Prepare(
            "SELECT MIN(run_after) FROM jobs WHERE status = 'pending' AND run_after <= ?1");
        q.Bind(1, now);
        q.Step();
        return q.OptionalInt(0);
      });
    });
  }

  Status InsertJob(const Job& job) override {
    return Write([&](Connection& w) { jobs::Insert(w, job); });
  }

  Result<int64_t> CountUnfinishedJobs(const std::string& tenant_id) override {
    return Guard([&]() -> Result<int64_t> {
      return WithReader([&](Connection& c) { return jobs::CountUnfinished(c, tenant_id); });
    });
  }

  Result<std::optional<Job>> ClaimJob(const std::string& worker_id, UnixMs now,
                                      LeaseTerm lease) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<std::optional<Job>> {
          return jobs::Claim(w, worker_id, now, lease);
        },
        Isolation::kSingleStatements);
  }

  Result<bool> HeartbeatJob(const std::string& job_id, const std::string& worker_id,
                            const JobProgress& progress, UnixMs now, LeaseTerm lease) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<bool> {
          auto cancel = jobs::Heartbeat(w, job_id, worker_id, progress, now, lease);
          if (!cancel) return LeaseLost();
          return *cancel;
        },
        Isolation::kSingleStatements);
  }

  Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                     const std::string& result, const std::vector<Artifact>& artifacts,
                     const std::vector<Report>& reports, const std::vector<Event>& events,
                     UnixMs now) override {
    return InWriteTxn(
        [&](Connection& w) -> Status {
          std::optional<std::string> tenant =
              jobs::Finish(w, job_id, worker_id, JobStatus::kCompleted, result, now);
          if (!tenant) return LeaseLost();
          jobs::InsertArtifacts(w, job_id, *tenant, artifacts, now);
          for (const auto& report : reports) {
            Report row = report;
            row.job_id = job_id;
            row.tenant_id = *tenant;
            if (row.created_at == 0) row.created_at = now;
            sla::InsertReport(w, row);
            citations::InsertUses(w, row);
          }
          for (const auto& e : events) sla::InsertEvent(w, e);
          return Ok{};
        },
        artifacts.empty() && reports.empty() && events.empty() ? Isolation::kSingleStatements
                                                               : Isolation::kReadCommitted);
  }

  Status FailJob(const std::string& job_id, const std::string& worker_id,
                 const std::string& error_result, std::optional<UnixMs> retry_at,
                 const std::vector<Event>& events, UnixMs now) override {
    return InWriteTxn(
        [&](Connection& w) -> Status {
          bool held =
              retry_at ? jobs::Retry(w, job_id, worker_id, error_result, *retry_at, now)
                       : jobs::Finish(w, job_id, worker_id, JobStatus::kFailed, error_result, now)
                             .has_value();
          if (!held) return LeaseLost();
          if (!retry_at) {
            for (const auto& e : events) sla::InsertEvent(w, e);
          }
          return Ok{};
        },
        Isolation::kReadCommitted);
  }

  Status CancelClaimedJob(const std::string& job_id, const std::string& worker_id,
                          UnixMs now) override {
    return InWriteTxn(
        [&](Connection& w) -> Status {
          if (!jobs::Finish(w, job_id, worker_id, JobStatus::kCancelled, R"({"cancelled":true})",
                            now)) {
            return LeaseLost();
          }
          return Ok{};
        },
        Isolation::kReadCommitted);
  }

  Status ReleaseJob(const std::string& job_id, const std::string& worker_id, UnixMs now) override {
    return InWriteTxn(
        [&](Connection& w) -> Status {
          if (!jobs::Release(w, job_id, worker_id, now)) return LeaseLost();
          return Ok{};
        },
        Isolation::kReadCommitted);
  }

  Result<Job> RequestJobCancel(const std::string& tenant_id, const std::string& id,
                               UnixMs now) override {
    return InWriteTxn([&](Connection& w) -> Result<Job> {
      auto job = jobs::RequestCancel(w, tenant_id, id, now);
      if (!job) return Error::NotFound("Job");
      return *job;
    });
  }

  Result<Job> GetJob(const std::string& tenant_id, const std::string& id) override {
    return Guard([&]() -> Result<Job> {
      return WithReader([&](Connection& c) -> Result<Job> {
        auto job = jobs::Get(c, tenant_id, id);
        if (!job) return Error::NotFound("Job");
        return *job;
      });
    });
  }

  Result<std::optional<Job>> FindJobByRequestKey(const std::string& tenant_id,
                                                 const std::string& request_key) override {
    return Guard([&]() -> Result<std::optional<Job>> {
      return WithReader([&](Connection& c) -> Result<std::optional<Job>> {
        auto q = c.Prepare(
            "SELECT id FROM jobs WHERE tenant_id = ? AND request_key = ? "
            "ORDER BY created_at, id LIMIT 1");
        q.Bind(1, tenant_id).Bind(2, request_key);
        if (!q.Step()) return std::optional<Job>();
        return jobs::Get(c, tenant_id, q.Text(0));
      });
    });
  }

  Result<Page<Job>> ListJobs(const std::string& tenant_id, std::optional<JobStatus> status,
                             const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Job>> {
      return WithReader([&](Connection& c) { return jobs::List(c, tenant_id, status, page); });
    });
  }

  Result<std::vector<Artifact>> GetArtifacts(const std::string& tenant_id,
                                             const std::string& job_id) override {
    return Guard([&]() -> Result<std::vector<Artifact>> {
      return WithReader([&](Connection& c) { return jobs::Artifacts(c, tenant_id, job_id); });
    });
  }

  Result<int64_t> PurgeFinishedJobs(UnixMs cutoff) override {
    return InWriteTxn([&](Connection& w) -> Result<int64_t> {
      sla::FreezeRunsOfFinishedJobs(w, cutoff);
      brand::DeleteAnswersOfUnfinishedRuns(w, cutoff);
      return jobs::PurgeFinished(w, cutoff);
    });
  }

  Result<int64_t> InsertFaults(const std::vector<Fault>& faults) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<int64_t> { return sla::InsertFaults(w, faults); });
  }

  Result<Fault> GetFault(const std::string& tenant_id, const std::string& id) override {
    return Read<Fault>("Fault", [&](Connection& c) { return sla::GetFault(c, tenant_id, id); });
  }

  Result<Page<Fault>> ListFaults(const std::string& tenant_id, const FaultFilter& filter,
                                 const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Fault>> {
      return WithReader([&](Connection& c) { return sla::ListFaults(c, tenant_id, filter, page); });
    });
  }

  Status UpdateFault(const Fault& fault) override {
    return WriteOne("Fault", [&](Connection& w) { return sla::UpdateFault(w, fault); });
  }

  Result<std::vector<Fault>> FaultsInWindow(const std::string& tenant_id,
                                            const std::vector<std::string>& site_ids,
                                            const std::string& type, UnixMs from,
                                            UnixMs to) override {
    return Guard([&]() -> Result<std::vector<Fault>> {
      return WithReader([&](Connection& c) {
        return sla::FaultsInWindow(c, tenant_id, site_ids, type, from, to);
      });
    });
  }

  Result<std::vector<Site>> AllSites(const std::string& tenant_id) override {
    return Guard([&]() -> Result<std::vector<Site>> {
      return WithReader([&](Connection& c) {
        auto q = c.Prepare(
            "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
            "WHERE tenant_id = ? ORDER BY id");
        q.Bind(1, tenant_id);
        std::vector<Site> out;
        while (q.Step()) out.push_back(ReadSite(q));
        return out;
      });
    });
  }

  Status InsertBusinessHours(const BusinessHours& hours) override {
    return Write([&](Connection& w) { sla::InsertBusinessHours(w, hours); });
  }

  Result<BusinessHours> GetBusinessHours(const std::string& tenant_id,
                                         const std::string& id) override {
    return Read<BusinessHours>(
        "Business hours", [&](Connection& c) { return sla::GetBusinessHours(c, tenant_id, id); });
  }

  Result<Page<BusinessHours>> ListBusinessHours(const std::string& tenant_id,
                                                const PageRequest& page) override {
    return Guard([&]() -> Result<Page<BusinessHours>> {
      return WithReader([&](Connection& c) { return sla::ListBusinessHours(c, tenant_id, page); });
    });
  }

  Status UpdateBusinessHours(const BusinessHours& hours) override {
    return WriteOne("Business hours",
                    [&](Connection& w) { return sla::UpdateBusinessHours(w, hours); });
  }

  Status DeleteBusinessHours(const std::string& tenant_id, const std::string& id) override {
    return InWriteTxn([&](Connection& w) -> Status {
      if (sla::BusinessHoursInUse(w, tenant_id, id)) {
        return Error(ErrorCode::kConflict,
                     "These business hours are used by an SLA schedule; change the schedule first");
      }
      if (sla::DeleteBusinessHours(w, tenant_id, id) == 0) {
        return Error::NotFound("Business hours");
      }
      return Ok{};
    });
  }

  Status InsertSlaSchedule(const SlaSchedule& schedule) override {
    return Write([&](Connection& w) { sla::InsertSchedule(w, schedule); });
  }

  Result<SlaSchedule> GetSlaSchedule(const std::string& tenant_id, const std::string& id) override {
    return Read<SlaSchedule>("Schedule",
                             [&](Connection& c) { return sla::GetSchedule(c, tenant_id, id); });
  }

  Result<Page<SlaSchedule>> ListSlaSchedules(const std::string& tenant_id,
                                             const PageRequest& page) override {
    return Guard([&]() -> Result<Page<SlaSchedule>> {
      return WithReader([&](Connection& c) { return sla::ListSchedules(c, tenant_id, page); });
    });
  }

  Status UpdateSlaSchedule(const SlaSchedule& schedule) override {
    return WriteOne("Schedule", [&](Connection& w) { return sla::UpdateSchedule(w, schedule); });
  }

  Status DeleteSlaSchedule(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Schedule",
                    [&](Connection& w) { return sla::DeleteSchedule(w, tenant_id, id); });
  }

  Result<std::vector<SlaSchedule>> DueSlaSchedules(UnixMs now, int limit) override {
    return Guard([&]() -> Result<std::vector<SlaSchedule>> {
      return WithReader([&](Connection& c) { return sla::DueSchedules(c, now, limit); });
    });
  }

  Result<std::vector<bool>> FireSchedules(const std::vector<ScheduleFiring>& firings) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<std::vector<bool>> {
          std::vector<bool> applied;
          applied.reserve(firings.size());
          for (const auto& f : firings) {
            bool ok = f.kind == "brand"
                          ? brand::AdvanceSchedule(w, f.tenant_id, f.schedule_id,
                                                   f.expected_next_run_at, f.new_next_run_at)
                          : sla::AdvanceSchedule(w, f.tenant_id, f.schedule_id,
                                                 f.expected_next_run_at, f.new_next_run_at);
            applied.push_back(ok);
            if (!ok) continue;
            for (const auto& [run, job] : f.runs) {
              if (sla::InsertRun(w, run) && job) jobs::Insert(w, *job);
            }
            for (const auto& e : f.events) sla::InsertEvent(w, e);
          }
          return applied;
        },
        Isolation::kReadCommitted);
  }

  Status EnqueueScheduleRun(const ScheduleRun& run, const Job& job) override {
    return InWriteTxn([&](Connection& w) -> Status {
      if (!sla::InsertRun(w, run)) {
        return Error(ErrorCode::kConflict, "This period of the schedule already has a run");
      }
      jobs::Insert(w, job);
      return Ok{};
    });
  }

  Result<Page<ScheduleRun>> ListScheduleRuns(const std::string& tenant_id,
                                             const std::string& schedule_id,
                                             const PageRequest& page) override {
    return Guard([&]() -> Result<Page<ScheduleRun>> {
      return WithReader(
          [&](Connection& c) { return sla::ListRuns(c, tenant_id, schedule_id, page); });
    });
  }

  Result<Report> GetReport(const std::string& tenant_id, const std::string& id) override {
    return Read<Report>("Report", [&](Connection& c) { return sla::GetReport(c, tenant_id, id); });
  }

  Result<Page<Report>> ListReports(const std::string& tenant_id, const ReportFilter& filter,
                                   const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Report>> {
      return WithReader(
          [&](Connection& c) { return sla::ListReports(c, tenant_id, filter, page); });
    });
  }

  Status DeleteReport(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Report", [&](Connection& w) {
      citations::DeleteReportUses(w, tenant_id, id);
      brand::DeleteAnswersOfReport(w, tenant_id, id);
      return sla::DeleteReport(w, tenant_id, id);
    });
  }

  Result<Page<Citation>> ListCitations(const std::string& tenant_id, const std::string& brand_id,
                                       const CitationFilter& filter,
                                       const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Citation>> {
      return WithReader(
          [&](Connection& c) { return citations::List(c, tenant_id, brand_id, filter, page); });
    });
  }

  Result<Citation> GetCitation(const std::string& tenant_id, const std::string& id) override {
    return Read<Citation>("Citation",
                          [&](Connection& c) { return citations::Get(c, tenant_id, id); });
  }

  Result<std::pair<std::vector<DomainCount>, int64_t>> CountCitationsByDomain(
      const std::string& tenant_id, const std::string& brand_id, const CitationFilter& filter,
      int limit) override {
    return Guard([&]() -> Result<std::pair<std::vector<DomainCount>, int64_t>> {
      return WithReader([&](Connection& c) {
        return citations::ByDomain(c, tenant_id, brand_id, filter, limit);
      });
    });
  }

  Result<std::vector<Report>> ReportsAwaitingCitations(int limit) override {
    return Guard([&]() -> Result<std::vector<Report>> {
      return WithReader([&](Connection& c) {
        std::vector<Report> out;
        for (const auto& [tenant, id] : citations::Queued(c, limit)) {
          if (auto r = sla::GetReport(c, tenant, id)) out.push_back(std::move(*r));
        }
        return out;
      });
    });
  }

  Result<bool> BackfillCitations(const Report& report) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<bool> {
          if (!citations::Unqueue(w, report.id)) return false;
          citations::InsertUses(w, report);
          return true;
        },
        Isolation::kReadCommitted);
  }

  Result<BrandFacts> GetBrandFacts(const std::string& tenant_id,
                                   const std::string& brand_id) override {
    return Read<BrandFacts>("Brand facts",
                            [&](Connection& c) { return brand::GetFacts(c, tenant_id, brand_id); });
  }

  Status PutBrandAnswer(const BrandAnswer& answer, const std::string& worker_id) override {
    return InWriteTxn(
        [&](Connection& w) -> Status {
          if (brand::PutAnswer(w, answer, worker_id) == 0) return LeaseLost();
          return Ok{};
        },
        Isolation::kSingleStatements);
  }

  Status PutBrandJudgement(const BrandAnswerKey& key, const std::string& judgement,
                           int64_t prompt_tokens, int64_t completion_tokens,
                           const std::string& worker_id) override {
    return InWriteTxn(
        [&](Connection& w) -> Status {
          if (brand::PutJudgement(w, key, judgement, prompt_tokens, completion_tokens,
                                  worker_id) == 0) {
            return LeaseLost();
          }
          return Ok{};
        },
        Isolation::kSingleStatements);
  }

  Result<std::vector<BrandAnswer>> ListBrandAnswers(const std::string& job_id) override {
    return Guard([&]() -> Result<std::vector<BrandAnswer>> {
      return WithReader([&](Connection& c) { return brand::ListAnswers(c, job_id); });
    });
  }

  Status PutBrandFacts(const BrandFacts& facts) override {
    return Write([&](Connection& w) { brand::PutFacts(w, facts); });
  }

  Status EnqueueFactsResearch(const std::string& tenant_id, const std::string& brand_id,
                              const Job& job, UnixMs now) override {
    return Write([&](Connection& w) {
      BrandFacts facts = brand::GetFacts(w, tenant_id, brand_id)
                             .value_or(BrandFacts{brand_id, tenant_id, "{}", "pending", now});
      facts.research_status = "pending";
      facts.updated_at = now;
      brand::PutFacts(w, facts);
      jobs::Insert(w, job);
    });
  }

  Status InsertScheduledReport(const ScheduledReport& s) override {
    return Write([&](Connection& w) { brand::InsertSchedule(w, s); });
  }

  Result<ScheduledReport> GetScheduledReport(const std::string& tenant_id,
                                             const std::string& id) override {
    return Read<ScheduledReport>(
        "Scheduled report", [&](Connection& c) { return brand::GetSchedule(c, tenant_id, id); });
  }

  Result<Page<ScheduledReport>> ListScheduledReports(const std::string& tenant_id,
                                                     const ScheduledReportFilter& filter,
                                                     const PageRequest& page) override {
    return Guard([&]() -> Result<Page<ScheduledReport>> {
      return WithReader(
          [&](Connection& c) { return brand::ListSchedules(c, tenant_id, filter, page); });
    });
  }

  Status UpdateScheduledReport(const ScheduledReport& s) override {
    return WriteOne("Scheduled report", [&](Connection& w) { return brand::UpdateSchedule(w, s); });
  }

  Status DeleteScheduledReport(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Scheduled report",
                    [&](Connection& w) { return brand::DeleteSchedule(w, tenant_id, id); });
  }

  Result<std::vector<ScheduledReport>> DueScheduledReports(UnixMs now, int limit) override {
    return Guard([&]() -> Result<std::vector<ScheduledReport>> {
      return WithReader([&](Connection& c) { return brand::DueSchedules(c, now, limit); });
    });
  }

  Status InsertRegionConfig(const RegionConfig& rc) override {
    return Write([&](Connection& w) { brand::InsertRegionConfig(w, rc); });
  }

  Result<RegionConfig> GetRegionConfig(const std::string& tenant_id,
                                       const std::string& id) override {
    return Read<RegionConfig>(
        "Region config", [&](Connection& c) { return brand::GetRegionConfig(c, tenant_id, id); });
  }

  Result<Page<RegionConfig>> ListRegionConfigs(const std::string& tenant_id,
                                               const std::optional<std::string>& schedule_id,
                                               const PageRequest& page) override {
    return Guard([&]() -> Result<Page<RegionConfig>> {
      return WithReader(
          [&](Connection& c) { return brand::ListRegionConfigs(c, tenant_id, schedule_id, page); });
    });
  }

  Status UpdateRegionConfig(const RegionConfig& rc, int max_per_schedule) override {
    return InWriteTxn([&](Connection& w) -> Status {
      if (rc.scheduled_report_id &&
          brand::CountRegionConfigs(w, rc.tenant_id, *rc.scheduled_report_id, rc.id) >=
              max_per_schedule) {
        return Error(ErrorCode::kConflict, "The scheduled report already has " +
                                               std::to_string(max_per_schedule) +
                                               " region configs, the most it can have");
      }
      if (brand::UpdateRegionConfig(w, rc) == 0) return Error::NotFound("Region config");
      return Ok{};
    });
  }

  Status DeleteRegionConfig(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Region config",
                    [&](Connection& w) { return brand::DeleteRegionConfig(w, tenant_id, id); });
  }

  Status InsertPrompts(const std::vector<Prompt>& prompts, int max_per_config) override {
    return InWriteTxn([&](Connection& w) -> Status {
      if (prompts.empty()) return Ok{};
      const Prompt& first = prompts.front();
      int64_t existing = brand::CountPrompts(w, first.tenant_id, first.region_config_id);
      if (existing + static_cast<int64_t>(prompts.size()) > max_per_config) {
        return Error(ErrorCode::kConflict, "A region config holds at most " +
                                               std::to_string(max_per_config) +
                                               " prompts; it has " + std::to_string(existing));
      }
      for (const auto& p : prompts) brand::InsertPrompt(w, p);
      return Ok{};
    });
  }

  Result<Prompt> GetPrompt(const std::string& tenant_id, const std::string& id) override {
    return Read<Prompt>("Prompt",
                        [&](Connection& c) { return brand::GetPrompt(c, tenant_id, id); });
  }

  Result<Page<Prompt>> ListPrompts(const std::string& tenant_id,
                                   const std::string& region_config_id,
                                   const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Prompt>> {
      return WithReader(
          [&](Connection& c) { return brand::ListPrompts(c, tenant_id, region_config_id, page); });
    });
  }

  Status UpdatePrompt(const Prompt& p) override {
    return WriteOne("Prompt", [&](Connection& w) { return brand::UpdatePrompt(w, p); });
  }

  Status DeletePrompt(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Prompt", [&](Connection& w) { return brand::DeletePrompt(w, tenant_id, id); });
  }

  Status InsertWebhookEndpoint(const WebhookEndpoint& e) override {
    return Write([&](Connection& w) { webhooks::InsertEndpoint(w, e); });
  }

  Result<WebhookEndpoint> GetWebhookEndpoint(const std::string& tenant_id,
                                             const std::string& id) override {
    return Read<WebhookEndpoint>(
        "Webhook endpoint", [&](Connection& c) { return webhooks::GetEndpoint(c, tenant_id, id); });
  }

  Result<Page<WebhookEndpoint>> ListWebhookEndpoints(const std::string& tenant_id,
                                                     const std::string& owner_kind,
                                                     const std::string& brand_id,
                                                     const PageRequest& page) override {
    return Guard([&]() -> Result<Page<WebhookEndpoint>> {
      return WithReader([&](Connection& c) {
        return webhooks::ListEndpoints(c, tenant_id, owner_kind, brand_id, page);
      });
    });
  }

  Status UpdateWebhookEndpoint(const WebhookEndpoint& e) override {
    return WriteOne("Webhook endpoint",
                    [&](Connection& w) { return webhooks::UpdateEndpoint(w, e); });
  }

  Status DeleteWebhookEndpoint(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Webhook endpoint",
                    [&](Connection& w) { return webhooks::DeleteEndpoint(w, tenant_id, id); });
  }

  Result<std::vector<Event>> PendingEvents(int limit) override {
    return Guard([&]() -> Result<std::vector<Event>> {
      return WithReader([&](Connection& c) { return webhooks::PendingEvents(c, limit); });
    });
  }

  Result<bool> DispatchEvent(const std::string& event_id,
                             const std::vector<WebhookDelivery>& deliveries,
                             const std::vector<EmailDelivery>& emails, const std::vector<Job>& jobs,
                             UnixMs now) override {
    return InWriteTxn(
        [&](Connection& w) -> Result<bool> {
          if (!webhooks::MarkDispatched(w, event_id, now)) return false;
          for (const auto& job : jobs) jobs::Insert(w, job);
          for (const auto& d : deliveries) webhooks::InsertDelivery(w, d);
          for (const auto& e : emails) webhooks::InsertEmail(w, e);
          return true;
        },
        Isolation::kReadCommitted);
  }

  Status InsertEmailDelivery(const EmailDelivery& d, const Job& job) override {
    return InWriteTxn([&](Connection& w) -> Status {
      jobs::Insert(w, job);
      webhooks::InsertEmail(w, d);
      return Ok{};
    });
  }

  Result<EmailDelivery> GetEmailDelivery(const std::string& tenant_id,
                                         const std::string& id) override {
    return Read<EmailDelivery>("Delivery",
                               [&](Connection& c) { return webhooks::GetEmail(c, tenant_id, id); });
  }

  Result<EmailDelivery> GetEmailDeliveryByJob(const std::string& job_id) override {
    return Read<EmailDelivery>("Delivery",
                               [&](Connection& c) { return webhooks::GetEmailByJob(c, job_id); });
  }

  Result<std::vector<EmailDelivery>> ListEmailDeliveries(const std::string& tenant_id,
                                                         const std::string& report_id) override {
    return Guard([&]() -> Result<std::vector<EmailDelivery>> {
      return WithReader(
          [&](Connection& c) { return webhooks::ListEmails(c, tenant_id, report_id); });
    });
  }

  Status RecordEmailAttempt(const std::string& id, const std::string& status,
                            std::optional<int64_t> smtp_status, const std::string& error,
                            UnixMs now) override {
    return WriteOne("Delivery", [&](Connection& w) {
      return webhooks::RecordEmailAttempt(w, id, status, smtp_status, error, now);
    });
  }

  Status InsertWebhookDelivery(const WebhookDelivery& d, const Job& job) override {
    return InWriteTxn([&](Connection& w) -> Status {
      jobs::Insert(w, job);
      webhooks::InsertDelivery(w, d);
      return Ok{};
    });
  }

  Result<WebhookDelivery> GetWebhookDelivery(const std::string& tenant_id,
                                             const std::string& id) override {
    return Read<WebhookDelivery>(
        "Delivery", [&](Connection& c) { return webhooks::GetDelivery(c, tenant_id, id); });
  }

  Result<WebhookDelivery> GetWebhookDeliveryByJob(const std::string& job_id) override {
    return Read<WebhookDelivery>(
        "Delivery", [&](Connection& c) { return webhooks::GetDeliveryByJob(c, job_id); });
  }

  Result<Page<WebhookDelivery>> ListWebhookDeliveries(const std::string& tenant_id,
                                                      const std::string& endpoint_id,
                                                      const PageRequest& page) override {
    return Guard([&]() -> Result<Page<WebhookDelivery>> {
      return WithReader(
          [&](Connection& c) { return webhooks::ListDeliveries(c, tenant_id, endpoint_id, page); });
    });
  }

  Status RecordWebhookAttempt(const std::string& id, const std::string& status,
                              std::optional<int64_t> response_status, const std::string& error,
                              UnixMs now) override {
    return WriteOne("Delivery", [&](Connection& w) {
      return webhooks::RecordAttempt(w, id, status, response_status, error, now);
    });
  }

  Result<Artifact> GetReportArtifact(const std::string& tenant_id, const std::string& report_id,
                                     const std::string& name) override {
    return Guard([&]() -> Result<Artifact> {
      return WithReader([&](Connection& c) -> Result<Artifact> {
        auto q = c.Prepare(
            "SELECT a.name, a.content_type, a.bytes FROM reports r JOIN artifacts a "
            "ON a.job_id = r.job_id AND a.tenant_id = r.tenant_id "
            "WHERE r.tenant_id = ? AND r.id = ? AND a.name = r.part || ?");
        q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, name);
        if (!q.Step()) return Error::NotFound("Report PDF");
        return Artifact{q.Text(0), q.Text(1), q.Blob(2)};
      });
    });
  }

  Result<ArtifactInfo> GetReportArtifactInfo(const std::string& tenant_id,
                                             const std::string& report_id,
                                             const std::string& name) override {
    return Guard([&]() -> Result<ArtifactInfo> {
      return WithReader([&](Connection& c) -> Result<ArtifactInfo> {
        auto q = c.Prepare(
            "SELECT a.name, a.content_type, length(a.bytes) FROM reports r JOIN artifacts a "
            "ON a.job_id = r.job_id AND a.tenant_id = r.tenant_id "
            "WHERE r.tenant_id = ? AND r.id = ? AND a.name = r.part || ?");
        q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, name);
        if (!q.Step()) return Error::NotFound("Report PDF");
        return ArtifactInfo{q.Text(0), q.Text(1), q.Int(2)};
      });
    });
  }

  Result<std::string> ReadReportArtifact(const std::string& tenant_id, const std::string& report_id,
                                         const std::string& name, int64_t offset,
                                         int64_t length) override {
    return Guard([&]() -> Result<std::string> {
      return WithReader([&](Connection& c) -> Result<std::string> {
        auto q = c.Prepare(
            "SELECT substr(a.bytes, ?4, ?5) FROM reports r JOIN artifacts a "
            "ON a.job_id = r.job_id AND a.tenant_id = r.tenant_id "
            "WHERE r.tenant_id = ?1 AND r.id = ?2 AND a.name = r.part || ?3");
        q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, name).Bind(4, offset + 1).Bind(5, length);
        if (!q.Step()) return Error::NotFound("Report PDF");
        return q.Blob(0);
      });
    });
  }

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

}  // namespace

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Backend> backend) {
  return std::make_unique<SqlStore>(std::move(backend));
}

}  // namespace rapport::sql
