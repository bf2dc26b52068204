// Store over the shared SQL layer: each method runs its queries on a connection the backend
// hands out, reads outside transactions, writes in one transaction each. This file: health,
// idempotency keys and rate windows; the other concerns are in sql_store_<concern>.cpp (see
// sql_store_impl.hpp and sql_store_kinds.hpp).
#include "audit_backend.hpp"
#include "sql_store_kinds.hpp"

namespace rapport::sql {

Status SqlStoreCore::CheckReady() {
  RAPPORT_TRY(int version, SchemaVersion());
  if (version < backend_->LatestMigration()) {
    return Error(ErrorCode::kServiceUnavailable, "Database migrations are not applied");
  }
  return Ok{};
}

Result<int> SqlStoreCore::SchemaVersion() {
  return Guard([&]() -> Result<int> {
    return WithReader([](Connection& c) {
      auto q = c.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      q.Step();
      return static_cast<int>(q.Int(0));
    });
  });
}

Result<IdempotencyClaim> SqlStoreCore::ClaimIdempotencyKey(const IdempotencyKey& key, UnixMs now,
                                                           int64_t stale_after_ms) {
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

Status SqlStoreCore::CompleteIdempotencyKey(const IdempotencyKey& key, int status,
                                            const std::string& body, UnixMs now) {
  return WriteTxn([&](Connection& w) {
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

Status SqlStoreCore::RefreshIdempotencyKeys(const std::vector<IdempotencyKey>& keys, UnixMs now) {
  if (keys.empty()) return Ok{};
  return WriteTxn([&](Connection& w) {
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

Status SqlStoreCore::ReleaseIdempotencyKey(const IdempotencyKey& key) {
  return WriteTxn([&](Connection& w) {
    w.Prepare(
         "DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ? AND state = "
         "'started'")
        .Bind(1, key.tenant_id)
        .Bind(2, key.key)
        .Run();
  });
}

Result<int64_t> SqlStoreCore::PurgeIdempotencyKeys(UnixMs cutoff) {
  return InWriteTxn([&](Connection& w) -> Result<int64_t> {
    return int64_t{
        w.Prepare("DELETE FROM idempotency_keys WHERE created_at < ?").Bind(1, cutoff).Run()};
  });
}

Result<int64_t> SqlStoreCore::CountRateWindow(const std::string& key, int64_t minute) {
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

Result<int64_t> SqlStoreCore::PeekRateWindow(const std::string& key, int64_t minute) {
  return Guard([&]() -> Result<int64_t> {
    return WithReader([&](Connection& c) -> int64_t {
      auto q = c.Prepare("SELECT calls FROM rate_windows WHERE key = ?1 AND minute = ?2");
      q.Bind(1, key).Bind(2, minute);
      return q.Step() ? q.Int(0) : 0;
    });
  });
}

Result<int64_t> SqlStoreCore::PurgeRateWindows(int64_t minute) {
  return InWriteTxn(
      [&](Connection& w) -> Result<int64_t> {
        return int64_t{
            w.Prepare("DELETE FROM rate_windows WHERE minute < ?").Bind(1, minute).Run()};
      },
      Isolation::kSingleStatements);
}

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Backend> backend) {
  return std::make_unique<SqlStore>(MakeAuditingBackend(std::move(backend)));
}

}  // namespace rapport::sql
