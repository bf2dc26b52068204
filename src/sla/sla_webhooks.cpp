#include <rapport/sla/sla_webhooks.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

// The recipients of a completed SLA report: its schedule's, read from the schedule's settings.
Result<EmailRecipients> ReportRecipients(SlaScheduleStore& store, const Event& event,
                                         const json::object& data) {
  EmailRecipients out;
  if (event.type != "sla_report.completed") return out;
  const auto* schedule_id = data.if_contains("schedule_id");
  const auto* report_id = data.if_contains("report_id");
  if (!schedule_id || !report_id || !schedule_id->is_string() || !report_id->is_string()) {
    return out;
  }
  auto schedule = store.GetSlaSchedule(event.tenant_id, std::string(schedule_id->as_string()));
  if (!schedule.ok()) return out;  // deleted since: nobody to send to
  boost::system::error_code ec;
  json::value settings = json::parse(schedule->settings, ec);
  const json::value* recipients =
      ec || !settings.is_object() ? nullptr : settings.as_object().if_contains("recipients");
  if (!recipients || !recipients->is_array()) return out;
  out.report_id = report_id->as_string();
  out.schedule_id = schedule_id->as_string();
  for (const auto& r : recipients->as_array()) {
    if (r.is_string()) out.recipients.emplace_back(r.as_string());
  }
  return out;
}

}  // namespace

WebhookOwnerType SlaWebhookOwner(SlaScheduleStore& store) {
  return {.kind = "sla",
          .owner_field = "",
          .events = {"sla_report.completed", "sla_report.failed", "schedule.run.missed",
                     "delivery.failed", "sla.breached", "sla.budget.exhausted"},
          .check_owner = nullptr,
          .email_recipients = [&store](const Event& event, const json::object& data) {
            return ReportRecipients(store, event, data);
          }};
}

}  // namespace rapport
