// The brand report's export tables: its prompts' results flattened, and their sources.
#include <rapport/brand/brand_export.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

TEST(BrandExportTables, FlattenResultsWithTheirPromptAndCitedSources) {
  json::value report = json::parse(R"({"prompts":[
    {"prompt_id":"prm_1","prompt_text":"Best tools?","category":"buying","results":[
      {"platform":"chatgpt","sample":1,"status":"answered","brand_appears":true,"position":2,
       "competitors_mentioned":["Globex","Initech"],"citations":["a.example"],"latency_ms":12,
       "sources":[{"url":"https://a.example/x","title":null,"domain":"a.example","origin":"answer"}]},
      {"platform":"claude","sample":1,"status":"failed","error":"timeout","sources":[]}]}]})");
  auto tables = BrandExportTables(report.as_object());
  ASSERT_EQ(tables.size(), 2u);
  const auto& results = tables[0];
  EXPECT_EQ(results.key, "results");
  ASSERT_EQ(results.rows.size(), 2u);
  EXPECT_EQ(results.rows[0][0], json::value("prm_1"));
  EXPECT_EQ(results.rows[0][1], json::value("Best tools?"));
  EXPECT_EQ(results.rows[1][3], json::value("claude"));
  std::string csv = WriteCsv(results);
  EXPECT_NE(csv.find("prm_1,Best tools?,buying,chatgpt,1,answered,,true,2,,Globex; Initech,"
                     "a.example,12,\r\n"),
            std::string::npos)
      << csv;
  const auto& citations = tables[1];
  ASSERT_EQ(citations.rows.size(), 1u);
  EXPECT_EQ(WriteCsv(citations),
            "prompt_id,platform,sample,url,title,domain,origin\r\n"
            "prm_1,chatgpt,1,https://a.example/x,,a.example,answer\r\n");
}

}  // namespace
}  // namespace rapport
