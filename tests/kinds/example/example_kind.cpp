// The example report kind (see example_kind.hpp): its table, its schedule hook, its job and its
// routes, each on the seam a report kind plugs into.
#include "example_kind.hpp"

#include <rapport/api/pdf_reply.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/jobs/job_json.hpp>
#include <rapport/jobs/schedule_firer.hpp>
#include <rapport/reports/report_service.hpp>
#include <rapport/store/sql.hpp>

#include <cairo-pdf.h>
#include <cairo.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>

namespace rapport::example {
namespace {

namespace json = boost::json;

constexpr const char* kKind = "example";
constexpr const char* kJobKind = "example_report";
constexpr int64_t kDayMs = 86'400'000;

// ---- Data: one table of the kind's own, created by its migration -------------------------------

std::vector<KindDatabase::Migration> ExampleMigrations() {
  static constexpr const char* kSchedules =
      "CREATE TABLE example_schedules ("
      " id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, greeting TEXT NOT NULL,"
      " next_run_at BIGINT, created_at BIGINT NOT NULL);"
      "CREATE INDEX example_schedules_due ON example_schedules (next_run_at)";
  return {
      {.version = 1, .name = "example_schedules", .sqlite = kSchedules, .postgres = kSchedules}};
}

struct Schedule {
  std::string tenant_id;
  std::string id;
  std::string greeting;
  std::optional<UnixMs> next_run_at;
  UnixMs created_at = 0;
};

json::object ScheduleToJson(const Schedule& s) {
  return {{"id", s.id},
          {"greeting", s.greeting},
          {"next_run_at", s.next_run_at ? json::value(FormatRfc3339(*s.next_run_at)) : nullptr},
          {"created_at", FormatRfc3339(s.created_at)}};
}

Schedule ReadSchedule(const sql::Statement& q) {
  return {q.Text(0), q.Text(1), q.Text(2), q.OptionalInt(3), q.Int(4)};
}

// The kind's schedules, through the store's KindDatabase (SQL written once for both databases).
class Schedules {
 public:
  explicit Schedules(KindDatabase& db) : db_(db) {}

  Status Insert(const Schedule& s) {
    return db_.Write([&](sql::Connection& c) {
      c.Prepare(
           "INSERT INTO example_schedules (tenant_id, id, greeting, next_run_at, created_at) "
           "VALUES (?, ?, ?, ?, ?)")
          .Bind(1, s.tenant_id)
          .Bind(2, s.id)
          .Bind(3, s.greeting)
          .Bind(4, s.next_run_at)
          .Bind(5, s.created_at)
          .Run();
    });
  }

  // kNotFound for another tenant's or an unknown id.
  Result<Schedule> Get(const std::string& tenant_id, const std::string& id) {
    std::optional<Schedule> found;
    RAPPORT_CHECK(db_.Read([&](sql::Connection& c) {
      auto q = c.Prepare(
          "SELECT tenant_id, id, greeting, next_run_at, created_at FROM example_schedules "
          "WHERE tenant_id = ? AND id = ?");
      q.Bind(1, tenant_id).Bind(2, id);
      if (q.Step()) found = ReadSchedule(q);
    }));
    if (!found) return Error::NotFound("Schedule");
    return *found;
  }

  Result<std::vector<Schedule>> Due(UnixMs now, int limit) {
    std::vector<Schedule> due;
    RAPPORT_CHECK(db_.Read([&](sql::Connection& c) {
      auto q = c.Prepare(
          "SELECT tenant_id, id, greeting, next_run_at, created_at FROM example_schedules "
          "WHERE next_run_at <= ? ORDER BY next_run_at, id LIMIT ?");
      q.Bind(1, now).Bind(2, static_cast<int64_t>(limit));
      while (q.Step()) due.push_back(ReadSchedule(q));
    }));
    return due;
  }

