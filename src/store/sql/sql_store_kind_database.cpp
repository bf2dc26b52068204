// SqlStore: the report kinds' own databases (KindDatabase): the migrations of their tracks,
// their transactions and their report hooks.
#include "sql_store_impl.hpp"

#include <rapport/core/time.hpp>

namespace rapport::sql {
namespace {

using KindMigration = KindDatabase::Migration;

Status CheckVersions(const std::string& track, const std::vector<KindMigration>& migrations) {
  if (track.empty()) return Error(ErrorCode::kInternal, "A migration track needs a name");
  int last = 0;
  for (const auto& m : migrations) {
    if (m.version <= last) {
      return Error(ErrorCode::kInternal,
                   "Migrations of track '" + track +
                       "' must have versions > 0 in strictly increasing order; " +
                       std::to_string(m.version) + " follows " + std::to_string(last));
    }
    last = m.version;
  }
  return Ok{};
}

// The name `track`'s `version` was recorded with, nullopt when it was not applied.
std::optional<std::string> RecordedName(Connection& c, const std::string& track, int version) {
  auto q = c.Prepare("SELECT name FROM kind_migrations WHERE track = ?1 AND version = ?2");
  q.Bind(1, track).Bind(2, int64_t{version});
  if (!q.Step()) return std::nullopt;
  return q.Text(0);
}

void Record(Connection& c, const std::string& track, const KindMigration& m) {
  c.Prepare(
       "INSERT INTO kind_migrations (track, version, name, applied_at) VALUES (?1, ?2, ?3, ?4)")
      .Bind(1, track)
      .Bind(2, int64_t{m.version})
      .Bind(3, m.name)
      .Bind(4, SystemClock().NowMs())
      .Run();
}

}  // namespace

Status SqlStoreCore::ApplyMigrations(const std::string& track,
                                     const std::vector<KindMigration>& migrations) {
  RAPPORT_CHECK(CheckVersions(track, migrations));
  for (const auto& m : migrations) {
    RAPPORT_CHECK(InWriteTxn(
        [&](Connection& w) -> Status {
          backend_->LockMigrations(w);
          if (auto name = RecordedName(w, track, m.version)) {
            if (*name == m.name) return Ok{};
            return Error(ErrorCode::kInternal, "Migration " + std::to_string(m.version) +
                                                   " of track '" + track + "' was applied as '" +
                                                   *name + "', not '" + m.name + "'");
          }
          const std::string& text = w.dialect() == Dialect::kSqlite ? m.sqlite : m.postgres;
          w.Exec(text.c_str());
          Record(w, track, m);
          return Ok{};
        },
        Isolation::kReadCommitted));
  }
  return Ok{};
}

Status SqlStoreCore::Write(const std::function<void(Connection&)>& fn) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        fn(w);
        return Ok{};
      },
      Isolation::kReadCommitted);
}

Status SqlStoreCore::Read(const std::function<void(Connection&)>& fn) {
  return Guard([&]() -> Status {
    backend_->Read(fn);
    return Ok{};
  });
}

void SqlStoreCore::AddReportHooks(ReportHooks hooks) { report_hooks_.push_back(std::move(hooks)); }

}  // namespace rapport::sql
