// The brand kind on Slack and Teams: the `visibility.dropped` event of a region whose visibility
// fell by at least the scheduled report's threshold, and the chat summary of brand report events.
#pragma once

#include <rapport/delivery/webhooks.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace rapport {

// `visibility.dropped` for region report `report` (its JSON `body`, whose `trend` ends with
// this run and the run before it) when the schedule has a `visibility_drop_threshold` and the
// region's visibility is down by at least that many points from its previous run; nullopt
// otherwise. Data: report_id, brand_id, scheduled_report_id, region_config_id, region_name,
// visibility_score, previous_visibility_score, previous_report_id, drop (points), threshold,
// report_url, pdf_url.
std::optional<Event> VisibilityDroppedEvent(const std::string& tenant_id,
                                            const ScheduledReport& schedule, const Report& report,
                                            const boost::json::object& body, UnixMs now);

// The summary of report.completed and visibility.dropped (the report read from `reports`:
// visibility and its change from the region's previous run, overall and by platform, a link to
// the report's console page); nullopt for other events or a report deleted since. `reports`
// must outlive the function.
std::function<Result<std::optional<ChannelSummary>>(const Event&, const boost::json::object&)>
BrandChannelSummary(ReportStore& reports);

}  // namespace rapport
