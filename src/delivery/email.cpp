#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/delivery/email.hpp>

#include "delivery_json.hpp"

#include <curl/curl.h>
#include <date/date.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstring>

namespace rapport {
namespace {

namespace json = boost::json;

// Standard base64 in 76-character lines (RFC 2045).
std::string Base64Lines(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out, line;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    line += kAlphabet[(n >> 18) & 63];
    line += kAlphabet[(n >> 12) & 63];
    line += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    line += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    if (line.size() >= 76) {
      out += line + "\r\n";
      line.clear();
    }
  }
  if (!line.empty()) out += line + "\r\n";
  return out;
}

// "=?UTF-8?B?…?=" for a header value that is not plain ASCII.
std::string EncodedWord(const std::string& text) {
  bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (ascii) return text;
  std::string b64 = Base64Lines(text);
  b64.erase(std::remove(b64.begin(), b64.end(), '\r'), b64.end());
  b64.erase(std::remove(b64.begin(), b64.end(), '\n'), b64.end());
  return "=?UTF-8?B?" + b64 + "?=";
}

std::string RfcDate(UnixMs ms) {
  auto tp = date::sys_time<std::chrono::seconds>(std::chrono::seconds(ms / 1000));
  return date::format("%a, %d %b %Y %H:%M:%S +0000", tp);
}

// The address inside "Name <addr>", or the whole text.
std::string AddressOf(const std::string& mailbox) {
  auto open = mailbox.find('<'), close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t left = up->data->size() - up->offset;
  size_t chunk = std::min(left, size * n);
  std::memcpy(buffer, up->data->data() + up->offset, chunk);
  up->offset += chunk;
  return chunk;
}

struct SmtpOutcome {
  bool sent = false;
  long code = 0;  // the server's last reply code
  std::string error;
};

SmtpOutcome SendMail(const SmtpSettings& s, const std::string& to, const std::string& message) {
  CURL* curl = curl_easy_init();
  if (!curl) return {false, 0, "curl_easy_init failed"};
  Upload upload{&message};
  std::string from = AddressOf(s.from);
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!s.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, s.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_USE_SSL, s.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(curl);
  SmtpOutcome out;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.code);
  out.sent = rc == CURLE_OK && out.code / 100 == 2;
  if (!out.sent) {
    out.error = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
    if (out.code > 0) out.error = "SMTP " + std::to_string(out.code) + ": " + out.error;
  }
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  return out;
}

// The message's header lines up to MIME-Version, each ending in CRLF.
std::string MessageHeaders(const std::string& from, const std::string& to,
                           const std::string& message_id, UnixMs date, const std::string& subject) {
  std::string m;
  m += "Date: " + RfcDate(date) + "\r\n";
  m += "From: " + from + "\r\n";
  m += "To: <" + to + ">\r\n";
  m += "Message-ID: <" + message_id + "@rapport>\r\n";
  m += "Subject: " + EncodedWord(subject) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  return m;
}

}  // namespace

std::string BuildReportEmail(const EmailContent& content, const std::string& from,
                             const std::string& to, const std::string& message_id, UnixMs date) {
  std::string boundary = "rapport-mixed-" + message_id;
  std::string alt = "rapport-alt-" + message_id;
  std::string m = MessageHeaders(from, to, message_id, date, content.subject);
  m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m +=
      "--" + boundary + "\r\nContent-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  m += "--" + alt + "\r\nContent-Type: text/plain; charset=utf-8\r\n" +
       "Content-Transfer-Encoding: base64\r\n\r\n" + Base64Lines(content.text);
  m += "--" + alt + "\r\nContent-Type: text/html; charset=utf-8\r\n" +
       "Content-Transfer-Encoding: base64\r\n\r\n" + Base64Lines(content.html);
  m += "--" + alt + "--\r\n";
  for (const auto& a : content.attachments) {
    m += "--" + boundary + "\r\nContent-Type: " + a.content_type + "; name=\"" + a.name +
         "\"\r\nContent-Disposition: attachment; filename=\"" + a.name + "\"\r\n" +
         "Content-Transfer-Encoding: base64\r\n\r\n" + Base64Lines(a.bytes);
  }
  m += "--" + boundary + "--\r\n";
  return m;
}

