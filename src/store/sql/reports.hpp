// Queries of the store every report kind shares: reports, the runs of schedules, the outbox's
// events, and the compare-and-set that advances a kind's schedule, as functions over a connection
// of either backend. Callers open the transaction; these run the statements.
#pragma once

#include "sql_db.hpp"

#include <rapport/store/records.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace rapport::sql::reports {

// Returns false when a scheduled run for the same (schedule, period) exists.
bool InsertRun(Connection& c, const ScheduleRun& run);
Page<ScheduleRun> ListRuns(Connection& c, const std::string& tenant_id,
                           const std::string& schedule_id, const PageRequest& page);
// Copies the final status of jobs finished before `cutoff` into their runs (before the purge).
void FreezeRunsOfFinishedJobs(Connection& c, UnixMs cutoff);

// Whether `name` may be spliced into SQL as a table name: [a-z_][a-z0-9_]*.
bool IsPlainName(std::string_view name);

// PostgreSQL array literals ({"a","b",NULL} and {1,NULL}), bound as one text parameter and cast
// in the statement (`?1::text[]`, `?2::bigint[]`) to write many rows with one statement.
std::string TextArray(const std::vector<std::optional<std::string_view>>& items);
std::string IntArray(const std::vector<std::optional<int64_t>>& items);
// InsertRun of every run; result[i] is whether runs[i] was inserted. PostgreSQL: one statement.
std::vector<bool> InsertRuns(Connection& c, const std::vector<const ScheduleRun*>& runs);

void InsertEvent(Connection& c, const Event& e);

void InsertReport(Connection& c, const Report& r);
std::optional<Report> GetReport(Connection& c, const std::string& tenant_id, const std::string& id);
// The kind of a report, nullopt when the tenant has no such report.
std::optional<std::string> KindOf(Connection& c, const std::string& tenant_id,
                                  const std::string& id);
Page<Report> ListReports(Connection& c, const std::string& tenant_id, const ReportFilter& filter,
                         const PageRequest& page);
// Deletes the report and its PDF artifact; returns the number of reports deleted.
int DeleteReport(Connection& c, const std::string& tenant_id, const std::string& id);

}  // namespace rapport::sql::reports
