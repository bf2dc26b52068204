#include "brand.hpp"

#include <boost/json.hpp>

namespace rapport::sql::brand {
namespace {

namespace json = boost::json;

// The schedule plus its latest run (shared schedule_runs table, status from the job while the
// job exists).
#define SCHEDULE_SELECT                                                                     \
  "SELECT s.id, s.tenant_id, s.brand_id, s.name, s.frequency, s.is_active, s.next_run_at, " \
  "s.created_at, s.updated_at, r.created_at, COALESCE(j.status, r.status), "                \
  "COALESCE(json_extract(j.result, '$.error.message'), r.error), s.missed_runs, "           \
  "s.samples_per_prompt, s.visibility_drop_threshold, s.report_retention_days "             \
  "FROM scheduled_reports s "                                                               \
  "LEFT JOIN schedule_runs r ON r.id = (SELECT id FROM schedule_runs WHERE tenant_id = "    \
  "s.tenant_id AND schedule_id = s.id ORDER BY id DESC LIMIT 1) LEFT JOIN jobs j ON "       \
  "j.tenant_id = r.tenant_id AND j.id = r.job_id "

ScheduledReport ReadSchedule(const Statement& s) {
  ScheduledReport r;
  r.id = s.Text(0);
  r.tenant_id = s.Text(1);
  r.brand_id = s.Text(2);
  r.name = s.Text(3);
  r.frequency = s.Text(4);
  r.is_active = s.Int(5) != 0;
  r.next_run_at = s.OptionalInt(6);
  r.created_at = s.Int(7);
  r.updated_at = s.Int(8);
  r.last_run_at = s.OptionalInt(9);
  r.last_run_status = s.Text(10);
  r.last_error_message = s.Text(11);
  r.missed_runs = s.Text(12);
  r.samples_per_prompt = static_cast<int>(s.Int(13));
  r.visibility_drop_threshold = s.OptionalInt(14);
  r.report_retention_days = s.OptionalInt(15);
  return r;
}

// The config plus its prompt count and its latest report.
#define CONFIG_SELECT                                                                            \
  "SELECT c.id, c.tenant_id, c.brand_id, c.scheduled_report_id, c.name, c.country, c.language, " \
  "c.location, c.ai_platforms, c.is_active, c.created_at, c.updated_at, "                        \
  "(SELECT COUNT(*) FROM prompts p WHERE p.tenant_id = c.tenant_id AND p.region_config_id = "    \
  "c.id), rep.created_at, rep.status, COALESCE(json_extract(rep.body, '$.error'), ''), "         \
  "c.samples_per_prompt "                                                                        \
  "FROM region_configs c LEFT JOIN reports rep ON rep.id = (SELECT id FROM reports WHERE "       \
  "tenant_id = c.tenant_id AND region_config_id = c.id ORDER BY id DESC LIMIT 1) "

RegionConfig ReadConfig(const Statement& s) {
  RegionConfig r;
  r.id = s.Text(0);
  r.tenant_id = s.Text(1);
  r.brand_id = s.Text(2);
  r.scheduled_report_id = s.OptionalText(3);
  r.name = s.Text(4);
  r.country = s.Text(5);
  r.language = s.Text(6);
  r.location = s.Text(7);
  json::value platforms = json::parse(s.Text(8));
  for (const auto& p : platforms.as_array()) r.ai_platforms.emplace_back(p.as_string());
  r.is_active = s.Int(9) != 0;
  r.created_at = s.Int(10);
  r.updated_at = s.Int(11);
  r.prompts_count = s.Int(12);
  r.last_run_at = s.OptionalInt(13);
  r.last_run_status = s.Text(14);
  r.last_error_message = s.Text(15);
  if (auto n = s.OptionalInt(16)) r.samples_per_prompt = static_cast<int>(*n);
  return r;
}

std::optional<int64_t> OptionalSamples(const RegionConfig& r) {
  if (!r.samples_per_prompt) return std::nullopt;
  return *r.samples_per_prompt;
}

std::string PlatformsJson(const std::vector<std::string>& platforms) {
  json::array a;
  for (const auto& p : platforms) a.emplace_back(p);
  return json::serialize(a);
}

#define PROMPT_COLUMNS \
  "id, tenant_id, region_config_id, prompt_text, category, is_enabled, created_at, updated_at"

Prompt ReadPrompt(const Statement& s) {
  return Prompt{s.Text(0), s.Text(1),     s.Text(2), s.Text(3),
                s.Text(4), s.Int(5) != 0, s.Int(6),  s.Int(7)};
}

}  // namespace

std::optional<BrandFacts> GetFacts(Connection& c, const std::string& tenant_id,
                                   const std::string& brand_id) {
  auto q = c.Prepare(
      "SELECT brand_id, tenant_id, body, research_status, updated_at FROM brand_facts "
      "WHERE tenant_id = ? AND brand_id = ?");
  q.Bind(1, tenant_id).Bind(2, brand_id);
  if (!q.Step()) return std::nullopt;
  return BrandFacts{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4)};
}

