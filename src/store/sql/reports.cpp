#include "reports.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

namespace rapport::sql::reports {
namespace {

#define RUN_SELECT                                                                    \
  "SELECT r.id, r.tenant_id, r.schedule_id, r.trigger_kind, r.from_date, r.to_date, " \
  "COALESCE(r.job_id, ''), COALESCE(j.status, r.status), "                            \
  "COALESCE(json_extract(j.result, '$.error.message'), r.error), r.created_at, "      \
  "COALESCE(j.started_at, r.started_at), COALESCE(j.finished_at, r.finished_at) "     \
  "FROM schedule_runs r LEFT JOIN jobs j ON j.tenant_id = r.tenant_id AND j.id = r.job_id "

ScheduleRun ReadRun(const Statement& s) {
  return ScheduleRun{s.Text(0), s.Text(1), s.Text(2),         s.Text(3),
                     s.Text(4), s.Text(5), s.Text(6),         s.Text(7),
                     s.Text(8), s.Int(9),  s.OptionalInt(10), s.OptionalInt(11)};
}

#define REPORT_SELECT                                                                          \
  "SELECT r.id, r.tenant_id, r.kind, r.schedule_id, r.job_id, r.part, r.trigger_kind, "        \
  "r.from_date, r.to_date, r.body, r.created_at, r.brand_id, r.region_config_id, r.batch_id, " \
  "r.status, CASE WHEN EXISTS (SELECT 1 FROM artifacts a WHERE a.job_id = r.job_id "           \
  "AND a.name = r.part || 'report.pdf') THEN 1 ELSE 0 END FROM reports r "

Report ReadReport(const Statement& s) {
  Report r;
  r.id = s.Text(0);
  r.tenant_id = s.Text(1);
  r.kind = s.Text(2);
  r.schedule_id = s.Text(3);
  r.job_id = s.Text(4);
  r.part = s.Text(5);
  r.trigger = s.Text(6);
  r.from_date = s.Text(7);
  r.to_date = s.Text(8);
  r.body = s.Text(9);
  r.created_at = s.Int(10);
  r.brand_id = s.OptionalText(11);
  r.region_config_id = s.OptionalText(12);
  r.batch_id = s.OptionalText(13);
  r.status = s.Text(14);
  r.has_pdf = s.Int(15) != 0;
  return r;
}

}  // namespace

bool InsertRun(Connection& c, const ScheduleRun& r) {
  return c.Prepare(
              "INSERT INTO schedule_runs (id, tenant_id, schedule_id, trigger_kind, from_date, "
              "to_date, job_id, status, error, created_at, started_at, finished_at) "
              "VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
             .Bind(1, r.id)
             .Bind(2, r.tenant_id)
             .Bind(3, r.schedule_id)
             .Bind(4, r.trigger)
             .Bind(5, r.from_date)
             .Bind(6, r.to_date)
             .Bind(7, r.job_id)
             .Bind(8, r.status)
             .Bind(9, r.error)
             .Bind(10, r.created_at)
             .Bind(11, r.started_at)
             .Bind(12, r.finished_at)
             .Run() > 0;
}

Page<ScheduleRun> ListRuns(Connection& c, const std::string& tenant_id,
                           const std::string& schedule_id, const PageRequest& page) {
  auto q = c.Prepare(RUN_SELECT
                     "WHERE r.tenant_id = ?1 AND r.schedule_id = ?2 AND (r.id < ?3 OR ?3 IS NULL) "
                     "ORDER BY r.id DESC LIMIT ?4");
  q.Bind(1, tenant_id).Bind(2, schedule_id).Bind(3, page.after_id);
  q.Bind(4, int64_t{page.limit} + 1);
  return ReadRows<ScheduleRun>(q, page.limit, ReadRun);
}

void FreezeRunsOfFinishedJobs(Connection& c, UnixMs cutoff) {
  c.Prepare(
       "UPDATE schedule_runs SET status = j.status, "
       "error = COALESCE(json_extract(j.result, '$.error.message'), ''), "
       "started_at = j.started_at, finished_at = j.finished_at "
       "FROM jobs j WHERE j.tenant_id = schedule_runs.tenant_id AND j.id = schedule_runs.job_id "
       "AND j.finished_at IS NOT NULL "
       "AND j.finished_at < ?")
      .Bind(1, cutoff)
      .Run();
}

bool IsPlainName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

std::string TextArray(const std::vector<std::optional<std::string_view>>& items) {
  size_t size = 2;
  for (const auto& item : items) size += (item ? item->size() : 4) + 3;
  std::string out;
  out.reserve(size + size / 8);
  out += '{';
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    if (!item) {
      out += "NULL";
      continue;
    }
    out += '"';
    // Runs between the characters to escape appended whole (find_first_of with a two-character
    // set would cost a memchr per character).
    const char* from = item->data();
    const char* end = from + item->size();
    for (const char* at = from; at != end; ++at) {
      if (*at != '"' && *at != '\\') continue;
      out.append(from, static_cast<size_t>(at - from)).append(1, '\\');
      from = at;
    }
    out.append(from, static_cast<size_t>(end - from));
    out += '"';
  }
  out += '}';
  return out;
}

std::string IntArray(const std::vector<std::optional<int64_t>>& items) {
  std::string out;
  out.reserve(2 + items.size() * 21);
  out += '{';
  char digits[24];
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    if (!item) {
      out += "NULL";
      continue;
    }
    auto [at, ec] = std::to_chars(digits, digits + sizeof digits, *item);
    out.append(digits, at);
  }
  out += '}';
  return out;
}

