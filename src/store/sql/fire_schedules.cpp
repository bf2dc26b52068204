#include "fire_schedules.hpp"

#include "jobs.hpp"
#include "reports.hpp"
// COPY is PostgreSQL's own protocol: the backend's connection is asked for it directly.
#include "postgres/pg_db.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>

namespace rapport::sql::fire {
namespace {

// Connection::Prepare caches a statement by the address of its text, so a text built at run time
// (a schedule table's name spliced in) is kept here, one copy per distinct text, for the life of
// the process: a few per kind's schedule table.
const char* Interned(const std::string& text) {
  static std::mutex mu;
  static std::set<std::string> texts;
  std::lock_guard lock(mu);
  return texts.insert(text).first->c_str();
}

// `f`'s schedule table, refused unless a plain SQL name (it is spliced into statements).
const std::string& CheckedScheduleTable(const ScheduleFiring& f) {
  if (!reports::IsPlainName(f.schedule_table)) {
    throw std::invalid_argument("not a schedule table name: " + f.schedule_table);
  }
  return f.schedule_table;
}

// " AND <prefix><enabled column> = <value>", or "" when `f`'s kind has no enabled column.
std::string EnabledCondition(const ScheduleFiring& f, const std::string& prefix) {
  if (f.enabled_column.empty()) return "";
  if (!reports::IsPlainName(f.enabled_column)) {
    throw std::invalid_argument("not a column name: " + f.enabled_column);
  }
  return " AND " + prefix + f.enabled_column + " = " + std::to_string(f.enabled_value);
}

bool SameScheduleTable(const ScheduleFiring& a, const ScheduleFiring& b) {
  return a.schedule_table == b.schedule_table && a.enabled_column == b.enabled_column &&
         a.enabled_value == b.enabled_value;
}

// The statement `build(f)` makes for `f`'s schedule table, interned; `slot` is the caller's
// thread-local memo of the last one (firings come in batches of one kind).
template <class Build>
const char* StatementFor(const ScheduleFiring& f, std::optional<ScheduleFiring>& slot,
                         const char*& sql, Build build) {
  if (sql != nullptr && slot && SameScheduleTable(*slot, f)) return sql;
  sql = Interned(build(CheckedScheduleTable(f), f));
  slot = ScheduleFiring{};
  slot->schedule_table = f.schedule_table;
  slot->enabled_column = f.enabled_column;
  slot->enabled_value = f.enabled_value;
  return sql;
}

// The compare-and-set of one schedule (PostgreSQL: as AdvanceManyStatement, a row another node
// is advancing is waited for, then re-checked).
const char* AdvanceOneStatement(const ScheduleFiring& f) {
  thread_local std::optional<ScheduleFiring> slot;
  thread_local const char* sql = nullptr;
  return StatementFor(f, slot, sql, [](const std::string& table, const ScheduleFiring& g) {
    return "UPDATE " + table +
           " SET next_run_at = ?1 WHERE tenant_id = ?2 AND id = ?3 AND next_run_at = ?4" +
           EnabledCondition(g, "");
  });
}

bool AdvanceOne(Connection& c, const ScheduleFiring& f) {
  return c.Prepare(AdvanceOneStatement(f))
             .Bind(1, f.new_next_run_at)
             .Bind(2, f.tenant_id)
             .Bind(3, f.schedule_id)
             .Bind(4, f.expected_next_run_at)
             .Run() > 0;
}

// PostgreSQL's compare-and-set of many schedules of one table, one UPDATE: its WHERE is the
// compare-and-set, re-checked on the newest row version when another transaction changed the row
// meanwhile (READ COMMITTED), so a schedule another node advanced first is not advanced again. No
// separate row lock (SELECT … FOR NO KEY UPDATE SKIP LOCKED first wrote ~22% more WAL records and
// touched ~24% more buffers for 2,000 schedules): a row another node is advancing is waited for,
// the rows taken in schedule id order (the arrays are sorted) so that two nodes cannot deadlock.
const char* AdvanceManyStatement(const ScheduleFiring& f) {
  thread_local std::optional<ScheduleFiring> slot;
  thread_local const char* sql = nullptr;
  return StatementFor(f, slot, sql, [](const std::string& table, const ScheduleFiring& g) {
    return "UPDATE " + table +
           " s SET next_run_at = u.next_run_at FROM unnest(?1::text[], ?2::text[], ?3::bigint[], "
           "?4::bigint[]) WITH ORDINALITY AS u(tenant_id, id, expected, next_run_at, ord) "
           "WHERE s.id = u.id AND s.tenant_id = u.tenant_id AND s.next_run_at = u.expected" +
           EnabledCondition(g, "s.") + " RETURNING u.ord";
  });
}

std::vector<bool> AdvanceMany(Connection& c, const std::vector<ScheduleFiring>& fs) {
  std::vector<size_t> order(fs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return fs[a].schedule_id < fs[b].schedule_id; });
  std::vector<std::optional<std::string_view>> tenants, ids;
  std::vector<std::optional<int64_t>> expected, next;
  for (size_t i : order) {
    tenants.emplace_back(fs[i].tenant_id);
    ids.emplace_back(fs[i].schedule_id);
    expected.emplace_back(fs[i].expected_next_run_at);
    next.emplace_back(fs[i].new_next_run_at);
  }
  auto q = c.Prepare(AdvanceManyStatement(fs.front()));
  q.BindBlob(1, BinaryTextArray(tenants)).BindBlob(2, BinaryTextArray(ids));
  q.BindBlob(3, BinaryInt8Array(expected)).BindBlob(4, BinaryInt8Array(next));
  std::vector<bool> applied(fs.size(), false);
  while (q.Step()) {  // the 1-based positions, in `order`, of the firings applied
    int64_t ord = q.Int(0);
    if (ord >= 1 && ord <= static_cast<int64_t>(fs.size())) applied[order[ord - 1]] = true;
  }
  return applied;
}

std::vector<bool> Advance(Connection& c, const std::vector<ScheduleFiring>& fs) {
  bool one_table = std::all_of(fs.begin(), fs.end(), [&](const ScheduleFiring& f) {
    return SameScheduleTable(f, fs.front());
  });
  if (c.dialect() == Dialect::kPostgres && one_table && fs.size() > 1) return AdvanceMany(c, fs);
  std::vector<bool> applied(fs.size(), false);
  for (size_t i = 0; i < fs.size(); ++i) applied[i] = AdvanceOne(c, fs[i]);
  return applied;
}

void PutBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xff);
  }
}

