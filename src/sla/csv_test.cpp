#include "csv.hpp"

#include <gtest/gtest.h>

#include <random>

namespace rapport::csv {
namespace {

std::string Encode(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      const std::string& f = row[i];
      if (f.find_first_of(",\"\r\n") == std::string::npos) {
        out += f;
        continue;
      }
      out += '"';
      for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  auto records = Parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\nlast,\n", 10);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"\nthere"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 4u);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"last", ""}));
}

TEST(Csv, ByteOrderMarkIsSkippedAndNoTrailingRecord) {
  auto records = Parse("\xEF\xBB\xBFid\n1\n", 10);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, std::vector<std::string>{"id"});
}

TEST(Csv, MalformedRecordsSayWhatIsWrongAndParsingGoesOn) {
  auto records = Parse("a\"b,c\n\"x\"y,z\n\"open\n", 10);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[0].problem.find("quote inside an unquoted field"), std::string::npos);
  EXPECT_NE(records[1].problem.find("after the closing quote"), std::string::npos);
  EXPECT_NE(records[2].problem.find("never closed"), std::string::npos);
}

TEST(Csv, StopsPastTheRecordLimit) { EXPECT_EQ(Parse("1\n2\n3\n4\n5\n", 2).size(), 3u); }

// Property: whatever fields are encoded the RFC 4180 way parse back the same, and arbitrary
// bytes parse without a crash into records that start on increasing lines.
TEST(Csv, EncodedRowsRoundTripAndArbitraryBytesParse) {
  std::mt19937 rng(4180);
  const std::string alphabet = "ab ,\"\r\n\xC3\xA9";
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::vector<std::string>> rows(1 + rng() % 5);
    for (auto& row : rows) {
      row.resize(1 + rng() % 4);
      for (auto& f : row) {
        for (size_t n = rng() % 6; n > 0; --n) f += alphabet[rng() % alphabet.size()];
      }
      if (row.size() == 1 && row[0].empty()) row[0] = "x";  // a blank line is no record
    }
    auto records = Parse(Encode(rows), 100);
    ASSERT_EQ(records.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_TRUE(records[i].problem.empty()) << records[i].problem;
      EXPECT_EQ(records[i].fields, rows[i]);
    }
    std::string bytes;
    for (size_t n = rng() % 40; n > 0; --n) bytes += alphabet[rng() % alphabet.size()];
    size_t line = 0;
    for (const auto& r : Parse(bytes, 100)) {
      EXPECT_GT(r.line, line);
      line = r.line;
    }
  }
}

}  // namespace
}  // namespace rapport::csv
