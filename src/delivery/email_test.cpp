// The report e-mail's MIME form, and the `email_delivery` job's choice of message by report kind.
#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/delivery/email.hpp>
#include <rapport/store/store.hpp>

#include "delivery_json.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>

namespace rapport {
namespace {

namespace json = boost::json;

std::string DecodeBase64Lines(std::string text) {
  std::erase(text, '\r');
  std::erase(text, '\n');
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  return Base64UrlDecode(text).value();
}

// The decoded body of the first MIME part of `message` with `content_type`.
std::string PartBody(const std::string& message, const std::string& content_type) {
  size_t at = message.find("Content-Type: " + content_type);
  EXPECT_NE(at, std::string::npos) << content_type;
  size_t start = message.find("\r\n\r\n", at) + 4;
  return DecodeBase64Lines(message.substr(start, message.find("--", start) - start));
}

EmailContent Content(std::string pdf) {
  return {.subject = "Report: 99 % ✓",
          .text = "Plain\r\n",
          .html = "<p>Rich</p>",
          .attachments = {{.name = "r.pdf", .content_type = "application/pdf", .bytes = pdf}}};
}
const EmailContent kContent = Content("%PDF");

TEST(ReportEmail, HeadersNameTheMessageAndEncodeAUnicodeSubject) {
  std::string m =
      BuildReportEmail(kContent, "Rapport <r@x.test>", "a@x.test", "eml_1", 1'767'225'600'000);
  EXPECT_TRUE(
      m.starts_with("Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nFrom: Rapport <r@x.test>\r\n"
                    "To: <a@x.test>\r\nMessage-ID: <eml_1@rapport>\r\nSubject: =?UTF-8?B?"));
  size_t subject = m.find("=?UTF-8?B?") + 10;
  EXPECT_EQ(DecodeBase64Lines(m.substr(subject, m.find("?=", subject) - subject)),
            kContent.subject);
  std::string plain = BuildReportEmail({.subject = "Plain"}, "f", "t", "i", 0);
  EXPECT_NE(plain.find("\r\nSubject: Plain\r\n"), std::string::npos);
}

TEST(ReportEmail, CarriesTextHtmlAndThePdfAsParts) {
  std::string m = BuildReportEmail(Content("%PDF-1.7 bytes"), "f@x.test", "a@x.test", "eml_2", 0);
  EXPECT_NE(m.find("Content-Type: multipart/mixed; boundary=\"rapport-mixed-eml_2\""),
            std::string::npos);
  EXPECT_EQ(PartBody(m, "text/plain"), "Plain\r\n");
  EXPECT_EQ(PartBody(m, "text/html"), "<p>Rich</p>");
  EXPECT_EQ(PartBody(m, "application/pdf"), "%PDF-1.7 bytes");
  EXPECT_NE(m.find("Content-Disposition: attachment; filename=\"r.pdf\""), std::string::npos);
  EXPECT_TRUE(m.ends_with("--rapport-mixed-eml_2--\r\n"));
}

TEST(ReportEmail, CarriesEveryAttachmentInOrder) {
  EmailContent c{
      .subject = "s",
      .attachments = {{.name = "a.pdf", .content_type = "application/pdf", .bytes = "P"},
                      {.name = "a-sites.csv", .content_type = "text/csv", .bytes = "x,y"},
                      {.name = "a.xlsx",
                       .content_type = "application/vnd.openxmlformats-"
                                       "officedocument.spreadsheetml.sheet",
                       .bytes = "PK"}}};
  std::string m = BuildReportEmail(c, "f@x.test", "a@x.test", "eml_3", 0);
  size_t pdf = m.find("filename=\"a.pdf\""), csv = m.find("filename=\"a-sites.csv\"");
  size_t xlsx = m.find("filename=\"a.xlsx\"");
  ASSERT_NE(xlsx, std::string::npos);
  EXPECT_LT(pdf, csv);
  EXPECT_LT(csv, xlsx);
  EXPECT_EQ(PartBody(m, "text/csv"), "x,y");
  EXPECT_NE(m.find("Content-Type: text/csv; name=\"a-sites.csv\""), std::string::npos);
}

class EmailDeliveryJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-email-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "t.db").string()}).value());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A stored report of `kind` with its PDF and one pending e-mail delivery of it; returns the
  // delivery's job, claimed.
  Job ClaimDeliveryOf(const std::string& kind) {
    UnixMs now = SystemClock().NowMs();
    Job report_job;
    report_job.id = NewId("job");
    report_job.tenant_id = "t1";
    report_job.kind = kind + "_report";
    EXPECT_TRUE(store_->InsertJob(report_job).ok());
    EXPECT_TRUE(store_->ClaimJob("w1", now, {now, 60'000}).value().has_value());
    Report r;
    r.id = NewId("rpt");
    r.tenant_id = "t1";
    r.kind = kind;
    r.job_id = report_job.id;
    r.trigger = "on_demand";
    r.from_date = r.to_date = "2026-03-01";
    r.body = R"({"name":"weekly"})";
    r.created_at = now;
    Artifact pdf{"report.pdf", "application/pdf", "%PDF"};
    EXPECT_TRUE(store_->CompleteJob(report_job.id, "w1", "{}", {pdf}, {r}, {}, now).ok());
    EmailDelivery d;
    d.id = NewId("eml");
    d.tenant_id = "t1";
    d.report_id = r.id;
    d.schedule_id = "sch_1";
    d.recipient = "a@x.test";
    d.created_at = d.updated_at = now;
    Job job = DeliveryJob("t1", "email_delivery", 3, d.id, now);
    d.job_id = job.id;
    EXPECT_TRUE(store_->InsertEmailDelivery(d, job).ok());
    delivery_id_ = d.id;
    return store_->ClaimJob("w2", now, {now, 60'000}).value().value();
  }

  Result<JobOutcome> Run(const Job& job, EmailComposers composers) {
    // Port 1 refuses at once: a message that gets as far as sending fails for a retry.
    SmtpSettings smtp{.url = "smtp://127.0.0.1:1", .require_tls = false, .timeout_ms = 5'000};
    EmailDeliveryJob handler(*store_, *store_, SystemClock(), smtp, std::move(composers));
    JobContext ctx(*store_, SystemClock(), SystemClock(), job, "w2", 60'000);
    return handler.Run(ctx);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::string delivery_id_;
};

TEST_F(EmailDeliveryJobTest, AReportOfAKindWithoutAComposerFailsAtOnce) {
  Job job = ClaimDeliveryOf("gadget");
  auto out = Run(job, {{"widget", [](const json::object&) { return EmailContent{}; }}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kValidation);  // permanent: not retried
  EXPECT_EQ(out.error().message(), "Reports of kind 'gadget' are not e-mailed");
  auto d = store_->GetEmailDelivery("t1", delivery_id_).value();
  EXPECT_EQ(d.status, "failed");
  EXPECT_EQ(d.error, "Reports of kind 'gadget' are not e-mailed");
}

TEST_F(EmailDeliveryJobTest, TheReportsKindComposesTheMessage) {
  Job job = ClaimDeliveryOf("widget");
  std::vector<json::object> composed;
  auto out = Run(job, {{"widget", [&composed](const json::object& report) {
                          composed.push_back(report);
                          return EmailContent{.subject = "s",
                                              .attachments = {{.name = "r.pdf",
                                                               .content_type = "application/pdf",
                                                               .artifact = "report.pdf"}}};
                        }}});
  ASSERT_EQ(composed.size(), 1u);
  EXPECT_EQ(composed[0], (json::object{{"name", "weekly"}}));
  ASSERT_FALSE(out.ok());  // nothing listens on port 1: retried later
  EXPECT_EQ(out.error().code(), ErrorCode::kServiceUnavailable);
  EXPECT_EQ(store_->GetEmailDelivery("t1", delivery_id_).value().status, "pending");
}

}  // namespace
}  // namespace rapport