// The header of a one-dimensional binary array of `n` elements of type `oid`.
std::string BinaryArrayHeader(bool has_null, uint32_t oid, size_t n, size_t reserve) {
  std::string out;
  out.reserve(20 + reserve);
  PutBigEndian(out, 1, 4);  // dimensions
  PutBigEndian(out, has_null ? 1 : 0, 4);
  PutBigEndian(out, oid, 4);
  PutBigEndian(out, n, 4);
  PutBigEndian(out, 1, 4);  // lower bound
  return out;
}

constexpr uint32_t kInt8Oid = 20;
constexpr uint32_t kTextOid = 25;
constexpr uint64_t kNullLength = 0xffffffff;  // -1

const char* kCopyRuns =
    "COPY schedule_runs (id, tenant_id, schedule_id, trigger_kind, from_date, to_date, job_id, "
    "status, error, created_at, started_at, finished_at) FROM STDIN";
const char* kCopyJobs =
    "COPY jobs (id, tenant_id, kind, payload, status, step, message, completed, total, "
    "max_attempts, run_after, created_at, updated_at, request_key) FROM STDIN";

void AppendCopyInt(std::string& row, std::optional<int64_t> value) {
  if (!value) {
    row += "\\N";
    return;
  }
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, *value).ptr;
  row.append(digits, end);
}

void AppendRunRow(std::string& data, const ScheduleRun& r) {
  for (const std::string* text : {&r.id, &r.tenant_id, &r.schedule_id, &r.trigger, &r.from_date,
                                  &r.to_date, &r.job_id, &r.status, &r.error}) {
    AppendCopyField(data, text == &r.job_id && text->empty()
                              ? std::nullopt
                              : std::optional<std::string_view>(*text));
    data += '\t';
  }
  AppendCopyInt(data, r.created_at);
  data += '\t';
  AppendCopyInt(data, r.started_at);
  data += '\t';
  AppendCopyInt(data, r.finished_at);
  data += '\n';
}

void AppendJobRow(std::string& data, const Job& j) {
  for (std::string_view text :
       {std::string_view(j.id), std::string_view(j.tenant_id), std::string_view(j.kind),
        std::string_view(j.payload), JobStatusName(j.status), std::string_view(j.step),
        std::string_view(j.message)}) {
    AppendCopyField(data, text);
    data += '\t';
  }
  for (int64_t value :
       {j.completed, j.total, int64_t{j.max_attempts}, j.run_after, j.created_at, j.updated_at}) {
    AppendCopyInt(data, value);
    data += '\t';
  }
  AppendCopyField(
      data, j.request_key.empty() ? std::nullopt : std::optional<std::string_view>(j.request_key));
  data += '\n';
}

// Rows a piece of COPY data (~100 KB of jobs): the server parses one while the next is written.
constexpr size_t kRowsAPiece = 400;

size_t Pieces(size_t rows) { return (rows + kRowsAPiece - 1) / kRowsAPiece; }

