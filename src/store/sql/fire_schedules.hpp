// The statements of ScheduleRunStore::FireSchedules, in the caller's write transaction: the
// compare-and-set that advances each due schedule in its kind's table, then the runs of the
// schedules advanced, the jobs of the runs inserted and the missed-run events.
//   SQLite: a statement per row (in-process: no round trips to save).
//   PostgreSQL, a batch of one kind: one UPDATE … FROM unnest of binary array parameters (its
//   WHERE is the compare-and-set, so a schedule another node advanced first is left alone), then
//   the runs and the jobs by COPY, the server's fastest bulk path; when a period of the batch
//   already has a run, the runs go in again skipping those periods (INSERT … ON CONFLICT).
#pragma once

#include "sql_db.hpp"

#include <rapport/store/records.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::sql::fire {

// Applies `firings`; result[i] is whether firings[i]'s compare-and-set applied (next_run_at was
// still expected_next_run_at and the schedule still enabled), and then its runs (those whose
// period had none), the jobs of those runs and its events were written. Throws DbError, and
// std::invalid_argument unless every schedule table and enabled column is reports::IsPlainName.
std::vector<bool> Fire(Connection& w, const std::vector<ScheduleFiring>& firings);

// One-dimensional arrays in PostgreSQL's binary format (what array_recv reads), bound with
// Statement::BindBlob to a parameter cast to `text[]` / `bigint[]`: the server copies them in
// without parsing array literals.
std::string BinaryTextArray(const std::vector<std::optional<std::string_view>>& items);
std::string BinaryInt8Array(const std::vector<std::optional<int64_t>>& items);

// Appends `field` to a row of COPY's text format: backslash, tab, newline and carriage return
// escaped; nullopt is \N.
void AppendCopyField(std::string& row, std::optional<std::string_view> field);

}  // namespace rapport::sql::fire