namespace {

// Per key, whether a statement returned it (its first column); keys it did not send are ignored.
std::vector<bool> ReturnedKeys(Statement& q, const std::vector<std::string_view>& keys) {
  std::unordered_map<std::string_view, size_t> at;
  at.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) at.emplace(keys[i], i);
  std::vector<bool> returned(keys.size(), false);
  while (q.Step()) {
    auto found = at.find(q.Text(0));
    if (found != at.end()) returned[found->second] = true;
  }
  return returned;
}

constexpr const char* kInsertRunsPrefix =
    "INSERT INTO schedule_runs (id, tenant_id, schedule_id, trigger_kind, from_date, to_date, "
    "job_id, status, error, created_at, started_at, finished_at) "
    "SELECT * FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], "
    "?6::text[], ?7::text[], ?8::text[], ?9::text[], ?10::bigint[], ?11::bigint[], "
    "?12::bigint[])";

// The twelve array parameters of kInsertRunsPrefix for `runs`.
std::vector<std::string> RunArrays(const std::vector<const ScheduleRun*>& runs) {
  std::vector<std::vector<std::optional<std::string_view>>> text(9);
  std::vector<std::vector<std::optional<int64_t>>> ints(3);
  for (const ScheduleRun* r : runs) {
    size_t i = 0;
    for (const std::string* field :
         {&r->id, &r->tenant_id, &r->schedule_id, &r->trigger, &r->from_date, &r->to_date,
          &r->job_id, &r->status, &r->error}) {
      text[i++].emplace_back(field == &r->job_id && field->empty()
                                 ? std::nullopt
                                 : std::optional<std::string_view>(*field));
    }
    ints[0].emplace_back(r->created_at);
    ints[1].emplace_back(r->started_at);
    ints[2].emplace_back(r->finished_at);
  }
  std::vector<std::string> arrays;
  for (const auto& column : text) arrays.push_back(TextArray(column));
  for (const auto& column : ints) arrays.push_back(IntArray(column));
  return arrays;
}

Statement BindAll(Statement q, const std::vector<std::string>& arrays) {
  for (size_t i = 0; i < arrays.size(); ++i) q.Bind(static_cast<int>(i + 1), arrays[i]);
  return q;
}

}  // namespace

