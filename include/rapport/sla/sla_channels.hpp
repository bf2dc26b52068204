// The SLA kind on Slack and Teams: the `sla.breached` event a completed report with breached
// sites writes, and the chat summary of the SLA side's report events.
#pragma once

#include <rapport/delivery/webhooks.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace rapport {

// `sla.breached` for completed report JSON `report` (the stored body with its "id") when any of
// its sites breached the target; nullopt otherwise. Data: report_id, schedule_id, schedule_name,
// trigger, from_date, to_date, uptime_percentage, sla_target, breached_site_count,
// breached_sites [{site_id, site_name, uptime_percentage}] (lowest uptime first), report_url,
// pdf_url.
std::optional<Event> SlaBreachedEvent(const std::string& tenant_id,
                                      const boost::json::object& report, UnixMs now);

// The summary of sla_report.completed and sla.breached (the report read from `reports`: uptime
// against the target, breached sites with their uptime, a link to the report's console page);
// nullopt for other events or a report deleted since. `reports` must outlive the function.
std::function<Result<std::optional<ChannelSummary>>(const Event&, const boost::json::object&)>
SlaChannelSummary(ReportStore& reports);

}  // namespace rapport
