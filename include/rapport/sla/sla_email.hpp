// The SLA report's e-mail (the SLA kind's EmailComposer): what its schedule's recipients read.
#pragma once

#include <rapport/delivery/email.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace rapport {

// The content for SLA report JSON `report`: subject "SLA report <schedule>, <from> to <to>:
// <uptime> %", a text and HTML summary (period, overall uptime against the target, the sites
// breaching it, lowest uptime first, at most 10 named) and the attachments its schedule's
// `settings.attachments` names (absent: the PDF only), in the order pdf, csv, xlsx: the stored
// PDF as "sla-report-<from>-to-<to>.pdf", one CSV per export table ("…-sites.csv", "…-groups.csv",
// "…-faults.csv", "…-daily.csv"), the workbook "….xlsx" (dated by the report's `created_at`, so
// every re-send carries the same bytes). Missing fields read as empty text or "–". kInternal
// when the workbook cannot be written.
Result<EmailContent> SlaReportEmail(const boost::json::object& report);

// The report's `settings.attachments` ("pdf", "csv", "xlsx"); ["pdf"] when absent (reports of
// schedules written before attachments existed).
std::vector<std::string> SlaEmailAttachmentKinds(const boost::json::object& report);

}  // namespace rapport
