// A report kind as rapportd runs it: its name, the job handlers it registers, the firing of its
// schedules and its routes. rapportd holds its kinds in one list (MakeReportKinds in
// src/app/server_app.cpp) and never names one beyond that list; the job engine, the scheduler,
// the API, reports and delivery see only this interface. "Adding a report kind" in
// docs/ARCHITECTURE.md walks through a third one (tests/example_kind/).
#pragma once

#include <rapport/api/api.hpp>
#include <rapport/api/kind_routes.hpp>
#include <rapport/api/router.hpp>
#include <rapport/core/error.hpp>
#include <rapport/core/result.hpp>
#include <rapport/delivery/email.hpp>
#include <rapport/delivery/webhooks.hpp>
#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/interfaces.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rapport {

class ReportKind {
 public:
  virtual ~ReportKind() = default;
  // The kind's name: Report::kind of its reports (e.g. "sla", "brand").
  virtual std::string Name() const = 0;
  // Registers the kind's job handlers (the report job and any helper jobs).
  virtual void RegisterJobs(JobRegistry& registry) = 0;
  // Turns the kind's due schedules into runs and jobs (one ScheduleFirer tick); returns the
  // number of jobs enqueued. Called from one thread.
  virtual Result<int64_t> FireDueSchedules() = 0;
  // Adds the kind's routes (its resources, its reports, its webhook family). Called once, while
  // the Api is built; the kind outlives the Api.
  virtual void AddRoutes(api::Router& router, const api::RouteEnv& env) = 0;
  // The side scopes of the kind's job kinds (GET/DELETE /v1/jobs/{job_id}).
  virtual std::vector<api::JobScope> JobScopes() const = 0;

  // The kind's own tables: the migrations of its track (named after the kind), applied at
  // start-up before anything runs. (The SLA and brand kinds' tables predate kind tracks: they
  // are core migrations, SQLite 1-12 and PostgreSQL 1-7.)
  virtual std::vector<KindDatabase::Migration> Migrations() const { return {}; }
  // What the store does beside the kind's reports and jobs, in their transactions (the brand
  // kind: a report's citations and its run's answers).
  virtual std::vector<ReportHooks> StoreHooks() const { return {}; }
  // Its webhook owner types: the events its endpoints may subscribe to and whose endpoints an
  // event reaches (delivery's WebhookOwners).
  virtual std::vector<WebhookOwnerType> WebhookOwners() const { return {}; }
  // The e-mail of one of its reports (subject, text, HTML, attachment name), when its reports
  // are e-mailed; the `email_delivery` job builds the message around it.
  virtual std::optional<EmailComposer> ReportEmail() const { return std::nullopt; }
  // Its own error codes beside core's catalog (listed on /docs/errors).
  virtual std::span<const ErrorSpec> ErrorSpecs() const { return {}; }
  // Runs once at start-up, after the migrations and before any job or request (the brand kind
  // backfills what earlier versions left); returns what to log ("" for nothing). A failure is
  // logged and rapportd still starts (the work is retried at the next start).
  virtual Result<std::string> Prepare() { return std::string(); }
};

using ReportKinds = std::vector<std::unique_ptr<ReportKind>>;

// Applies each kind's migrations and registers its store hooks (start-up, before serving); the
// first failing migration is the error.
inline Status InstallKinds(const ReportKinds& kinds, KindDatabase& db) {
  for (const auto& kind : kinds) {
    RAPPORT_CHECK(db.ApplyMigrations(kind->Name(), kind->Migrations()));
    for (auto& hooks : kind->StoreHooks()) db.AddReportHooks(std::move(hooks));
  }
  return Ok{};
}

// Hands `kinds`' routes, job scopes and error codes to the Api built from `config`, and their
// webhook owner types to `owners` (which the Api then uses); the kinds and `owners` must outlive
// the Api.
inline void AddKindsToApi(const ReportKinds& kinds, WebhookOwners& owners, api::ApiConfig& config) {
  for (const auto& kind : kinds) {
    ReportKind* k = kind.get();
    config.route_sets.push_back(
        [k](api::Router& router, const api::RouteEnv& env) { k->AddRoutes(router, env); });
    for (auto& scope : k->JobScopes()) config.job_scopes.push_back(std::move(scope));
    for (auto& owner : k->WebhookOwners()) owners.Add(std::move(owner));
    for (const auto& spec : k->ErrorSpecs()) config.error_specs.push_back(spec);
  }
  config.webhook_owners = &owners;
}

// The e-mail of each kind whose reports are e-mailed, by kind (the `email_delivery` job's).
inline EmailComposers KindEmails(const ReportKinds& kinds) {
  EmailComposers composers;
  for (const auto& kind : kinds) {
    if (auto email = kind->ReportEmail()) composers.emplace(kind->Name(), std::move(*email));
  }
  return composers;
}

}  // namespace rapport
