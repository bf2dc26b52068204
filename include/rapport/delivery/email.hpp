// E-mail delivery of reports to the recipients their kind names, over SMTP with libcurl.
//
// When an event whose owner type names e-mail recipients is dispatched (webhooks.hpp), the
// dispatcher creates one delivery and one `email_delivery` job per recipient, in the transaction
// that dispatches the event. The job sends a multipart message, the report kind's summary (text
// and HTML, from the composer the kind registers) with the report's stored PDF attached, and
// records the server's true answer: 250 is delivered, a 5xx reply fails the delivery at once,
// anything else is retried with backoff.
#pragma once

#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rapport {

struct SmtpSettings {
  // "smtp://host:587" (STARTTLS) or "smtps://host:465" (TLS); empty: e-mail is off and reports
  // say their recipients were skipped.
  std::string url;
  std::string username;
  std::string password;  // never logged
  std::string from = "Rapport <rapport@localhost>";
  bool require_tls = true;  // smtp:// must upgrade with STARTTLS (off only for a local relay)
  long timeout_ms = 30'000;
  int max_attempts = 10;
  RetryPolicy retry{60'000, 3'600'000};

  bool enabled() const { return !url.empty(); }
};

// A file attached to a report's e-mail: a stored artifact of the report (its PDF) or bytes the
// kind made from the report's JSON (an export), which must be the same for every re-send.
struct EmailAttachment {
  std::string name;          // the file name, e.g. "sla-report-….pdf"
  std::string content_type;  // e.g. "application/pdf"
  std::string artifact;      // non-empty: the report's artifact of this name ("report.pdf")
  std::string bytes;         // the content (filled from `artifact` when that is set)
};

// What a report kind says in the e-mail of one of its reports.
struct EmailContent {
  std::string subject;                       // UTF-8; encoded for the header when not plain ASCII
  std::string text;                          // the text/plain part, lines ending in CRLF
  std::string html;                          // the text/html part
  std::vector<EmailAttachment> attachments;  // in this order, after the text
};

// A report kind's e-mail: its content for a report's JSON body; an error fails the delivery at
// once (it could never be sent). Pure and thread-safe.
using EmailComposer = std::function<Result<EmailContent>(const boost::json::object& report)>;
// The composers by report kind (Report::kind).
using EmailComposers = std::map<std::string, EmailComposer, std::less<>>;

// The RFC 5322 message for one recipient: multipart/mixed of a multipart/alternative (text,
// HTML) of `content` and each attachment's `bytes`, base64, named by its `name`. `message_id`
// (the delivery id) names the message and its MIME boundaries. Deterministic for the same inputs.
std::string BuildReportEmail(const EmailContent& content, const std::string& from,
                             const std::string& to, const std::string& message_id, UnixMs date);

// The "email_delivery" job kind.
class EmailDeliveryJob final : public JobHandler {
 public:
  // `deliveries`: the delivery log; `reports`: the report and PDF sent (read only). `composers`:
  // the message of each report kind that is e-mailed; a delivery of a report of another kind
  // fails at once.
  EmailDeliveryJob(EmailDeliveryStore& deliveries, ReportStore& reports, const Clock& clock,
                   SmtpSettings settings, EmailComposers composers)
      : deliveries_(deliveries),
        reports_(reports),
        clock_(clock),
        settings_(std::move(settings)),
        composers_(std::move(composers)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  // "delivery.failed" with the report, schedule, recipient and the server's answer; it reaches
  // the endpoints of the owner type that lists the event (the one whose report was e-mailed).
  std::vector<Event> FailureEvents(const Job& job, const Error& error, UnixMs now) override;
  std::optional<RetryPolicy> Retry() const override { return settings_.retry; }

 private:
  // The message of delivery `d`; an error names why it can never be sent.
  Result<std::string> Compose(const EmailDelivery& d);

  EmailDeliveryStore& deliveries_;
  ReportStore& reports_;
  const Clock& clock_;
  SmtpSettings settings_;
  EmailComposers composers_;
};

boost::json::object EmailDeliveryToJson(const EmailDelivery& d);

// A report's e-mail deliveries as the API shows them. Thread-safe as the store is; holds
// references to `store` and `clock`, which must outlive it. `report_id` is a report of the
// tenant's that the caller has found (the report service).
class EmailDeliveryService {
 public:
  EmailDeliveryService(EmailDeliveryStore& store, const Clock& clock, SmtpSettings settings)
      : store_(store), clock_(clock), settings_(std::move(settings)) {}

  // The report's deliveries, one per recipient and re-delivery.
  Result<std::vector<EmailDelivery>> List(const std::string& tenant_id,
                                          const std::string& report_id);
  // Re-sends the report to the recipient of delivery `delivery_id` as a new delivery and job;
  // 409 without an SMTP server, 404 for a delivery of another report.
  Result<EmailDelivery> Resend(const std::string& tenant_id, const std::string& report_id,
                               const std::string& delivery_id);

 private:
  EmailDeliveryStore& store_;
  const Clock& clock_;
  SmtpSettings settings_;
};

}  // namespace rapport
