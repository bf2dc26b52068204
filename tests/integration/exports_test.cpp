// Report exports against a real rapportd (issue 22), read back by parsers that are not ours
// (export_read.py: Python's csv module, openpyxl, Python's email package): the SLA report's
// sites, groups, faults and daily tables and the brand report's results and citations as CSV
// and XLSX in both dialects, tenancy, scopes, bad parameters, the CLI, and the SLA schedule's
// e-mail attachments through a real SMTP server (aiosmtpd).
#include "delivery_peers.hpp"
#include "fake_llm.hpp"
#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class ExportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-exports-" + NewUuidV4());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Start(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env{{"RAPPORT_LLM_BASE_URL", llm_.base_url()},
                                           {"RAPPORT_LLM_API_KEY", "test-key"},
                                           {"RAPPORT_RATE_LIMIT_LLM_PER_MIN", "0"},
                                           {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"}};
    for (auto& [k, v] : extra) env[k] = v;
    server_.emplace(env);
    server_->Start();
    api_.emplace(*server_, Token("t1"));
    other_.emplace(*server_, Token("t2"));
  }

  std::string Create(const std::string& path, const std::string& body) {
    auto r = api_->Post(path, body);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  // Two sites (Lisbon down 2026-11-01 00:00-06:00 for "Fiber cut, north"; Porto up), grouped by
  // region, in an SLA schedule with `extra` settings; returns the schedule id.
  std::string SlaSchedule(const std::string& extra = "") {
    std::string lisbon =
        Create("/sites", R"({"name":"Lisbon","timezone":"UTC","tags":{"region":"eu"}})");
    std::string porto =
        Create("/sites", R"({"name":"=Porto","timezone":"UTC","tags":{"region":"eu"}})");
    Create("/faults", R"({"resource_id":")" + lisbon +
                          R"(","type":"site","severity":"HIGH","cause":"Fiber cut, north",)"
                          R"("created_at":"2026-11-01T00:00:00Z",)"
                          R"("resolved_at":"2026-11-01T06:00:00Z"})");
    return Create(
        "/reports/sla/schedules",
        R"({"name":"Exports","timezone":"UTC","disabled":true,"sites":[")" + lisbon + R"(",")" +
            porto + R"("],"grouping_rules":[{"key":"region","aggregation":"avg"}])" + extra + "}");
  }

  std::string RunSla(const std::string& schedule) {
    auto run = api_->Post("/reports/sla/schedules/" + schedule + "/run",
                          R"({"from_date":"2026-11-01","to_date":"2026-11-02"})");
    EXPECT_EQ(run.status, 202) << run.body;
    auto job = WaitJob(*api_, std::string(Json(run).at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
    return std::string(job.at("result").at("report_id").as_string());
  }

  // A brand report: one region (chatgpt, claude), two prompts, one answer citing two URLs.
  std::string BrandReport() {
    llm_.Script("Q1", "Acme Analytics leads; see https://www.alpha.example.com/start too.");
    llm_.Script("Q2", "No links, no brand.");
    std::string brand =
        Create("/v1/brands", R"({"name":"Acme Analytics","website":"https://acme.example"})");
    auto facts = api_->Send("PATCH", "/v1/brands/" + brand + "/facts",
                            R"({"description":"Analytics software"})");
    EXPECT_EQ(facts.status, 200) << facts.body;
    std::string schedule =
        Create("/v1/scheduled-reports",
               R"({"brand_id":")" + brand + R"(","name":"Weekly","frequency":"weekly"})");
    std::string config =
        Create("/v1/region-configs", R"({"brand_id":")" + brand + R"(","scheduled_report_id":")" +
                                         schedule + R"(","name":"Germany","country":"DE",)" +
                                         R"("language":"en","ai_platforms":["chatgpt","claude"]})");
    auto prompts = api_->Post("/v1/region-configs/" + config + "/prompts",
                              R"({"prompts":[{"prompt_text":"Q1 analytics"},)"
                              R"({"prompt_text":"Q2 boards"}]})");
    EXPECT_EQ(prompts.status, 201) << prompts.body;
    auto r = api_->Post("/v1/scheduled-reports/" + schedule + "/executions", "{}");
    EXPECT_EQ(r.status, 202) << r.body;
    auto job = WaitJob(*api_, std::string(Json(r).at("job_id").as_string()));
    EXPECT_EQ(job.at("status").as_string(), "completed") << json::serialize(job);
    return std::string(job.at("result").at("report_ids").at(0).as_string());
  }

  // Writes `bytes` to a file and reads it back with export_read.py `kind`.
  json::value Read(const std::string& kind, const std::string& bytes) {
    fs::path file = dir_ / (NewUuidV4() + "." + kind);
    std::ofstream(file, std::ios::binary) << bytes;
    return ReadFile(kind, file);
  }
  json::value ReadFile(const std::string& kind, const fs::path& file, const std::string& arg = "") {
    auto out =
        RunCommand("/usr/bin/python3 " + std::string(RAPPORT_TESTS_DIR) + "/export_read.py " +
                   kind + " " + file.string() + (arg.empty() ? "" : " " + arg));
    EXPECT_EQ(out.exit_code, 0) << out.err;
    return json::parse(out.out.empty() ? "null" : out.out);
  }

  // The rows of a CSV export as objects keyed by the header.
  std::vector<std::map<std::string, std::string>> CsvRows(const client::HttpResult& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    json::value csv = Read("csv", r.body);
    std::vector<std::map<std::string, std::string>> out;
    const auto& header = csv.at("header").as_array();
    for (const auto& row : csv.at("rows").as_array()) {
      std::map<std::string, std::string> m;
      for (size_t i = 0; i < header.size(); ++i) {
        m[std::string(header[i].as_string())] = row.at(i).as_string();
      }
      out.push_back(std::move(m));
    }
    return out;
  }

  // The sheet's cell in `column` (by header) of data row `row`.
  static json::object Cell(const json::value& sheet, size_t row, std::string_view column) {
    const auto& header = sheet.at("header").as_array();
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i].is_string() && header[i].as_string() == column) {
        return sheet.at("rows").at(row).at(i).as_object();
      }
    }
    ADD_FAILURE() << "no column " << column;
    return {};
  }

  static std::vector<std::string> SheetNames(const json::value& book) {
    std::vector<std::string> names;
    for (const auto& s : book.at("sheets").as_array()) names.emplace_back(s.at("name").as_string());
    return names;
  }

  fs::path dir_;
  FakeLlm llm_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_, other_;
};