 private:
  KindDatabase& db_;
};

// ---- Firing: a run a day, for the day before -------------------------------------------------

std::string DateOf(UnixMs ms) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::string JobPayload(const std::string& schedule_id, const std::string& run_id,
                       const std::string& date, const std::string& trigger) {
  return ToJson(json::object{
      {"schedule_id", schedule_id}, {"run_id", run_id}, {"date", date}, {"trigger", trigger}});
}

class Hook final : public ScheduleKindHook {
 public:
  std::string Kind() const override { return kKind; }
  std::string ScheduleTable() const override { return "example_schedules"; }
  DuePeriods Periods(const DueSchedule& schedule, UnixMs now, int cap) const override {
    DuePeriods out;
    UnixMs at = schedule.anchor;
    for (; at <= now && static_cast<int>(out.due.size()) < cap; at += kDayMs) {
      std::string day = DateOf(at - kDayMs);
      out.due.push_back({.run_at = at, .from_date = day, .to_date = day});
    }
    while (at <= now) at += kDayMs;  // beyond the cap: not run, the next one is still ahead
    out.next_run_at = at;
    return out;
  }
  ScheduledJob Job(const DueSchedule& schedule, const DuePeriod& period, const std::string& run_id,
                   UnixMs) const override {
    return {kJobKind, "Queued", JobPayload(schedule.id, run_id, period.from_date, "scheduled")};
  }
  std::string MissedEvent(const DueSchedule& schedule, const DuePeriod& period,
                          const std::string& run_id, const std::string& reason) const override {
    return ToJson(json::object{{"schedule_id", schedule.id},
                               {"run_id", run_id},
                               {"date", period.from_date},
                               {"reason", reason}});
  }
};

class Source final : public DueScheduleSource {
 public:
  explicit Source(Schedules& schedules) : schedules_(schedules) {}
  Result<std::vector<DueSchedule>> Due(UnixMs now, int limit) override {
    RAPPORT_TRY(std::vector<Schedule> due, schedules_.Due(now, limit));
    std::vector<DueSchedule> out;
    for (const auto& s : due) out.push_back({s.tenant_id, s.id, *s.next_run_at, "once", {}});
    return out;
  }
  Result<std::string> CannotStart(DueSchedule&) override { return std::string(); }

 private:
  Schedules& schedules_;
};

// ---- The report job: JSON, a one-page PDF, an event ------------------------------------------

std::string RenderPdf(const std::string& greeting, const std::string& date) {
  std::string pdf;
  auto write = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write, &pdf, 595, 842);
  cairo_t* cr = cairo_create(surface);
  cairo_set_font_size(cr, 24);
  cairo_move_to(cr, 72, 120);
  cairo_show_text(cr, (greeting + ", " + date).c_str());
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  return pdf;
}

class ReportJob final : public JobHandler {
 public:
  ReportJob(Schedules& schedules, const Clock& clock) : schedules_(schedules), clock_(clock) {}

  Result<JobOutcome> Run(JobContext& ctx) override {
    const Job& job = ctx.job();
    json::object payload = json::parse(job.payload).as_object();
    std::string schedule_id(payload.at("schedule_id").as_string());
    std::string date(payload.at("date").as_string());
    RAPPORT_TRY(Schedule schedule, schedules_.Get(job.tenant_id, schedule_id));
    if (!ctx.Progress("render", "Saying hello", 0, 1)) return Error::Internal("stopped");
    UnixMs now = clock_.NowMs();
    Report report{.id = NewIdAt("rpt", now),
                  .kind = kKind,
                  .schedule_id = schedule_id,
                  .trigger = std::string(payload.at("trigger").as_string()),
                  .from_date = date,
                  .to_date = date,
                  .body = ToJson(json::object{{"greeting", schedule.greeting}, {"date", date}})};
    Event completed{.id = NewIdAt("evt", now),
                    .tenant_id = job.tenant_id,
                    .type = "example_report.completed",
                    .payload = ToJson(json::object{
                        {"report_id", report.id}, {"schedule_id", schedule_id}, {"date", date}}),
                    .created_at = now};
    JobOutcome outcome;
    outcome.result = {{"report_id", report.id}};
    outcome.artifacts.push_back(
        {"report.pdf", "application/pdf", RenderPdf(schedule.greeting, date)});
    outcome.reports.push_back(std::move(report));
    outcome.events.push_back(std::move(completed));
    return outcome;
  }

 private:
  Schedules& schedules_;
  const Clock& clock_;
};

// ---- Routes --------------------------------------------------------------------------------

Result<Schedule> NewSchedule(const api::RequestContext& ctx) {
  BodyReader r(ctx.body.as_object(), "body");
  r.RejectUnknown({"greeting", "first_run_at"});
  auto greeting = r.String("greeting", {.required = true, .min_length = 1, .max_length = 100});
  auto first = r.String("first_run_at", {.required = true, .min_length = 1, .max_length = 40});
  std::optional<UnixMs> at = first ? ParseRfc3339(*first) : std::nullopt;
  if (first && !at) r.AddProblem("first_run_at", "must be an RFC 3339 date-time", "datetime");
  if (!r.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, r.problems());
  return Schedule{ctx.tenant(), NewIdAt("exs", ctx.now), *greeting, *at, ctx.now};
}

}  // namespace

class ExampleKind final : public ReportKind {
 public:
  ExampleKind(Store& store, const Clock& clock)
      : store_(store),
        clock_(clock),
        schedules_(store),
        source_(schedules_),
        firer_(store, source_, hook_, clock),
        reports_(store) {}