std::vector<bool> InsertRuns(Connection& c, const std::vector<const ScheduleRun*>& runs) {
  if (c.dialect() == Dialect::kSqlite || runs.size() < 2) {
    std::vector<bool> inserted(runs.size(), false);
    for (size_t i = 0; i < runs.size(); ++i) inserted[i] = InsertRun(c, *runs[i]);
    return inserted;
  }
  // A period that already has a run is skipped (FireSchedules' COPY found one: it comes here).
  static const std::string skipping =
      std::string(kInsertRunsPrefix) + " ON CONFLICT DO NOTHING RETURNING id";
  std::vector<std::string> arrays = RunArrays(runs);
  auto q = BindAll(c.Prepare(skipping.c_str()), arrays);
  std::vector<std::string_view> ids;
  ids.reserve(runs.size());
  for (const ScheduleRun* r : runs) ids.emplace_back(r->id);
  return ReturnedKeys(q, ids);
}

void InsertEvent(Connection& c, const Event& e) {
  c.Prepare("INSERT INTO events (id, tenant_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)")
      .Bind(1, e.id)
      .Bind(2, e.tenant_id)
      .Bind(3, e.type)
      .Bind(4, e.payload)
      .Bind(5, e.created_at)
      .Run();
}

void InsertReport(Connection& c, const Report& r) {
  c.Prepare(
       "INSERT INTO reports (id, tenant_id, kind, schedule_id, job_id, part, trigger_kind, "
       "from_date, to_date, body, created_at, brand_id, region_config_id, batch_id, status) "
       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, r.id)
      .Bind(2, r.tenant_id)
      .Bind(3, r.kind)
      .Bind(4, r.schedule_id)
      .Bind(5, r.job_id)
      .Bind(6, r.part)
      .Bind(7, r.trigger)
      .Bind(8, r.from_date)
      .Bind(9, r.to_date)
      .Bind(10, r.body)
      .Bind(11, r.created_at)
      .Bind(12, r.brand_id)
      .Bind(13, r.region_config_id)
      .Bind(14, r.batch_id)
      .Bind(15, r.status)
      .Run();
}

std::optional<Report> GetReport(Connection& c, const std::string& tenant_id,
                                const std::string& id) {
  auto q = c.Prepare(REPORT_SELECT "WHERE r.tenant_id = ? AND r.id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadReport(q);
}

std::optional<std::string> KindOf(Connection& c, const std::string& tenant_id,
                                  const std::string& id) {
  auto q = c.Prepare("SELECT kind FROM reports WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return q.Text(0);
}

Page<Report> ListReports(Connection& c, const std::string& tenant_id, const ReportFilter& f,
                         const PageRequest& page) {
  auto q = c.Prepare(REPORT_SELECT
                     "WHERE r.tenant_id = ?1 AND r.kind = ?2 AND (r.id < ?3 OR ?3 IS NULL) "
                     "AND (r.schedule_id = ?4 OR ?4 IS NULL) AND (r.brand_id = ?5 OR ?5 IS NULL) "
                     "AND (r.status = ?6 OR ?6 IS NULL) AND (r.batch_id = ?7 OR ?7 IS NULL) "
                     "AND (r.region_config_id = ?9 OR ?9 IS NULL) "
                     "ORDER BY r.id DESC LIMIT ?8");
  q.Bind(1, tenant_id).Bind(2, f.kind).Bind(3, page.after_id).Bind(4, f.schedule_id);
  q.Bind(5, f.brand_id).Bind(6, f.status).Bind(7, f.batch_id);
  q.Bind(8, int64_t{page.limit} + 1).Bind(9, f.region_config_id);
  return ReadRows<Report>(q, page.limit, ReadReport);
}

int DeleteReport(Connection& c, const std::string& tenant_id, const std::string& id) {
  c.Prepare(
       "DELETE FROM artifacts WHERE (tenant_id, job_id, name) IN "
       "(SELECT tenant_id, job_id, part || 'report.pdf' FROM reports "
       "WHERE tenant_id = ?1 AND id = ?2)")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
  return c.Prepare("DELETE FROM reports WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

}  // namespace rapport::sql::reports
