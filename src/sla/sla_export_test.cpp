// The SLA report's export tables, read from its JSON.
#include <rapport/sla/sla_export.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

TEST(SlaExportTables, TakeFixedColumnsFromTheReportAndIgnoreNewFields) {
  json::object report{
      {"from_date", "2026-11-01"},
      {"to_date", "2026-11-02"},
      {"sites", json::array{json::object{{"site_id", "ste_1"},
                                         {"site_name", "Lisbon"},
                                         {"tags", json::object{{"env", "prod"}, {"region", "eu"}}},
                                         {"uptime_percentage", 87.5},
                                         {"error_budget_seconds", 86},
                                         {"breached", true},
                                         {"a_field_added_later", 1}}}},
      {"top_faults", json::array{json::object{{"fault_id", "flt_1"},
                                              {"started_at", "2026-11-01T00:00:00.000Z"},
                                              {"resolved_at", nullptr}}}}};
  auto tables = SlaExportTables(report);
  ASSERT_EQ(tables.size(), 4u);
  EXPECT_EQ(tables[0].key, "sites");
  EXPECT_EQ(tables[0].columns.size(), 16u);  // not a_field_added_later
  EXPECT_EQ(tables[0].columns[11].name, "error_budget_seconds");
  EXPECT_EQ(tables[0].rows[0][11], json::value(86));
  ASSERT_EQ(tables[0].rows.size(), 1u);
  EXPECT_EQ(tables[0].rows[0][2], json::value("env=prod; region=eu"));
  EXPECT_EQ(tables[0].rows[0][3], json::value(87.5));
  EXPECT_TRUE(tables[0].rows[0][4].is_null());  // downtime_seconds absent: an empty cell
  EXPECT_TRUE(tables[1].rows.empty());          // no groups
  EXPECT_EQ(tables[2].key, "faults");
  EXPECT_EQ(tables[2].rows[0][4], json::value("2026-11-01T00:00:00.000Z"));
  EXPECT_EQ(SlaReportFileStem(report), "sla-report-2026-11-01-to-2026-11-02");
}

TEST(SlaExportTables, AnEmptyReportGivesEmptyTables) {
  auto tables = SlaExportTables(json::object{});
  ASSERT_EQ(tables.size(), 4u);
  for (const auto& t : tables) EXPECT_TRUE(t.rows.empty()) << t.key;
}

}  // namespace
}  // namespace rapport
