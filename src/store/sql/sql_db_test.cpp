#include "sql_db.hpp"

#include <gtest/gtest.h>

namespace rapport::sql {
namespace {

using Strings = std::vector<std::string>;

TEST(StringsJson, RoundTripsAnyString) {
  for (const Strings& items : {Strings{}, Strings{"a"}, Strings{"a b", "", "c,d]"},
                               Strings{"quote \"", "back\\slash", "new\nline", "\x01"},
                               Strings{"caf\u00e9", "\xe2\x82\xac", "plain"}}) {
    EXPECT_EQ(StringsFromJson(StringsToJson(items)), items);
  }
}

TEST(StringsJson, ReadsWhitespaceAndEscapesAsTheFullParserDoes) {
  EXPECT_EQ(StringsFromJson(" [ \"a\" ,\n\"b\" ] "), (Strings{"a", "b"}));
  EXPECT_EQ(StringsFromJson(R"(["a\u0041", "\/"])"), (Strings{"aA", "/"}));
  EXPECT_EQ(StringsFromJson("[]"), Strings{});
}

TEST(SimpleJsonReader, ReadsOnlyItsSubset) {
  std::string s;
  Strings list;
  EXPECT_TRUE(SimpleJsonReader(R"("ok ~!")").String(s));
  EXPECT_EQ(s, "ok ~!");
  EXPECT_FALSE(SimpleJsonReader(R"("a\"b")").String(s));        // an escape
  EXPECT_FALSE(SimpleJsonReader("\"caf\xc3\xa9\"").String(s));  // non-ASCII
  EXPECT_FALSE(SimpleJsonReader("\"tab\t\"").String(s));        // a control character
  EXPECT_FALSE(SimpleJsonReader(R"("open)").String(s));
  EXPECT_FALSE(SimpleJsonReader("[1]").Strings(list));
  EXPECT_FALSE(SimpleJsonReader(R"(["a",])").Strings(list));
  SimpleJsonReader trailing(R"(["a"] x)");
  EXPECT_TRUE(trailing.Strings(list));
  EXPECT_FALSE(trailing.AtEnd());
}

}  // namespace
}  // namespace rapport::sql
