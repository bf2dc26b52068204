// SQLite implementation of Store. Durability: WAL with synchronous=FULL, so a committed write
// survives power loss. Concurrency: one writer connection behind a mutex, every write in
// BEGIN IMMEDIATE; readers use a small pool of their own connections (WAL snapshots).
#include "sqlite_store.hpp"

#include "migrations.hpp"
#include "sqlite_brand.hpp"
#include "sqlite_db.hpp"
#include "sqlite_jobs.hpp"
#include "sqlite_sla.hpp"
#include "sqlite_webhooks.hpp"

#include <boost/json.hpp>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

namespace rapport::sqlite {
namespace {

namespace json = boost::json;

Error ToError(const SqliteError& e) {
  int primary = e.code() & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY) {
    return Error(ErrorCode::kServiceUnavailable, "The database is temporarily unavailable",
                 json::object{{"retry_after", 1}});
  }
  if (primary == SQLITE_CONSTRAINT) return Error(ErrorCode::kConflict, "");
  return Error::Internal(e.what());
}

// Runs `body`, turning SqliteError into an Error result.
template <class F>
auto Guard(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SqliteError& e) {
    return ToError(e);
  } catch (const std::exception& e) {  // e.g. a stored JSON column that no longer parses
    return Error::Internal(std::string("sqlite store: ") + e.what());
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

constexpr const char* kBrandColumns =
    "id, tenant_id, name, website, aliases, competitors, categories, country, language, "
    "created_at, updated_at";

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
               s.Int(10)};
}

Site ReadSite(const Statement& s) {
  return Site{s.Text(0), s.Text(1), s.Text(2), TagsFromJson(s.Text(3)),
              s.Text(4), s.Int(5),  s.Int(6)};
}

// A fixed set of reader connections handed out one per call.
class ReaderPool {
 public:
  ReaderPool(std::string path, int size, int busy_timeout_ms)
      : path_(std::move(path)), size_(size), busy_timeout_ms_(busy_timeout_ms) {}

  template <class F>
  auto With(F&& body) {
    std::unique_ptr<Connection> conn = Acquire();
    struct Returner {
      ReaderPool* pool;
      std::unique_ptr<Connection>& conn;
      ~Returner() { pool->Release(std::move(conn)); }
    } returner{this, conn};
    return body(*conn);
  }

