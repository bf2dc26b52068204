// The `/v1` JSON form of a job (seed 000: `object: "job"`), plus `progress_pct`.
#pragma once

#include <rapport/store/records.hpp>

#include <boost/json/object.hpp>

namespace rapport {

boost::json::object JobToJson(const Job& job);

}  // namespace rapport
