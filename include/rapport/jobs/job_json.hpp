// The `/v1` JSON form of a job (seed 000: `object: "job"`), plus `progress_pct`, and of a
// schedule's run.
#pragma once

#include <rapport/store/records.hpp>

#include <boost/json/object.hpp>

namespace rapport {

boost::json::object JobToJson(const Job& job);
// A schedule's run (both families show runs this way).
boost::json::object ScheduleRunToJson(const ScheduleRun& run);

}  // namespace rapport
