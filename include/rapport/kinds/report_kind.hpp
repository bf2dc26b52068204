// A report kind as rapportd runs it: its name, the job handlers it registers, the firing of its
// schedules and its routes. rapportd holds its kinds in one list (MakeReportKinds in
// src/app/server_app.cpp) and never names one beyond that list; the job engine, the scheduler,
// the API, reports and delivery see only this interface. "Adding a report kind" in
// docs/ARCHITECTURE.md walks through a third one (tests/example_kind/).
#pragma once

#include <rapport/api/api.hpp>
#include <rapport/api/kind_routes.hpp>
#include <rapport/api/router.hpp>
#include <rapport/core/result.hpp>
#include <rapport/jobs/job_engine.hpp>

#include <memory>
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
};

using ReportKinds = std::vector<std::unique_ptr<ReportKind>>;

// Hands `kinds`' routes and job scopes to the Api built from `config`; the kinds must outlive it.
inline void AddKindsToApi(const ReportKinds& kinds, api::ApiConfig& config) {
  for (const auto& kind : kinds) {
    ReportKind* k = kind.get();
    config.route_sets.push_back(
        [k](api::Router& router, const api::RouteEnv& env) { k->AddRoutes(router, env); });
    for (auto& scope : k->JobScopes()) config.job_scopes.push_back(std::move(scope));
  }
}

}  // namespace rapport
