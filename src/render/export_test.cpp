// The export writers: RFC 4180 CSV and deterministic XLSX.
#include <rapport/render/export.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

ExportTable Sample() {
  return ExportTable{
      .key = "sites",
      .title = "Sites",
      .columns = {{"name", ExportType::kText},
                  {"uptime", ExportType::kNumber},
                  {"faults", ExportType::kInteger},
                  {"breached", ExportType::kBool},
                  {"started_at", ExportType::kInstant},
                  {"day", ExportType::kDate}},
      .rows = {{"Berlin, \"Mitte\"", 99.5, 3, true, "2026-01-02T03:04:05Z", "2026-01-02"},
               {"=cmd|' /C calc'!A0", nullptr, 0, false, nullptr, nullptr},
               {json::array{"a", "b"}, 100.0, 1, false, "not a time", "2026-01-03"}}};
}

TEST(ExportCsv, WritesRfc4180WithAHeaderRowAndCrlf) {
  EXPECT_EQ(WriteCsv(Sample()),
            "name,uptime,faults,breached,started_at,day\r\n"
            "\"Berlin, \"\"Mitte\"\"\",99.5,3,true,2026-01-02T03:04:05Z,2026-01-02\r\n"
            "'=cmd|' /C calc'!A0,,0,false,,\r\n"
            "a; b,100.0,1,false,not a time,2026-01-03\r\n");
}

TEST(ExportCsv, QuotesLineBreaksAndDefusesOnlyTextColumns) {
  ExportTable t{.key = "t",
                .title = "T",
                .columns = {{"text", ExportType::kText}, {"n", ExportType::kNumber}},
                .rows = {{"line\nbreak", -1.5}, {"-1", -2}}};
  EXPECT_EQ(WriteCsv(t), "text,n\r\n\"line\nbreak\",-1.5\r\n'-1,-2\r\n");
}

TEST(ExportXlsx, IsAZipAndTheSameBytesForTheSameTables) {
  auto a = WriteXlsx({Sample()}, 1'767'225'600'000);
  ASSERT_TRUE(a.ok()) << a.error().message();
  EXPECT_EQ(a->substr(0, 2), "PK");
  auto b = WriteXlsx({Sample()}, 1'767'225'600'000);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(ExportXlsx, FailsCleanlyOnAnInvalidSheetName) {
  ExportTable bad = Sample();
  bad.title = "bad/name";
  auto out = WriteXlsx({bad}, 0);
  EXPECT_FALSE(out.ok());
}

}  // namespace
}  // namespace rapport