TEST_F(ExportsTest, SlaReportExportsItsTablesAsCsvReadByPythonsCsvModule) {
  Start();
  std::string report = RunSla(SlaSchedule());
  std::string base = "/reports/sla/reports/" + report + "/export";
  auto sites = api_->Get(base + "?format=csv");
  EXPECT_EQ(sites.Header("content-type").value_or(""), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(sites.Header("content-disposition").value_or(""),
            "attachment; filename=\"sla-report-2026-11-01-to-2026-11-02-sites.csv\"");
  auto rows = CsvRows(sites);
  ASSERT_EQ(rows.size(), 2u);
  std::map<std::string, std::map<std::string, std::string>> by_name;
  for (auto& r : rows) by_name[r["site_name"]] = r;
  // 6 h down of 48 h; a name a spreadsheet would evaluate is defused.
  EXPECT_EQ(by_name["Lisbon"]["uptime_percentage"], "87.5");
  EXPECT_EQ(by_name["Lisbon"]["downtime_seconds"], "21600");
  EXPECT_EQ(by_name["Lisbon"]["breached"], "true");
  // Its error budget at 99.9 % of 48 h: 173 s, overspent by 21,427 s.
  EXPECT_EQ(by_name["Lisbon"]["error_budget_seconds"], "173");
  EXPECT_EQ(by_name["Lisbon"]["budget_remaining_seconds"], "-21427");
  EXPECT_EQ(by_name["Lisbon"]["budget_exhausted"], "true");
  EXPECT_EQ(by_name["Lisbon"]["tags"], "region=eu");
  EXPECT_EQ(by_name["'=Porto"]["uptime_percentage"], "100.0");

  auto faults = CsvRows(api_->Get(base + "?format=csv&table=faults"));
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0]["cause"], "Fiber cut, north");
  EXPECT_EQ(faults[0]["started_at"], "2026-11-01T00:00:00.000Z");
  EXPECT_EQ(faults[0]["downtime_seconds"], "21600");
  auto groups = CsvRows(api_->Get(base + "?format=csv&table=groups"));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["key"], "region");
  EXPECT_EQ(groups[0]["value"], "eu");
  EXPECT_EQ(groups[0]["site_count"], "2");
  EXPECT_EQ(groups[0]["error_budget_seconds"], "346");
  auto daily = CsvRows(api_->Get(base + "?format=csv&table=daily"));
  ASSERT_EQ(daily.size(), 2u);
  EXPECT_EQ(daily[0]["date"], "2026-11-01");
  EXPECT_EQ(daily[0]["uptime_percentage"], "87.5");
}