 private:
  std::unique_ptr<Connection> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty() || created_ < size_; });
    if (!free_.empty()) {
      auto conn = std::move(free_.back());
      free_.pop_back();
      return conn;
    }
    ++created_;
    lock.unlock();
    try {
      return std::make_unique<Connection>(path_, busy_timeout_ms_);
    } catch (...) {
      std::lock_guard relock(mu_);
      --created_;
      cv_.notify_one();
      throw;
    }
  }

  void Release(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(conn));
    cv_.notify_one();
  }

  std::string path_;
  int size_;
  int busy_timeout_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> free_;
  int created_ = 0;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const StoreOptions& options)
      : writer_(path, options.busy_timeout_ms),
        readers_(path, options.reader_connections, options.busy_timeout_ms) {}

  void Migrate() {
    std::lock_guard lock(write_mu_);
    writer_.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const auto& m : Migrations()) {
      WriteTransaction txn(writer_);
      auto q = writer_.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      q.Bind(1, int64_t{m.version});
      if (q.Step()) continue;
      writer_.Exec(m.sql);
      writer_.Prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)")
          .Bind(1, int64_t{m.version})
          .Bind(2, std::string_view(m.description))
          .Bind(3, SystemClock().NowMs())
          .Run();
      txn.Commit();
    }
  }

  Status CheckReady() override {
    RAPPORT_TRY(int version, SchemaVersion());
    if (version < Migrations().back().version) {
      return Error(ErrorCode::kServiceUnavailable, "Database migrations are not applied");
    }
    return Ok{};
  }

  Result<int> SchemaVersion() override {
    return Guard([&]() -> Result<int> {
      return readers_.With([](Connection& c) {
        auto q = c.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        q.Step();
        return static_cast<int>(q.Int(0));
      });
    });
  }

  Status InsertBrand(const Brand& b) override {
    return Write([&] {
      writer_
          .Prepare(
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
      return true;
    });
  }

  Result<Brand> GetBrand(const std::string& tenant_id, const std::string& id) override {
    return Guard([&]() -> Result<Brand> {
      return readers_.With([&](Connection& c) -> Result<Brand> {
        auto q = c.Prepare(
            "SELECT id, tenant_id, name, website, aliases, competitors, categories, country, "
            "language, created_at, updated_at FROM brands WHERE tenant_id = ? AND id = ?");
        q.Bind(1, tenant_id).Bind(2, id);
        if (!q.Step()) return Error::NotFound("Brand");
        return ReadBrand(q);
      });
    });
  }

  Result<Page<Brand>> ListBrands(const std::string& tenant_id, const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Brand>> {
      return readers_.With([&](Connection& c) {
        auto q = c.Prepare(
            "SELECT id, tenant_id, name, website, aliases, competitors, categories, country, "
            "language, created_at, updated_at FROM brands WHERE tenant_id = ?1 "
            "AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3");
        return ReadPage<Brand>(q, tenant_id, page, ReadBrand);
      });
    });
  }

  Status UpdateBrand(const Brand& b) override {
    return WriteOne("Brand", [&] {
      return writer_
          .Prepare(
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
    });
  }

  Status DeleteBrand(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Brand", [&] {
      return writer_.Prepare("DELETE FROM brands WHERE tenant_id = ? AND id = ?")
          .Bind(1, tenant_id)
          .Bind(2, id)
          .Run();
    });
  }

  Status InsertSite(const Site& s) override {
    return Write([&] {
      writer_
          .Prepare(
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
      return true;
    });
  }

  Result<Site> GetSite(const std::string& tenant_id, const std::string& id) override {
    return Guard([&]() -> Result<Site> {
      return readers_.With([&](Connection& c) -> Result<Site> {
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
      return readers_.With([&](Connection& c) {
        auto q = c.Prepare(
            "SELECT id, tenant_id, name, tags, timezone, created_at, updated_at FROM sites "
            "WHERE tenant_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3");
        return ReadPage<Site>(q, tenant_id, page, ReadSite);
      });
    });
  }

  Status UpdateSite(const Site& s) override {
    return WriteOne("Site", [&] {
      return writer_
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
    return WriteOne("Site", [&] {
      return writer_.Prepare("DELETE FROM sites WHERE tenant_id = ? AND id = ?")
          .Bind(1, tenant_id)
          .Bind(2, id)
          .Run();
    });
  }

  Result<IdempotencyClaim> ClaimIdempotencyKey(const IdempotencyKey& key, UnixMs now,
                                               int64_t stale_after_ms) override {
    return Guard([&]() -> Result<IdempotencyClaim> {
      std::lock_guard lock(write_mu_);
      WriteTransaction txn(writer_);
      auto q = writer_.Prepare(
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
      writer_
          .Prepare(
              "INSERT INTO idempotency_keys (tenant_id, key, fingerprint, state, created_at, "
              "updated_at) VALUES (?1, ?2, ?3, 'started', ?4, ?4) "
              "ON CONFLICT (tenant_id, key) DO UPDATE SET state = 'started', updated_at = ?4")
          .Bind(1, key.tenant_id)
          .Bind(2, key.key)
          .Bind(3, key.fingerprint)
          .Bind(4, now)
          .Run();
      txn.Commit();
      return claim;
    });
  }

  Status CompleteIdempotencyKey(const IdempotencyKey& key, int status, const std::string& body,
                                UnixMs now) override {
    return Write([&] {
      writer_
          .Prepare(
              "UPDATE idempotency_keys SET state = 'done', status = ?, body = ?, updated_at = ? "
              "WHERE tenant_id = ? AND key = ?")
          .Bind(1, int64_t{status})
          .Bind(2, body)
          .Bind(3, now)
          .Bind(4, key.tenant_id)
          .Bind(5, key.key)
          .Run();
      return true;
    });
  }

  Status ReleaseIdempotencyKey(const IdempotencyKey& key) override {
    return Write([&] {
      writer_
          .Prepare(
              "DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ? AND state = "
              "'started'")
          .Bind(1, key.tenant_id)
          .Bind(2, key.key)
          .Run();
      return true;
    });
  }

  Result<int64_t> PurgeIdempotencyKeys(UnixMs cutoff) override {
    return Guard([&]() -> Result<int64_t> {
      std::lock_guard lock(write_mu_);
      WriteTransaction txn(writer_);
      int n = writer_.Prepare("DELETE FROM idempotency_keys WHERE created_at < ?")
                  .Bind(1, cutoff)
                  .Run();
      txn.Commit();
      return int64_t{n};
    });
  }

  Result<std::map<std::string, int64_t>> CountJobsByStatus() override {
    return Guard([&]() -> Result<std::map<std::string, int64_t>> {
      return readers_.With([](Connection& c) {
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

  Status InsertJob(const Job& job) override {
    return Write([&] { jobs::Insert(writer_, job); });
  }

  Result<int64_t> CountUnfinishedJobs(const std::string& tenant_id) override {
    return Guard([&]() -> Result<int64_t> {
      return readers_.With([&](Connection& c) { return jobs::CountUnfinished(c, tenant_id); });
    });
  }

  Result<std::optional<Job>> ClaimJob(const std::string& worker_id, UnixMs now,
                                      int64_t lease_ms) override {
    return InWriteTxn([&]() -> Result<std::optional<Job>> {
      return jobs::Claim(writer_, worker_id, now, lease_ms);
    });
  }

  Result<bool> HeartbeatJob(const std::string& job_id, const std::string& worker_id,
                            const JobProgress& progress, UnixMs now, int64_t lease_ms) override {
    return InWriteTxn([&]() -> Result<bool> {
      auto cancel = jobs::Heartbeat(writer_, job_id, worker_id, progress, now, lease_ms);
      if (!cancel) return LeaseLost();
      return *cancel;
    });
  }

  Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                     const std::string& result, const std::vector<Artifact>& artifacts,
                     const std::vector<Report>& reports, const std::vector<Event>& events,
                     UnixMs now) override {
    return InWriteTxn([&]() -> Status {
      auto q = writer_.Prepare("SELECT tenant_id FROM jobs WHERE id = ?");
      q.Bind(1, job_id);
      if (!q.Step()) return LeaseLost();
      std::string tenant = q.Text(0);
      if (!jobs::Finish(writer_, job_id, worker_id, JobStatus::kCompleted, result, now)) {
        return LeaseLost();
      }
      jobs::InsertArtifacts(writer_, job_id, tenant, artifacts, now);
      for (const auto& report : reports) {
        Report row = report;
        row.job_id = job_id;
        row.tenant_id = tenant;
        if (row.created_at == 0) row.created_at = now;
        sla::InsertReport(writer_, row);
      }
      for (const auto& e : events) sla::InsertEvent(writer_, e);
      return Ok{};
    });
  }

  Status FailJob(const std::string& job_id, const std::string& worker_id,
                 const std::string& error_result, std::optional<UnixMs> retry_at,
                 const std::vector<Event>& events, UnixMs now) override {
    return InWriteTxn([&]() -> Status {
      bool held = retry_at ? jobs::Retry(writer_, job_id, worker_id, error_result, *retry_at, now)
                           : jobs::Finish(writer_, job_id, worker_id, JobStatus::kFailed,
                                          error_result, now);
      if (!held) return LeaseLost();
      if (!retry_at) {
        for (const auto& e : events) sla::InsertEvent(writer_, e);
      }
      return Ok{};
    });
  }

  Status CancelClaimedJob(const std::string& job_id, const std::string& worker_id,
                          UnixMs now) override {
    return InWriteTxn([&]() -> Status {
      if (!jobs::Finish(writer_, job_id, worker_id, JobStatus::kCancelled, R"({"cancelled":true})",
                        now)) {
        return LeaseLost();
      }
      return Ok{};
    });
  }

  Status ReleaseJob(const std::string& job_id, const std::string& worker_id, UnixMs now) override {
    return InWriteTxn([&]() -> Status {
      if (!jobs::Release(writer_, job_id, worker_id, now)) return LeaseLost();
      return Ok{};
    });
  }

  Result<Job> RequestJobCancel(const std::string& tenant_id, const std::string& id,
                               UnixMs now) override {
    return InWriteTxn([&]() -> Result<Job> {
      auto job = jobs::RequestCancel(writer_, tenant_id, id, now);
      if (!job) return Error::NotFound("Job");
      return *job;
    });
  }

  Result<Job> GetJob(const std::string& tenant_id, const std::string& id) override {
    return Guard([&]() -> Result<Job> {
      return readers_.With([&](Connection& c) -> Result<Job> {
        auto job = jobs::Get(c, tenant_id, id);
        if (!job) return Error::NotFound("Job");
        return *job;
      });
    });
  }

  Result<Page<Job>> ListJobs(const std::string& tenant_id, std::optional<JobStatus> status,
                             const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Job>> {
      return readers_.With([&](Connection& c) { return jobs::List(c, tenant_id, status, page); });
    });
  }

  Result<std::vector<Artifact>> GetArtifacts(const std::string& tenant_id,
                                             const std::string& job_id) override {
    return Guard([&]() -> Result<std::vector<Artifact>> {
      return readers_.With([&](Connection& c) { return jobs::Artifacts(c, tenant_id, job_id); });
    });
  }

  Result<int64_t> PurgeFinishedJobs(UnixMs cutoff) override {
    return InWriteTxn([&]() -> Result<int64_t> {
      sla::FreezeRunsOfFinishedJobs(writer_, cutoff);
      return jobs::PurgeFinished(writer_, cutoff);
    });
  }

  Result<int64_t> InsertFaults(const std::vector<Fault>& faults) override {
    return InWriteTxn([&]() -> Result<int64_t> { return sla::InsertFaults(writer_, faults); });
  }

  Result<Fault> GetFault(const std::string& tenant_id, const std::string& id) override {
    return Read<Fault>("Fault", [&](Connection& c) { return sla::GetFault(c, tenant_id, id); });
  }

  Result<Page<Fault>> ListFaults(const std::string& tenant_id, const FaultFilter& filter,
                                 const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Fault>> {
      return readers_.With(
          [&](Connection& c) { return sla::ListFaults(c, tenant_id, filter, page); });
    });
  }

  Status UpdateFault(const Fault& fault) override {
    return WriteOne("Fault", [&] { return sla::UpdateFault(writer_, fault); });
  }

  Result<std::vector<Fault>> FaultsInWindow(const std::string& tenant_id,
                                            const std::vector<std::string>& site_ids,
                                            const std::string& type, UnixMs from,
                                            UnixMs to) override {
    return Guard([&]() -> Result<std::vector<Fault>> {
      return readers_.With([&](Connection& c) {
        return sla::FaultsInWindow(c, tenant_id, site_ids, type, from, to);
      });
    });
  }

  Result<std::vector<Site>> AllSites(const std::string& tenant_id) override {
    return Guard([&]() -> Result<std::vector<Site>> {
      return readers_.With([&](Connection& c) {
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
    return Write([&] { sla::InsertBusinessHours(writer_, hours); });
  }

  Result<BusinessHours> GetBusinessHours(const std::string& tenant_id,
                                         const std::string& id) override {
    return Read<BusinessHours>(
        "Business hours", [&](Connection& c) { return sla::GetBusinessHours(c, tenant_id, id); });
  }

  Result<Page<BusinessHours>> ListBusinessHours(const std::string& tenant_id,
                                                const PageRequest& page) override {
    return Guard([&]() -> Result<Page<BusinessHours>> {
      return readers_.With(
          [&](Connection& c) { return sla::ListBusinessHours(c, tenant_id, page); });
    });
  }

  Status UpdateBusinessHours(const BusinessHours& hours) override {
    return WriteOne("Business hours", [&] { return sla::UpdateBusinessHours(writer_, hours); });
  }

  Status DeleteBusinessHours(const std::string& tenant_id, const std::string& id) override {
    return InWriteTxn([&]() -> Status {
      if (sla::BusinessHoursInUse(writer_, tenant_id, id)) {
        return Error(ErrorCode::kConflict,
                     "These business hours are used by an SLA schedule; change the schedule first");
      }
      if (sla::DeleteBusinessHours(writer_, tenant_id, id) == 0) {
        return Error::NotFound("Business hours");
      }
      return Ok{};
    });
  }

  Status InsertSlaSchedule(const SlaSchedule& schedule) override {
    return Write([&] { sla::InsertSchedule(writer_, schedule); });
  }

  Result<SlaSchedule> GetSlaSchedule(const std::string& tenant_id, const std::string& id) override {
    return Read<SlaSchedule>("Schedule",
                             [&](Connection& c) { return sla::GetSchedule(c, tenant_id, id); });
  }

  Result<Page<SlaSchedule>> ListSlaSchedules(const std::string& tenant_id,
                                             const PageRequest& page) override {
    return Guard([&]() -> Result<Page<SlaSchedule>> {
      return readers_.With([&](Connection& c) { return sla::ListSchedules(c, tenant_id, page); });
    });
  }

  Status UpdateSlaSchedule(const SlaSchedule& schedule) override {
    return WriteOne("Schedule", [&] { return sla::UpdateSchedule(writer_, schedule); });
  }

  Status DeleteSlaSchedule(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Schedule", [&] { return sla::DeleteSchedule(writer_, tenant_id, id); });
  }

  Result<std::vector<SlaSchedule>> DueSlaSchedules(UnixMs now, int limit) override {
    return Guard([&]() -> Result<std::vector<SlaSchedule>> {
      return readers_.With([&](Connection& c) { return sla::DueSchedules(c, now, limit); });
    });
  }

  Result<std::vector<bool>> FireSchedules(const std::vector<ScheduleFiring>& firings) override {
    return InWriteTxn([&]() -> Result<std::vector<bool>> {
      std::vector<bool> applied;
      applied.reserve(firings.size());
      for (const auto& f : firings) {
        bool ok = f.kind == "brand"
                      ? brand::AdvanceSchedule(writer_, f.tenant_id, f.schedule_id,
                                               f.expected_next_run_at, f.new_next_run_at)
                      : sla::AdvanceSchedule(writer_, f.tenant_id, f.schedule_id,
                                             f.expected_next_run_at, f.new_next_run_at);
        applied.push_back(ok);
        if (!ok) continue;
        for (const auto& [run, job] : f.runs) {
          if (sla::InsertRun(writer_, run) && job) jobs::Insert(writer_, *job);
        }
        for (const auto& e : f.events) sla::InsertEvent(writer_, e);
      }
      return applied;
    });
  }

  Status EnqueueScheduleRun(const ScheduleRun& run, const Job& job) override {
    return InWriteTxn([&]() -> Status {
      if (!sla::InsertRun(writer_, run)) {
        return Error(ErrorCode::kConflict, "This period of the schedule already has a run");
      }
      jobs::Insert(writer_, job);
      return Ok{};
    });
  }

  Result<Page<ScheduleRun>> ListScheduleRuns(const std::string& tenant_id,
                                             const std::string& schedule_id,
                                             const PageRequest& page) override {
    return Guard([&]() -> Result<Page<ScheduleRun>> {
      return readers_.With(
          [&](Connection& c) { return sla::ListRuns(c, tenant_id, schedule_id, page); });
    });
  }

  Result<Report> GetReport(const std::string& tenant_id, const std::string& id) override {
    return Read<Report>("Report", [&](Connection& c) { return sla::GetReport(c, tenant_id, id); });
  }

  Result<Page<Report>> ListReports(const std::string& tenant_id, const ReportFilter& filter,
                                   const PageRequest& page) override {
    return Guard([&]() -> Result<Page<Report>> {
      return readers_.With(
          [&](Connection& c) { return sla::ListReports(c, tenant_id, filter, page); });
    });
  }

  Status DeleteReport(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Report", [&] { return sla::DeleteReport(writer_, tenant_id, id); });
  }

  Result<BrandFacts> GetBrandFacts(const std::string& tenant_id,
                                   const std::string& brand_id) override {
    return Read<BrandFacts>("Brand facts",
                            [&](Connection& c) { return brand::GetFacts(c, tenant_id, brand_id); });
  }

  Status PutBrandFacts(const BrandFacts& facts) override {
    return Write([&] { brand::PutFacts(writer_, facts); });
  }

  Status EnqueueFactsResearch(const std::string& tenant_id, const std::string& brand_id,
                              const Job& job, UnixMs now) override {
    return Write([&] {
      BrandFacts facts = brand::GetFacts(writer_, tenant_id, brand_id)
                             .value_or(BrandFacts{brand_id, tenant_id, "{}", "pending", now});
      facts.research_status = "pending";
      facts.updated_at = now;
      brand::PutFacts(writer_, facts);
      jobs::Insert(writer_, job);
    });
  }

  Status InsertScheduledReport(const ScheduledReport& s) override {
    return Write([&] { brand::InsertSchedule(writer_, s); });
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
      return readers_.With(
          [&](Connection& c) { return brand::ListSchedules(c, tenant_id, filter, page); });
    });
  }

  Status UpdateScheduledReport(const ScheduledReport& s) override {
    return WriteOne("Scheduled report", [&] { return brand::UpdateSchedule(writer_, s); });
  }

  Status DeleteScheduledReport(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Scheduled report",
                    [&] { return brand::DeleteSchedule(writer_, tenant_id, id); });
  }

  Result<std::vector<ScheduledReport>> DueScheduledReports(UnixMs now, int limit) override {
    return Guard([&]() -> Result<std::vector<ScheduledReport>> {
      return readers_.With([&](Connection& c) { return brand::DueSchedules(c, now, limit); });
    });
  }

  Status InsertRegionConfig(const RegionConfig& rc) override {
    return Write([&] { brand::InsertRegionConfig(writer_, rc); });
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
      return readers_.With(
          [&](Connection& c) { return brand::ListRegionConfigs(c, tenant_id, schedule_id, page); });
    });
  }

  Status UpdateRegionConfig(const RegionConfig& rc, int max_per_schedule) override {
    return InWriteTxn([&]() -> Status {
      if (rc.scheduled_report_id &&
          brand::CountRegionConfigs(writer_, rc.tenant_id, *rc.scheduled_report_id, rc.id) >=
              max_per_schedule) {
        return Error(ErrorCode::kConflict, "The scheduled report already has " +
                                               std::to_string(max_per_schedule) +
                                               " region configs, the most it can have");
      }
      if (brand::UpdateRegionConfig(writer_, rc) == 0) return Error::NotFound("Region config");
      return Ok{};
    });
  }

  Status DeleteRegionConfig(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Region config",
                    [&] { return brand::DeleteRegionConfig(writer_, tenant_id, id); });
  }

  Status InsertPrompts(const std::vector<Prompt>& prompts, int max_per_config) override {
    return InWriteTxn([&]() -> Status {
      if (prompts.empty()) return Ok{};
      const Prompt& first = prompts.front();
      int64_t existing = brand::CountPrompts(writer_, first.tenant_id, first.region_config_id);
      if (existing + static_cast<int64_t>(prompts.size()) > max_per_config) {
        return Error(ErrorCode::kConflict, "A region config holds at most " +
                                               std::to_string(max_per_config) +
                                               " prompts; it has " + std::to_string(existing));
      }
      for (const auto& p : prompts) brand::InsertPrompt(writer_, p);
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
      return readers_.With(
          [&](Connection& c) { return brand::ListPrompts(c, tenant_id, region_config_id, page); });
    });
  }

  Status UpdatePrompt(const Prompt& p) override {
    return WriteOne("Prompt", [&] { return brand::UpdatePrompt(writer_, p); });
  }

  Status DeletePrompt(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Prompt", [&] { return brand::DeletePrompt(writer_, tenant_id, id); });
  }

  Status InsertWebhookEndpoint(const WebhookEndpoint& e) override {
    return Write([&] { webhooks::InsertEndpoint(writer_, e); });
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
      return readers_.With([&](Connection& c) {
        return webhooks::ListEndpoints(c, tenant_id, owner_kind, brand_id, page);
      });
    });
  }

  Status UpdateWebhookEndpoint(const WebhookEndpoint& e) override {
    return WriteOne("Webhook endpoint", [&] { return webhooks::UpdateEndpoint(writer_, e); });
  }

  Status DeleteWebhookEndpoint(const std::string& tenant_id, const std::string& id) override {
    return WriteOne("Webhook endpoint",
                    [&] { return webhooks::DeleteEndpoint(writer_, tenant_id, id); });
  }

  Result<std::vector<Event>> PendingEvents(int limit) override {
    return Guard([&]() -> Result<std::vector<Event>> {
      return readers_.With([&](Connection& c) { return webhooks::PendingEvents(c, limit); });
    });
  }

  Result<bool> DispatchEvent(const std::string& event_id,
                             const std::vector<WebhookDelivery>& deliveries,
                             const std::vector<EmailDelivery>& emails, const std::vector<Job>& jobs,
                             UnixMs now) override {
    return InWriteTxn([&]() -> Result<bool> {
      if (!webhooks::MarkDispatched(writer_, event_id, now)) return false;
      for (const auto& job : jobs) jobs::Insert(writer_, job);
      for (const auto& d : deliveries) webhooks::InsertDelivery(writer_, d);
      for (const auto& e : emails) webhooks::InsertEmail(writer_, e);
      return true;
    });
  }

  Status InsertEmailDelivery(const EmailDelivery& d, const Job& job) override {
    return InWriteTxn([&]() -> Status {
      jobs::Insert(writer_, job);
      webhooks::InsertEmail(writer_, d);
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
      return readers_.With(
          [&](Connection& c) { return webhooks::ListEmails(c, tenant_id, report_id); });
    });
  }

  Status RecordEmailAttempt(const std::string& id, const std::string& status,
                            std::optional<int64_t> smtp_status, const std::string& error,
                            UnixMs now) override {
    return WriteOne("Delivery", [&] {
      return webhooks::RecordEmailAttempt(writer_, id, status, smtp_status, error, now);
    });
  }

  Status InsertWebhookDelivery(const WebhookDelivery& d, const Job& job) override {
    return InWriteTxn([&]() -> Status {
      jobs::Insert(writer_, job);
      webhooks::InsertDelivery(writer_, d);
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
      return readers_.With(
          [&](Connection& c) { return webhooks::ListDeliveries(c, tenant_id, endpoint_id, page); });
    });
  }

  Status RecordWebhookAttempt(const std::string& id, const std::string& status,
                              std::optional<int64_t> response_status, const std::string& error,
                              UnixMs now) override {
    return WriteOne("Delivery", [&] {
      return webhooks::RecordAttempt(writer_, id, status, response_status, error, now);
    });
  }

  Result<Artifact> GetReportArtifact(const std::string& tenant_id, const std::string& report_id,
                                     const std::string& name) override {
    return Guard([&]() -> Result<Artifact> {
      return readers_.With([&](Connection& c) -> Result<Artifact> {
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

 private:
  static Error LeaseLost() {
    return Error(ErrorCode::kConflict, "This worker no longer holds the job's lease");
  }

  // Runs `body` (returning a Result) in a write transaction, committing only when it succeeds.
  template <class F>
  auto InWriteTxn(F&& body) -> decltype(body()) {
    return Guard([&]() -> decltype(body()) {
      std::lock_guard lock(write_mu_);
      WriteTransaction txn(writer_);
      auto result = body();
      if (result.ok()) txn.Commit();
      return result;
    });
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
      return readers_.With([&](Connection& c) -> Result<T> {
        std::optional<T> row = body(c);
        if (!row) return Error::NotFound(what);
        return std::move(*row);
      });
    });
  }

  // Runs `body` in a write transaction.
  template <class F>
  Status Write(F&& body) {
    return Guard([&]() -> Status {
      std::lock_guard lock(write_mu_);
      WriteTransaction txn(writer_);
      body();
      txn.Commit();
      return Ok{};
    });
  }

  // Runs `body` (returning the number of rows changed) in a write transaction; kNotFound when it
  // changed nothing.
  template <class F>
  Status WriteOne(std::string_view what, F&& body) {
    return Guard([&]() -> Status {
      std::lock_guard lock(write_mu_);
      WriteTransaction txn(writer_);
      if (body() == 0) return Error::NotFound(what);
      txn.Commit();
      return Ok{};
    });
  }

  std::mutex write_mu_;
  Connection writer_;
  ReaderPool readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  try {
    auto store = std::make_unique<SqliteStore>(path, options);
    store->Migrate();
    return std::unique_ptr<Store>(std::move(store));
  } catch (const SqliteError& e) {
    return Error(ErrorCode::kServiceUnavailable,
                 std::string("Cannot open the SQLite database: ") + e.what());
  }
}

}  // namespace rapport::sqlite
