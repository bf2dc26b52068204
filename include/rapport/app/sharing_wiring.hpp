// The report families rapportd lets users share (SLA reports, brand reports and a scheduled
// report's newest one), for SharingRouteSet.
#pragma once

#include <rapport/sharing/sharing_routes.hpp>
#include <rapport/store/store.hpp>

#include <vector>

namespace rapport {

// `store` must outlive the returned functions.
std::vector<SharedReportKind> SharedReportKinds(Store& store);

}  // namespace rapport
