// The SLA report's e-mail (the SLA kind's EmailComposer): what its schedule's recipients read.
#pragma once

#include <rapport/delivery/email.hpp>

#include <boost/json/object.hpp>

namespace rapport {

// The content for SLA report JSON `report`: subject "SLA report <schedule>, <from> to <to>:
// <uptime> %", a text and HTML summary (period, overall uptime against the target, the sites
// breaching it, lowest uptime first, at most 10 named) and the PDF's name
// "sla-report-<from>-to-<to>.pdf". Missing fields read as empty text or "–".
EmailContent SlaReportEmail(const boost::json::object& report);

}  // namespace rapport