TEST_F(ExportsTest, SlaReportExportsAWorkbookReadByOpenpyxl) {
  Start();
  std::string report = RunSla(SlaSchedule());
  auto r = api_->Get("/reports/sla/reports/" + report + "/export?format=xlsx");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type").value_or(""), kXlsxType);
  EXPECT_EQ(r.Header("content-disposition").value_or(""),
            "attachment; filename=\"sla-report-2026-11-01-to-2026-11-02.xlsx\"");
  json::value book = Read("xlsx", r.body);
  EXPECT_EQ(SheetNames(book), (std::vector<std::string>{"Sites", "Groups", "Faults", "Daily"}));
  for (const auto& sheet : book.at("sheets").as_array()) {
    EXPECT_EQ(sheet.at("freeze").as_string(), "A2") << sheet.at("name");
    EXPECT_TRUE(sheet.at("header_bold").as_bool());
    EXPECT_FALSE(sheet.at("widths").as_object().empty());
  }
  const auto& sites = book.at("sheets").at(0);
  EXPECT_EQ(sites.at("header").at(0).as_string(), "site_id");
  size_t lisbon = Cell(sites, 0, "site_name").at("v") == "Lisbon" ? 0 : 1;
  auto uptime = Cell(sites, lisbon, "uptime_percentage");
  EXPECT_EQ(uptime.at("t").as_string(), "number");
  EXPECT_DOUBLE_EQ(uptime.at("v").to_number<double>(), 87.5);
  EXPECT_EQ(Cell(sites, lisbon, "fault_count").at("t").as_string(), "number");
  EXPECT_EQ(Cell(sites, lisbon, "breached").at("t").as_string(), "bool");
  EXPECT_EQ(Cell(sites, lisbon, "burn_rate").at("t").as_string(), "number");
  // XLSX strings are never formulas: the name is kept as it is.
  EXPECT_EQ(Cell(sites, 1 - lisbon, "site_name").at("v").as_string(), "=Porto");
  const auto& faults = book.at("sheets").at(2);
  auto started = Cell(faults, 0, "started_at");
  EXPECT_EQ(started.at("t").as_string(), "datetime") << started;
  EXPECT_EQ(started.at("v").as_string(), "2026-11-01T00:00:00");
  EXPECT_EQ(started.at("format").as_string(), "yyyy-mm-dd hh:mm:ss");
  EXPECT_EQ(Cell(faults, 0, "resolved_at").at("v").as_string(), "2026-11-01T06:00:00");
  auto day = Cell(book.at("sheets").at(3), 1, "date");
  EXPECT_EQ(day.at("t").as_string(), "datetime");
  EXPECT_EQ(day.at("v").as_string(), "2026-11-02T00:00:00");
  EXPECT_EQ(day.at("format").as_string(), "yyyy-mm-dd");

  // Immutable: the same bytes again, and a conditional GET answers 304.
  auto again = api_->Get("/reports/sla/reports/" + report + "/export?format=xlsx");
  EXPECT_EQ(again.body, r.body);
  std::string etag = r.Header("etag").value_or("");
  ASSERT_FALSE(etag.empty());
  auto cached = api_->Send("GET", "/reports/sla/reports/" + report + "/export?format=xlsx", "",
                           {"If-None-Match: " + etag});
  EXPECT_EQ(cached.status, 304);
  // One sheet when a table is named.
  auto one = api_->Get("/reports/sla/reports/" + report + "/export?format=xlsx&table=faults");
  EXPECT_EQ(SheetNames(Read("xlsx", one.body)), (std::vector<std::string>{"Faults"}));
}

