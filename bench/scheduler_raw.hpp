// The scheduler benchmark's direct line to a database, SQLite or PostgreSQL, beside the store:
// seeding, counting, reading back what the scheduler wrote, and the reference (the fastest raw
// batched insert of the same rows the backend allows).
#pragma once

#include <rapport/core/time.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rapport::bench {

// One row as text columns; nullopt is SQL NULL.
using Row = std::vector<std::optional<std::string>>;

// What one tick wrote: the schedule_runs rows, the jobs rows and each schedule's new next_run_at.
struct Firing {
  std::vector<Row> runs;   // RawDb::kRunColumns
  std::vector<Row> jobs;   // RawDb::kJobColumns
  std::vector<Row> nexts;  // id, next_run_at
};

class RawDb {
 public:
  static constexpr const char* kRunColumns =
      "id, tenant_id, schedule_id, trigger_kind, from_date, to_date, job_id, status, error, "
      "created_at";
  static constexpr int kRunCount = 10;
  static constexpr const char* kJobColumns =
      "id, tenant_id, kind, payload, status, step, message, completed, total, attempts, "
      "max_attempts, run_after, created_at, updated_at";
  static constexpr int kJobCount = 14;

  virtual ~RawDb() = default;
  virtual void Exec(const std::string& sql) = 0;
  virtual std::vector<Row> Query(const std::string& sql) = 0;
  // Writes `n` SLA schedules of tenant "bench" (ids sla_<28 digits>, settings `settings`) due at
  // `due`, and the one site they select. `own_names`: each is named by its id, in its name column
  // and in its settings (where `settings` has "name":"bench"), so no two settings texts are equal.
  virtual void Seed(int n, const std::string& settings, UnixMs due, bool own_names) = 0;
  // The reference: inserts `f`'s runs and jobs and advances each schedule from `due` (a
  // compare-and-set, as the scheduler does), batched the backend's fastest way.
  virtual void Insert(const Firing& f, UnixMs due) = 0;

  // CPU seconds (user + system) each server process of this database has used so far, by pid:
  // this session's own (`own`) or every other session's. Empty for SQLite (in-process) and when
  // the server's /proc entries cannot be read (not on this machine). A diagnostic: CPU time is
  // steadier than wall time on a shared machine.
  virtual std::map<int, double> BackendCpu(bool /*own*/) { return {}; }

  int64_t Count(const std::string& sql) { return std::stoll(Query(sql).at(0).at(0).value()); }
  Firing ReadFiring();
};

// Dies (exit 1) on any failure.
std::unique_ptr<RawDb> OpenSqlite(const std::string& path);
std::unique_ptr<RawDb> OpenPostgres(const std::string& conninfo);

// Drops and creates database `name` on the cluster of `admin_url`; returns its URL.
std::string FreshPgDatabase(const std::string& admin_url, const std::string& name);

// CPU seconds the processes of `after` used since `before` (a process new in `after` from 0).
double CpuSince(const std::map<int, double>& before, const std::map<int, double>& after);

[[noreturn]] void Die(const std::string& what);

}  // namespace rapport::bench