Result<std::string> EmailDeliveryJob::Compose(const EmailDelivery& d) {
  auto report = reports_.GetReport(d.tenant_id, d.report_id);
  if (!report.ok()) return Error(ErrorCode::kValidation, "The report was deleted");
  auto composer = composers_.find(report->kind);
  if (composer == composers_.end()) {
    return Error(ErrorCode::kValidation, "Reports of kind '" + report->kind + "' are not e-mailed");
  }
  auto content = composer->second(json::parse(report->body).as_object());
  if (!content.ok()) return Error(ErrorCode::kValidation, content.error().message());
  for (auto& a : content->attachments) {
    if (a.artifact.empty()) continue;
    auto stored = reports_.GetReportArtifact(d.tenant_id, d.report_id, a.artifact);
    if (!stored.ok())
      return Error(ErrorCode::kValidation,
                   "The report has no " + (a.artifact == "report.pdf" ? "PDF" : a.artifact));
    a.bytes = std::move(stored->bytes);
  }
  return BuildReportEmail(*content, settings_.from, d.recipient, d.id, clock_.NowMs());
}

Result<JobOutcome> EmailDeliveryJob::Run(JobContext& ctx) {
  const Job& job = ctx.job();
  RAPPORT_TRY(EmailDelivery d, deliveries_.GetEmailDeliveryByJob(job.id));
  auto record = [&](const std::string& status, std::optional<int64_t> code,
                    const std::string& error) {
    CountDeliveryAttempt("email", status);
    return deliveries_.RecordEmailAttempt(d.id, status, code, error, clock_.NowMs());
  };
  // A failure that cannot be logged is retried (a store error is transient), so that the
  // delivery log never keeps a settled delivery as pending.
  auto fail = [&](std::optional<int64_t> code, const std::string& error, bool permanent,
                  bool last) -> Error {
    Status logged = record(permanent || last ? "failed" : "pending", code, error);
    if (!logged.ok()) return logged.error();
    return Error(permanent ? ErrorCode::kValidation : ErrorCode::kServiceUnavailable, error);
  };
  if (!settings_.enabled()) {
    return fail(std::nullopt, "No SMTP server is configured (smtp.url)", true, true);
  }
  auto message = Compose(d);
  if (!message.ok()) return fail(std::nullopt, message.error().message(), true, true);
  SmtpOutcome sent = SendMail(settings_, d.recipient, *message);
  std::optional<int64_t> code;
  if (sent.code > 0) code = sent.code;
  if (sent.sent) {
    // Sent: not retried even if the log cannot say so (a retry would send the mail twice).
    (void)record("succeeded", code, "");
    JobOutcome outcome;
    outcome.result = json::object{{"delivery_id", d.id}, {"smtp_status", sent.code}};
    return outcome;
  }
  return fail(code, sent.error, sent.code / 100 == 5, job.attempts >= job.max_attempts);
}

std::vector<Event> EmailDeliveryJob::FailureEvents(const Job& job, const Error& error, UnixMs now) {
  auto d = deliveries_.GetEmailDeliveryByJob(job.id);
  if (!d.ok()) return {};
  json::object data{{"channel", "email"},        {"delivery_id", d->id},
                    {"report_id", d->report_id}, {"schedule_id", d->schedule_id},
                    {"recipient", d->recipient}, {"status", "failed"},
                    {"error", error.message()}};
  return {Event{NewIdAt("evt", now), job.tenant_id, "delivery.failed", ToJson(data), now}};
}

json::object EmailDeliveryToJson(const EmailDelivery& d) {
  json::object out = DeliveryJson(d, "email_delivery");
  out["report_id"] = d.report_id;
  out["schedule_id"] = d.schedule_id;
  out["recipient"] = d.recipient;
  out["smtp_status"] = d.smtp_status ? json::value(*d.smtp_status) : json::value(nullptr);
  return out;
}

}  // namespace rapport
