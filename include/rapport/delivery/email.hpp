// E-mail delivery of SLA reports to their schedule's recipients, over SMTP with libcurl.
//
// When an SLA report completes, the dispatcher (webhooks.hpp) creates one delivery and one
// `email_delivery` job per recipient, in the transaction that dispatches the report's event. The
// job sends a multipart message (a short text and HTML summary: period, overall uptime, breached
// sites) with the report's stored PDF attached, and records the server's true answer: 250 is
// delivered, a 5xx reply fails the delivery at once, anything else is retried with backoff.
#pragma once

#include <rapport/jobs/job_engine.hpp>
#include <rapport/store/store.hpp>

#include <boost/json/object.hpp>

#include <string>

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

// The RFC 5322 message for one recipient: multipart/mixed of a multipart/alternative (text,
// HTML) summary and the PDF, base64, as "sla-report-<from>-to-<to>.pdf". Deterministic for the
// same inputs.
std::string BuildSlaReportEmail(const boost::json::object& report, const std::string& pdf,
                                const std::string& from, const std::string& to,
                                const std::string& message_id, UnixMs date);

// The "email_delivery" job kind.
class EmailDeliveryJob final : public JobHandler {
 public:
  EmailDeliveryJob(Store& store, const Clock& clock, SmtpSettings settings)
      : store_(store), clock_(clock), settings_(std::move(settings)) {}
  Result<JobOutcome> Run(JobContext& ctx) override;
  // "delivery.failed" (to the SLA side's endpoints that subscribe to it) with the recipient and
  // the server's answer.
  std::vector<Event> FailureEvents(const Job& job, const Error& error, UnixMs now) override;
  std::optional<RetryPolicy> Retry() const override { return settings_.retry; }

 private:
  Store& store_;
  const Clock& clock_;
  SmtpSettings settings_;
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