TEST_F(ExportsTest, SlaExportChecksItsParametersTenancyAndScope) {
  Start();
  std::string report = RunSla(SlaSchedule());
  std::string base = "/reports/sla/reports/" + report + "/export";
  auto bad = api_->Get(base + "?format=pdf");
  EXPECT_EQ(bad.status, 400);
  auto body = Json(bad);
  EXPECT_EQ(body.at("code").as_string(), "parameter_invalid") << bad.body;
  EXPECT_NE(body.at("message").as_string().find("csv, xlsx"), std::string::npos) << bad.body;
  EXPECT_EQ(api_->Get(base).status, 400);
  auto table = api_->Get(base + "?format=csv&table=prompts");
  EXPECT_EQ(table.status, 400);
  EXPECT_NE(Json(table).at("message").as_string().find("sites, groups, faults, daily"),
            std::string::npos)
      << table.body;
  EXPECT_EQ(other_->Get(base + "?format=csv").status, 404);
  EXPECT_EQ(
      api_->Get("/reports/sla/reports/rpt_000000000000000000000000000/export?format=csv").status,
      404);
  EXPECT_EQ(Api(*server_, Token("t1", "read:sla")).Get(base + "?format=csv").status, 200);
  auto denied = Api(*server_, Token("t1", "read:reports")).Get(base + "?format=csv");
  EXPECT_EQ(denied.status, 403) << denied.body;
}

TEST_F(ExportsTest, BrandReportExportsResultsAndCitationsInTheV1Dialect) {
  Start();
  std::string report = BrandReport();
  std::string base = "/v1/reports/" + report + "/export";
  auto results_csv = api_->Get(base + "?format=csv");
  EXPECT_EQ(results_csv.Header("content-disposition").value_or(""),
            "attachment; filename=\"" + report + "-results.csv\"");
  auto results = CsvRows(results_csv);
  ASSERT_EQ(results.size(), 4u);  // 2 prompts × 2 platforms × 1 sample
  std::map<std::string, int> platforms;
  for (auto& r : results) {
    ++platforms[r["platform"]];
    EXPECT_EQ(r["status"], "answered");
    EXPECT_EQ(r["brand_appears"], r["prompt_text"] == "Q1 analytics" ? "true" : "false")
        << r["prompt_text"];
  }
  EXPECT_EQ(platforms, (std::map<std::string, int>{{"chatgpt", 2}, {"claude", 2}}));
  auto citations = CsvRows(api_->Get(base + "?format=csv&table=citations"));
  ASSERT_FALSE(citations.empty());
  EXPECT_EQ(citations[0]["domain"], "alpha.example.com");
  EXPECT_EQ(citations[0]["url"], "https://www.alpha.example.com/start");

  auto xlsx = api_->Get(base + "?format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.Header("content-disposition").value_or(""),
            "attachment; filename=\"" + report + ".xlsx\"");
  json::value book = Read("xlsx", xlsx.body);
  EXPECT_EQ(SheetNames(book), (std::vector<std::string>{"Results", "Citations"}));
  const auto& sheet = book.at("sheets").at(0);
  EXPECT_EQ(Cell(sheet, 0, "sample").at("t").as_string(), "number");
  EXPECT_EQ(Cell(sheet, 0, "latency_ms").at("t").as_string(), "number");
  EXPECT_EQ(Cell(sheet, 0, "brand_appears").at("t").as_string(), "bool");

  auto bad = api_->Get(base + "?format=ods");
  EXPECT_EQ(bad.status, 400);
  auto error = Json(bad).at("error");
  EXPECT_EQ(error.at("code").as_string(), "validation_error") << bad.body;
  EXPECT_NE(json::serialize(error).find("csv, xlsx"), std::string::npos) << bad.body;
  EXPECT_EQ(api_->Get(base + "?format=csv&table=sites").status, 400);
  EXPECT_EQ(other_->Get(base + "?format=csv").status, 404);
  // An SLA report is not a brand report, and the other way round.
  EXPECT_EQ(api_->Get("/reports/sla/reports/" + report + "/export?format=csv").status, 404);
}