  std::string Name() const override { return kKind; }
  std::vector<KindDatabase::Migration> Migrations() const override { return ExampleMigrations(); }
  std::vector<WebhookOwnerType> WebhookOwners() const override {
    return {{.kind = kKind, .owner_field = "", .events = {"example_report.completed"}}};
  }
  void RegisterJobs(JobRegistry& registry) override {
    registry.Register(kJobKind, std::make_shared<ReportJob>(schedules_, clock_));
  }
  Result<int64_t> FireDueSchedules() override { return firer_.Tick(); }
  std::vector<api::JobScope> JobScopes() const override {
    return {{kJobKind, "read:example", "write:example"}};
  }
  void AddRoutes(api::Router& router, const api::RouteEnv& env) override {
    AddScheduleRoutes(router, env.on_enqueue);
    AddReportRoutes(router);
    api::AddWebhookFamilyRoutes(router, env.webhooks,
                                {"/example/webhooks", false,
                                 [](const api::RequestContext&) {
                                   return WebhookService::Owner{kKind, ""};
                                 }},
                                env.on_enqueue);
  }

 private:
  void AddScheduleRoutes(api::Router& router, std::function<void()> on_enqueue);
  void AddReportRoutes(api::Router& router);
  Result<Job> RunOnDemand(const api::RequestContext& ctx);

  Store& store_;
  const Clock& clock_;
  Schedules schedules_;
  Hook hook_;
  Source source_;
  ScheduleFirer firer_;
  ReportService reports_;
};

Result<Job> ExampleKind::RunOnDemand(const api::RequestContext& ctx) {
  RAPPORT_TRY(Schedule schedule, schedules_.Get(ctx.tenant(), ctx.Param("schedule_id")));
  BodyReader r(ctx.body.as_object(), "body");
  r.RejectUnknown({"date"});
  auto date = r.String("date", {.required = true, .min_length = 10, .max_length = 10});
  if (date && !ParseRfc3339(*date + "T00:00:00Z")) {
    r.AddProblem("date", "must be a date (YYYY-MM-DD)", "date");
  }
  if (!r.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, r.problems());
  RAPPORT_CHECK(CheckQueueRoom(store_, ctx.tenant(), 100, 1000));
  auto [run, job] = NewOnDemandRun(ctx.tenant(), schedule.id, {kJobKind, "Queued", ""}, *date,
                                   *date, ctx.idempotency_key, ctx.now);
  job.payload = JobPayload(schedule.id, run.id, *date, "on_demand");
  RAPPORT_CHECK(store_.EnqueueScheduleRun(run, job));
  return job;
}

void ExampleKind::AddScheduleRoutes(api::Router& router, std::function<void()> on_enqueue) {
  router.Add({.method = "POST",
              .pattern = "/example/schedules",
              .required_scope = "write:example",
              .accepts_body = true,
              .handler = [this](api::RequestContext& ctx) -> Result<api::Reply> {
                RAPPORT_TRY(Schedule s, NewSchedule(ctx));
                RAPPORT_CHECK(schedules_.Insert(s));
                return api::Reply::Json(201, ScheduleToJson(s));
              }});
  router.Add({.method = "GET",
              .pattern = "/example/schedules/{schedule_id}",
              .required_scope = "read:example",
              .handler = [this](api::RequestContext& ctx) -> Result<api::Reply> {
                RAPPORT_TRY(Schedule s, schedules_.Get(ctx.tenant(), ctx.Param("schedule_id")));
                return api::Reply::Json(200, ScheduleToJson(s));
              }});
  router.Add({.method = "POST",
              .pattern = "/example/schedules/{schedule_id}/run",
              .required_scope = "write:example",
              .accepts_body = true,
              .handler = [this, on_enqueue](api::RequestContext& ctx) -> Result<api::Reply> {
                RAPPORT_TRY(Job job, RunOnDemand(ctx));
                if (on_enqueue) on_enqueue();
                return api::Reply::Json(202, JobToJson(job));
              }});
}

void ExampleKind::AddReportRoutes(api::Router& router) {
  router.Add({.method = "GET",
              .pattern = "/example/reports/{report_id}",
              .required_scope = "read:example",
              .handler = [this](api::RequestContext& ctx) -> Result<api::Reply> {
                RAPPORT_TRY(Report report,
                            reports_.Find(ctx.tenant(), kKind, ctx.Param("report_id")));
                return api::Reply::Json(200, json::object{{"id", report.id},
                                                          {"schedule_id", report.schedule_id},
                                                          {"trigger", report.trigger},
                                                          {"date", report.from_date},
                                                          {"has_pdf", report.has_pdf},
                                                          {"body", json::parse(report.body)}});
              }});
  router.Add(
      {.method = "GET",
       .pattern = "/example/reports/{report_id}/pdf",
       .required_scope = "read:example",
       .handler = [this](api::RequestContext& ctx) -> Result<api::Reply> {
         RAPPORT_TRY(Report report, reports_.Find(ctx.tenant(), kKind, ctx.Param("report_id")));
         return api::PdfReply(ctx, reports_, report.id, "example-" + report.from_date + ".pdf");
       }});
}

std::unique_ptr<ReportKind> MakeExampleKind(Store& store, const Clock& clock) {
  return std::make_unique<ExampleKind>(store, clock);
}

}  // namespace rapport::example
