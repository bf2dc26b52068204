// A report kind as rapportd runs it: the job handlers it registers and the firing of its
// schedules. rapportd holds its kinds in one list (src/app/server_app.cpp) and never names one
// beyond that list. (A kind's routes, webhook event types, migrations and PDF renderer are still
// wired by the api, delivery and store modules; they join this interface next: issue 19.)
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/jobs/job_engine.hpp>

#include <string>

namespace rapport {

class ReportKind {
 public:
  virtual ~ReportKind() = default;
  virtual std::string Name() const = 0;
  // Registers the kind's job handlers (the report job and any helper jobs).
  virtual void RegisterJobs(JobRegistry& registry) = 0;
  // Turns the kind's due schedules into runs and jobs (one ScheduleFirer tick); returns the
  // number of jobs enqueued. Called from one thread.
  virtual Result<int64_t> FireDueSchedules() = 0;
};

}  // namespace rapport