TEST_F(ExportsTest, TheCliWritesTheExportTheApiServes) {
  Start();
  std::string report = RunSla(SlaSchedule());
  fs::path out = dir_ / "r.xlsx";
  auto cli = RunCli(*server_, "reports export " + report + " --format xlsx -o " + out.string());
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  std::ifstream in(out, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(bytes.str(), api_->Get("/reports/sla/reports/" + report + "/export?format=xlsx").body);
  auto csv = RunCli(*server_, "reports export " + report + " --format csv --table faults -o -");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(csv.out.starts_with("fault_id,site_id,site_name,cause,started_at")) << csv.out;
  auto bad = RunCli(*server_, "reports export " + report + " --format csv --table nope -o -");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("400"), std::string::npos) << bad.err;
}

TEST_F(ExportsTest, ScheduleAttachmentsAreValidatedAndDefaultToThePdf) {
  Start();
  std::string plain = SlaSchedule();
  auto schedule = Json(api_->Get("/reports/sla/schedules/" + plain));
  EXPECT_EQ(json::serialize(schedule.at("attachments")), R"(["pdf"])");
  std::string chosen = SlaSchedule(R"(,"attachments":["xlsx","csv","xlsx"])");
  EXPECT_EQ(json::serialize(Json(api_->Get("/reports/sla/schedules/" + chosen)).at("attachments")),
            R"(["csv","xlsx"])");
  auto bad = api_->Post("/reports/sla/schedules",
                        R"({"name":"x","timezone":"UTC","disabled":true,"sites":[],)"
                        R"("attachments":["pdf","zip"]})");
  EXPECT_EQ(bad.status, 400);
  std::string message(Json(bad).at("message").as_string());
  EXPECT_NE(message.find("attachments.1"), std::string::npos) << bad.body;
  EXPECT_NE(message.find("'zip'"), std::string::npos) << bad.body;
}

TEST_F(ExportsTest, TheReportEmailAttachesTheChosenExportsAndReSendsTheSameBytes) {
  SmtpSink smtp;
  ASSERT_GT(smtp.port(), 0);
  Start({{"RAPPORT_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(smtp.port())},
         {"RAPPORT_SMTP_REQUIRE_TLS", "0"},
         {"RAPPORT_SMTP_RETRY_BASE_MS", "100"}});
  std::string report = RunSla(
      SlaSchedule(R"(,"recipients":["ops@example.com"],"attachments":["pdf","csv","xlsx"])"));
  ASSERT_TRUE(smtp.WaitMessages(1));
  fs::path first = dir_ / "first", second = dir_ / "second";
  fs::create_directories(first);
  fs::create_directories(second);
  json::value mail = ReadFile("eml", smtp.Messages()[0], first.string());
  std::string stem = "sla-report-2026-11-01-to-2026-11-02";
  std::vector<std::string> names;
  for (const auto& a : mail.at("attachments").as_array())
    names.emplace_back(a.at("name").as_string());
  EXPECT_EQ(names,
            (std::vector<std::string>{stem + ".pdf", stem + "-sites.csv", stem + "-groups.csv",
                                      stem + "-faults.csv", stem + "-daily.csv", stem + ".xlsx"}));
  auto file = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  std::string base = "/reports/sla/reports/" + report;
  EXPECT_EQ(file(first / (stem + ".pdf")), api_->Get(base + "/pdf").body);
  EXPECT_EQ(file(first / (stem + ".xlsx")), api_->Get(base + "/export?format=xlsx").body);
  EXPECT_EQ(file(first / (stem + "-faults.csv")),
            api_->Get(base + "/export?format=csv&table=faults").body);
  EXPECT_EQ(ReadFile("xlsx", first / (stem + ".xlsx")).at("sheets").as_array().size(), 4u);

  auto log = Json(api_->Get(base + "/deliveries"));
  ASSERT_EQ(log.at("data").as_array().size(), 1u);
  std::string delivery(log.at("data").at(0).at("id").as_string());
  ASSERT_TRUE(WaitFor([&] {
    return Json(api_->Get(base + "/deliveries")).at("data").at(0).at("status") == "succeeded";
  }));
  auto resent = api_->Send("POST", base + "/deliveries/" + delivery + "/resend");
  ASSERT_EQ(resent.status, 202) << resent.body;
  ASSERT_TRUE(smtp.WaitMessages(2));
  ReadFile("eml", smtp.Messages()[1], second.string());
  for (const auto& name : names) {
    EXPECT_EQ(file(second / name), file(first / name)) << name;
  }
}

}  // namespace
}  // namespace rapport::testing