// The runs, then the jobs of those inserted: PostgreSQL by COPY under a savepoint, the runs again
// with ON CONFLICT DO NOTHING when a period already has a run; SQLite a statement per row.
void InsertRunsAndJobs(Connection& w, const std::vector<const ScheduleRun*>& runs,
                       const std::vector<const Job*>& run_jobs) {
  auto* pg = dynamic_cast<pg::Connection*>(&w);
  std::vector<bool> inserted(runs.size(), true);
  if (pg == nullptr || runs.size() < 2) {
    inserted = reports::InsertRuns(w, runs);
  } else {
    w.Exec("SAVEPOINT fire_runs");
    try {  // the savepoint ends with the transaction
      pg->CopyIn(kCopyRuns, Pieces(runs.size()), [&](size_t piece, std::string& rows) {
        for (size_t i = piece * kRowsAPiece; i < std::min(runs.size(), (piece + 1) * kRowsAPiece);
             ++i) {
          AppendRunRow(rows, *runs[i]);
        }
      });
    } catch (const DbError& e) {
      if (e.ToError().code() != ErrorCode::kConflict) throw;
      w.Exec("ROLLBACK TO SAVEPOINT fire_runs");
      inserted = reports::InsertRuns(w, runs);
    }
  }
  std::vector<const Job*> js;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (inserted[i] && run_jobs[i] != nullptr) js.push_back(run_jobs[i]);
  }
  if (pg == nullptr || js.size() < 2) {
    for (const Job* j : js) jobs::Insert(w, *j);
    return;
  }
  pg->CopyIn(kCopyJobs, Pieces(js.size()), [&](size_t piece, std::string& rows) {
    for (size_t i = piece * kRowsAPiece; i < std::min(js.size(), (piece + 1) * kRowsAPiece); ++i) {
      AppendJobRow(rows, *js[i]);
    }
  });
}

}  // namespace

std::string BinaryTextArray(const std::vector<std::optional<std::string_view>>& items) {
  size_t bytes = 0;
  bool has_null = false;
  for (const auto& item : items) {
    bytes += 4 + (item ? item->size() : 0);
    has_null = has_null || !item;
  }
  std::string out = BinaryArrayHeader(has_null, kTextOid, items.size(), bytes);
  for (const auto& item : items) {
    PutBigEndian(out, item ? item->size() : kNullLength, 4);
    if (item) out.append(*item);
  }
  return out;
}

std::string BinaryInt8Array(const std::vector<std::optional<int64_t>>& items) {
  bool has_null = std::any_of(items.begin(), items.end(), [](const auto& v) { return !v; });
  std::string out = BinaryArrayHeader(has_null, kInt8Oid, items.size(), items.size() * 12);
  for (const auto& item : items) {
    PutBigEndian(out, item ? 8 : kNullLength, 4);
    if (item) PutBigEndian(out, static_cast<uint64_t>(*item), 8);
  }
  return out;
}

void AppendCopyField(std::string& row, std::optional<std::string_view> field) {
  if (!field) {
    row += "\\N";
    return;
  }
  const char* from = field->data();
  const char* end = from + field->size();
  const char* at = from;
  // Eight bytes at a time while none is a backslash or below 0x0e (tab, newline and carriage
  // return are): nearly every field is plain.
  constexpr uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  for (; end - at >= 8; at += 8) {
    uint64_t word;
    std::memcpy(&word, at, 8);
    uint64_t backslash = word ^ (kOnes * '\\');
    uint64_t flags = ((backslash - kOnes) & ~backslash) | ((word - kOnes * 0x0e) & ~word);
    if ((flags & kHighs) != 0) break;
  }
  for (; at != end; ++at) {
    char escaped = *at == '\\'   ? '\\'
                   : *at == '\t' ? 't'
                   : *at == '\n' ? 'n'
                   : *at == '\r' ? 'r'
                                 : 0;
    if (escaped == 0) continue;
    row.append(from, static_cast<size_t>(at - from)).append(1, '\\').append(1, escaped);
    from = at + 1;
  }
  row.append(from, static_cast<size_t>(end - from));
}

std::vector<bool> Fire(Connection& w, const std::vector<ScheduleFiring>& firings) {
  std::vector<bool> applied = Advance(w, firings);
  std::vector<const ScheduleRun*> runs;
  std::vector<const Job*> run_jobs;
  for (size_t i = 0; i < firings.size(); ++i) {
    if (!applied[i]) continue;
    for (const auto& [run, job] : firings[i].runs) {
      runs.push_back(&run);
      run_jobs.push_back(job ? &*job : nullptr);
    }
  }
  InsertRunsAndJobs(w, runs, run_jobs);
  for (size_t i = 0; i < firings.size(); ++i) {
    if (!applied[i]) continue;
    for (const auto& e : firings[i].events) reports::InsertEvent(w, e);
  }
  return applied;
}

}  // namespace rapport::sql::fire