void PutFacts(Connection& c, const BrandFacts& f) {
  c.Prepare(
       "INSERT INTO brand_facts (brand_id, tenant_id, body, research_status, updated_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (brand_id) DO UPDATE SET body = ?3, "
       "research_status = ?4, updated_at = ?5 WHERE brand_facts.tenant_id = ?2")
      .Bind(1, f.brand_id)
      .Bind(2, f.tenant_id)
      .Bind(3, f.body)
      .Bind(4, f.research_status)
      .Bind(5, f.updated_at)
      .Run();
}

// The schedule's report_retention_days, written beside its other columns' statement.
static int SetRetention(Connection& c, const ScheduledReport& s) {
  return c
      .Prepare(
          "UPDATE scheduled_reports SET report_retention_days = ?1 WHERE tenant_id = ?2 AND "
          "id = ?3")
      .Bind(1, s.report_retention_days)
      .Bind(2, s.tenant_id)
      .Bind(3, s.id)
      .Run();
}

void InsertSchedule(Connection& c, const ScheduledReport& s) {
  c.Prepare(
       "INSERT INTO scheduled_reports (id, tenant_id, brand_id, name, frequency, is_active, "
       "next_run_at, created_at, updated_at, missed_runs, samples_per_prompt, "
       "visibility_drop_threshold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, s.id)
      .Bind(2, s.tenant_id)
      .Bind(3, s.brand_id)
      .Bind(4, s.name)
      .Bind(5, s.frequency)
      .Bind(6, int64_t{s.is_active})
      .Bind(7, s.next_run_at)
      .Bind(8, s.created_at)
      .Bind(9, s.updated_at)
      .Bind(10, s.missed_runs)
      .Bind(11, int64_t{s.samples_per_prompt})
      .Bind(12, s.visibility_drop_threshold)
      .Run();
  SetRetention(c, s);
}

std::optional<ScheduledReport> GetSchedule(Connection& c, const std::string& tenant_id,
                                           const std::string& id) {
  auto q = c.Prepare(SCHEDULE_SELECT "WHERE s.tenant_id = ? AND s.id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadSchedule(q);
}

Page<ScheduledReport> ListSchedules(Connection& c, const std::string& tenant_id,
                                    const ScheduledReportFilter& f, const PageRequest& page) {
  auto q = c.Prepare(SCHEDULE_SELECT
                     "WHERE s.tenant_id = ?1 AND s.brand_id = ?2 AND (s.id < ?3 OR ?3 IS NULL) "
                     "AND (s.is_active = ?4 OR ?4 IS NULL) AND (s.frequency = ?5 OR ?5 IS NULL) "
                     "AND (instr(lower(s.name), lower(?6)) > 0 OR ?6 IS NULL) "
                     "ORDER BY s.id DESC LIMIT ?7");
  q.Bind(1, tenant_id).Bind(2, f.brand_id).Bind(3, page.after_id);
  if (f.is_active) {
    q.Bind(4, int64_t{*f.is_active});
  } else {
    q.BindNull(4);
  }
  q.Bind(5, f.frequency).Bind(6, f.search).Bind(7, int64_t{page.limit} + 1);
  return ReadRows<ScheduledReport>(q, page.limit, ReadSchedule);
}

int UpdateSchedule(Connection& c, const ScheduledReport& s) {
  if (SetRetention(c, s) == 0) return 0;
  return c
      .Prepare(
          "UPDATE scheduled_reports SET name = ?, frequency = ?, is_active = ?, "
          "next_run_at = ?, updated_at = ?, missed_runs = ?, samples_per_prompt = ?, "
          "visibility_drop_threshold = ? WHERE tenant_id = ? AND id = ?")
      .Bind(1, s.name)
      .Bind(2, s.frequency)
      .Bind(3, int64_t{s.is_active})
      .Bind(4, s.next_run_at)
      .Bind(5, s.updated_at)
      .Bind(6, s.missed_runs)
      .Bind(7, int64_t{s.samples_per_prompt})
      .Bind(8, s.visibility_drop_threshold)
      .Bind(9, s.tenant_id)
      .Bind(10, s.id)
      .Run();
}

int DeleteSchedule(Connection& c, const std::string& tenant_id, const std::string& id) {
  c.Prepare(
       "UPDATE region_configs SET scheduled_report_id = NULL WHERE tenant_id = ? AND "
       "scheduled_report_id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
  return c.Prepare("DELETE FROM scheduled_reports WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

std::vector<ScheduledReport> DueSchedules(Connection& c, UnixMs now, int limit) {
  auto q = c.Prepare(
      "SELECT s.id, s.tenant_id, s.brand_id, s.name, s.frequency, s.is_active, s.next_run_at, "
      "s.created_at, s.updated_at, NULL, '', '', s.missed_runs, s.samples_per_prompt, "
      "s.visibility_drop_threshold, s.report_retention_days FROM scheduled_reports s "
      "WHERE s.is_active = 1 AND s.next_run_at IS NOT NULL AND s.next_run_at <= ? "
      "ORDER BY s.next_run_at LIMIT ?");
  q.Bind(1, now).Bind(2, int64_t{limit});
  std::vector<ScheduledReport> out;
  while (q.Step()) out.push_back(ReadSchedule(q));
  return out;
}

void InsertRegionConfig(Connection& c, const RegionConfig& r) {
  c.Prepare(
       "INSERT INTO region_configs (id, tenant_id, brand_id, scheduled_report_id, name, country, "
       "language, location, ai_platforms, is_active, created_at, updated_at, "
       "samples_per_prompt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, r.id)
      .Bind(2, r.tenant_id)
      .Bind(3, r.brand_id)
      .Bind(4, r.scheduled_report_id)
      .Bind(5, r.name)
      .Bind(6, r.country)
      .Bind(7, r.language)
      .Bind(8, r.location)
      .Bind(9, PlatformsJson(r.ai_platforms))
      .Bind(10, int64_t{r.is_active})
      .Bind(11, r.created_at)
      .Bind(12, r.updated_at)
      .Bind(13, OptionalSamples(r))
      .Run();
}

std::optional<RegionConfig> GetRegionConfig(Connection& c, const std::string& tenant_id,
                                            const std::string& id) {
  auto q = c.Prepare(CONFIG_SELECT "WHERE c.tenant_id = ? AND c.id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadConfig(q);
}

Page<RegionConfig> ListRegionConfigs(Connection& c, const std::string& tenant_id,
                                     const std::optional<std::string>& scheduled_report_id,
                                     const PageRequest& page) {
  auto q = c.Prepare(CONFIG_SELECT
                     "WHERE c.tenant_id = ?1 AND (c.id < ?2 OR ?2 IS NULL) "
                     "AND (c.scheduled_report_id = ?3 OR ?3 IS NULL) ORDER BY c.id DESC LIMIT ?4");
  q.Bind(1, tenant_id).Bind(2, page.after_id).Bind(3, scheduled_report_id);
  q.Bind(4, int64_t{page.limit} + 1);
  return ReadRows<RegionConfig>(q, page.limit, ReadConfig);
}

int64_t CountRegionConfigs(Connection& c, const std::string& tenant_id,
                           const std::string& scheduled_report_id, const std::string& except_id) {
  auto q = c.Prepare(
      "SELECT COUNT(*) FROM region_configs WHERE tenant_id = ? AND scheduled_report_id = ? "
      "AND id <> ?");
  q.Bind(1, tenant_id).Bind(2, scheduled_report_id).Bind(3, except_id);
  q.Step();
  return q.Int(0);
}

int UpdateRegionConfig(Connection& c, const RegionConfig& r) {
  return c
      .Prepare(
          "UPDATE region_configs SET scheduled_report_id = ?, name = ?, country = ?, "
          "language = ?, location = ?, ai_platforms = ?, is_active = ?, updated_at = ?, "
          "samples_per_prompt = ? WHERE tenant_id = ? AND id = ?")
      .Bind(1, r.scheduled_report_id)
      .Bind(2, r.name)
      .Bind(3, r.country)
      .Bind(4, r.language)
      .Bind(5, r.location)
      .Bind(6, PlatformsJson(r.ai_platforms))
      .Bind(7, int64_t{r.is_active})
      .Bind(8, r.updated_at)
      .Bind(9, OptionalSamples(r))
      .Bind(10, r.tenant_id)
      .Bind(11, r.id)
      .Run();
}

int DeleteRegionConfig(Connection& c, const std::string& tenant_id, const std::string& id) {
  c.Prepare("DELETE FROM prompts WHERE tenant_id = ? AND region_config_id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
  return c.Prepare("DELETE FROM region_configs WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

int64_t CountPrompts(Connection& c, const std::string& tenant_id,
                     const std::string& region_config_id) {
  auto q = c.Prepare("SELECT COUNT(*) FROM prompts WHERE tenant_id = ? AND region_config_id = ?");
  q.Bind(1, tenant_id).Bind(2, region_config_id);
  q.Step();
  return q.Int(0);
}

void InsertPrompt(Connection& c, const Prompt& p) {
  c.Prepare("INSERT INTO prompts (" PROMPT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, p.id)
      .Bind(2, p.tenant_id)
      .Bind(3, p.region_config_id)
      .Bind(4, p.prompt_text)
      .Bind(5, p.category)
      .Bind(6, int64_t{p.is_enabled})
      .Bind(7, p.created_at)
      .Bind(8, p.updated_at)
      .Run();
}

std::optional<Prompt> GetPrompt(Connection& c, const std::string& tenant_id,
                                const std::string& id) {
  auto q = c.Prepare("SELECT " PROMPT_COLUMNS " FROM prompts WHERE tenant_id = ? AND id = ?");
  q.Bind(1, tenant_id).Bind(2, id);
  if (!q.Step()) return std::nullopt;
  return ReadPrompt(q);
}

Page<Prompt> ListPrompts(Connection& c, const std::string& tenant_id,
                         const std::string& region_config_id, const PageRequest& page) {
  auto q = c.Prepare("SELECT " PROMPT_COLUMNS
                     " FROM prompts WHERE tenant_id = ?1 AND region_config_id = ?2 "
                     "AND (id < ?3 OR ?3 IS NULL) ORDER BY id DESC LIMIT ?4");
  q.Bind(1, tenant_id).Bind(2, region_config_id).Bind(3, page.after_id);
  q.Bind(4, int64_t{page.limit} + 1);
  return ReadRows<Prompt>(q, page.limit, ReadPrompt);
}

int UpdatePrompt(Connection& c, const Prompt& p) {
  return c
      .Prepare(
          "UPDATE prompts SET prompt_text = ?, category = ?, is_enabled = ?, updated_at = ? "
          "WHERE tenant_id = ? AND id = ?")
      .Bind(1, p.prompt_text)
      .Bind(2, p.category)
      .Bind(3, int64_t{p.is_enabled})
      .Bind(4, p.updated_at)
      .Bind(5, p.tenant_id)
      .Bind(6, p.id)
      .Run();
}

int DeletePrompt(Connection& c, const std::string& tenant_id, const std::string& id) {
  return c.Prepare("DELETE FROM prompts WHERE tenant_id = ? AND id = ?")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

// Written only while the job's lease is held, so a worker that lost it adds nothing.
#define HOLDS_LEASE(worker)                                            \
  "EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND lease_owner = " worker \
  " AND status = "                                                     \
  "'processing')"

int PutAnswer(Connection& c, const BrandAnswer& a, const std::string& worker_id) {
  return c
      .Prepare(
          "INSERT INTO brand_answers (job_id, region_config_id, prompt_id, platform, sample, "
          "tenant_id, status, retryable, error, model, answer, sources, latency_ms, "
          "prompt_tokens, completion_tokens, judgement, judge_prompt_tokens, "
          "judge_completion_tokens, created_at) "
          "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
          "?18, ?19 WHERE " HOLDS_LEASE("?20")
          " ON CONFLICT (job_id, region_config_id, prompt_id, platform, sample) DO UPDATE SET "
          "status = excluded.status, retryable = excluded.retryable, error = excluded.error, "
          "model = excluded.model, answer = excluded.answer, sources = excluded.sources, "
          "latency_ms = excluded.latency_ms, prompt_tokens = excluded.prompt_tokens, "
          "completion_tokens = excluded.completion_tokens, judgement = excluded.judgement, "
          "judge_prompt_tokens = excluded.judge_prompt_tokens, "
          "judge_completion_tokens = excluded.judge_completion_tokens, "
          "created_at = excluded.created_at")
      .Bind(1, a.key.job_id)
      .Bind(2, a.key.region_config_id)
      .Bind(3, a.key.prompt_id)
      .Bind(4, a.key.platform)
      .Bind(5, int64_t{a.key.sample})
      .Bind(6, a.tenant_id)
      .Bind(7, a.status)
      .Bind(8, int64_t{a.retryable})
      .Bind(9, a.error)
      .Bind(10, a.model)
      .Bind(11, a.answer)
      .Bind(12, a.sources)
      .Bind(13, a.latency_ms)
      .Bind(14, a.prompt_tokens)
      .Bind(15, a.completion_tokens)
      .Bind(16, a.judgement)
      .Bind(17, a.judge_prompt_tokens)
      .Bind(18, a.judge_completion_tokens)
      .Bind(19, a.created_at)
      .Bind(20, worker_id)
      .Run();
}

int PutJudgement(Connection& c, const BrandAnswerKey& key, const std::string& judgement,
                 int64_t prompt_tokens, int64_t completion_tokens, const std::string& worker_id) {
  return c
      .Prepare(
          "UPDATE brand_answers SET judgement = ?6, judge_prompt_tokens = ?7, "
          "judge_completion_tokens = ?8 WHERE job_id = ?1 AND region_config_id = ?2 AND "
          "prompt_id = ?3 AND platform = ?4 AND sample = ?5 AND " HOLDS_LEASE("?9"))
      .Bind(1, key.job_id)
      .Bind(2, key.region_config_id)
      .Bind(3, key.prompt_id)
      .Bind(4, key.platform)
      .Bind(5, int64_t{key.sample})
      .Bind(6, judgement)
      .Bind(7, prompt_tokens)
      .Bind(8, completion_tokens)
      .Bind(9, worker_id)
      .Run();
}

#undef HOLDS_LEASE

std::vector<BrandAnswer> ListAnswers(Connection& c, const std::string& job_id) {
  auto q = c.Prepare(
      "SELECT job_id, region_config_id, prompt_id, platform, sample, tenant_id, status, "
      "retryable, error, model, answer, sources, latency_ms, prompt_tokens, completion_tokens, "
      "judgement, judge_prompt_tokens, judge_completion_tokens, created_at FROM brand_answers "
      "WHERE job_id = ? ORDER BY region_config_id, prompt_id, platform, sample");
  q.Bind(1, job_id);
  std::vector<BrandAnswer> out;
  while (q.Step()) {
    BrandAnswer a;
    a.key = {q.Text(0), q.Text(1), q.Text(2), q.Text(3), static_cast<int>(q.Int(4))};
    a.tenant_id = q.Text(5);
    a.status = q.Text(6);
    a.retryable = q.Int(7) != 0;
    a.error = q.Text(8);
    a.model = q.Text(9);
    a.answer = q.Text(10);
    a.sources = q.Text(11);
    a.latency_ms = q.Int(12);
    a.prompt_tokens = q.Int(13);
    a.completion_tokens = q.Int(14);
    a.judgement = q.OptionalText(15);
    a.judge_prompt_tokens = q.Int(16);
    a.judge_completion_tokens = q.Int(17);
    a.created_at = q.Int(18);
    out.push_back(std::move(a));
  }
  return out;
}

void DeleteAnswersOfReport(Connection& c, const std::string& tenant_id, const std::string& id) {
  c.Prepare(
       "DELETE FROM brand_answers WHERE (job_id, region_config_id) IN (SELECT job_id, part FROM "
       "reports WHERE tenant_id = ?1 AND id = ?2 AND kind = 'brand')")
      .Bind(1, tenant_id)
      .Bind(2, id)
      .Run();
}

void DeleteAnswersOfUnfinishedRuns(Connection& c, UnixMs cutoff) {
  c.Prepare(
       "DELETE FROM brand_answers WHERE job_id IN (SELECT id FROM jobs WHERE finished_at IS NOT "
       "NULL AND finished_at < ?1 AND status <> 'completed')")
      .Bind(1, cutoff)
      .Run();
}

}  // namespace rapport::sql::brand
