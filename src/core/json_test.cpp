#include <rapport/core/json.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

TEST(ParseJsonBody, EnforcesDepthLimit) {
  EXPECT_TRUE(ParseJsonBody("[[[1]]]", 4).ok());
  auto deep = ParseJsonBody("[[[[[1]]]]]", 4);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code(), ErrorCode::kBodyValidation);
}

TEST(ParseJsonBody, RejectsTrailingGarbageAndTruncation) {
  EXPECT_FALSE(ParseJsonBody("{} {}", 8).ok());
  EXPECT_FALSE(ParseJsonBody("{\"a\":", 8).ok());
  EXPECT_FALSE(ParseJsonBody("", 8).ok());
}

TEST(ParseJsonBody, RefusesNumbersBeyondADoubleInsteadOfStoringNull) {
  for (const char* body : {"1e400", "[1, -1e999]", R"({"a":{"b":[2e308]}})"}) {
    auto parsed = ParseJsonBody(body, 8);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kBodyValidation);
    EXPECT_NE(parsed.error().message().find("beyond the range of a double"), std::string::npos)
        << parsed.error().message();
  }
  auto big = ParseJsonBody(R"({"a":[1.7e308, -4.9e-324, 18446744073709551615]})", 8);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(ToJson(*big), R"({"a":[1.7e+308,-5e-324,18446744073709551615]})");
}

TEST(BodyReader, CollectsEveryProblemWithLocations) {
  json::object body = json::parse(R"({"name":"","tags":["x",3],"n":7,"extra":true})").as_object();
  BodyReader reader(body, "body");
  reader.RejectUnknown({"name", "tags", "n", "missing"});
  reader.String("name", {.required = true, .min_length = 1});
  reader.StringList("tags", 5, {.max_length = 10});
  reader.Int("n", true, 1, 5);
  reader.String("missing", {.required = true});
  std::vector<std::string> locs;
  for (const auto& p : reader.problems()) locs.push_back(p.loc + ":" + p.type);
  EXPECT_EQ(locs, (std::vector<std::string>{"body.extra:extra_forbidden", "body.name:string_empty",
                                            "body.tags.1:string_type", "body.n:out_of_range",
                                            "body.missing:missing"}));
}

TEST(BodyReader, CountsCodePointsNotBytes) {
  json::object body{{"name", "東京東京"}};
  BodyReader reader(body, "body");
  EXPECT_TRUE(reader.String("name", {.max_length = 4}));
  EXPECT_FALSE(reader.String("name", {.max_length = 3}));
}

TEST(ErrorFromProblems, BuildsLocArraysWithIndexes) {
  Error e = Error::FromProblems(ErrorCode::kBodyValidation, {{"body.items.3.name", "bad", "x"}});
  EXPECT_EQ(json::serialize(e.details().at("errors").at(0).at("loc")),
            R"(["body","items",3,"name"])");
  EXPECT_EQ(e.SlaCode(), "parameter_invalid");
  // Found by rapport_api_fuzz: an unknown key of 33 digits was parsed as an index and threw.
  Error digits = Error::FromProblems(
      ErrorCode::kBodyValidation, {{"body.555555555555555555555555555555555.55sites", "x", "y"}});
  EXPECT_EQ(json::serialize(digits.details().at("errors").at(0).at("loc")),
            R"(["body","555555555555555555555555555555555","55sites"])");
}

}  // namespace
}  // namespace rapport

namespace rapport {
namespace {

TEST(ToJson, WritesDoublesInPlainDecimalAndEverythingElseLikeBoost) {
  boost::json::value v = boost::json::parse(
      R"({"a":97.5,"b":100.0,"c":99.999,"d":1e-7,"e":[1,-2,18446744073709551615,true,null],)"
      R"("s":"quote \" and \u00e9 and \n"})");
  EXPECT_EQ(ToJson(v),
            R"({"a":97.5,"b":100.0,"c":99.999,"d":1e-07,"e":[1,-2,18446744073709551615,true,)"
            R"(null],"s":"quote \" and é and \n"})");
  // Round trip: the output parses back to the same value.
  EXPECT_EQ(boost::json::parse(ToJson(v)), v);
}

}  // namespace
}  // namespace rapport

namespace rapport {
namespace {

TEST(AppendJsonString, EscapesExactlyAsBoostJson) {
  std::vector<std::string> cases = {"",
                                    "plain",
                                    "quote \" and \\ backslash",
                                    "tab\tnl\ncr\r",
                                    "\b\f\x7f",
                                    std::string("nul\0mid", 7),
                                    "é 日本 \xff\xfe"};
  for (int c = 0; c < 256; ++c) cases.emplace_back(3, static_cast<char>(c));
  for (const auto& text : cases) {
    std::string out = "prefix";
    AppendJsonString(out, text);
    EXPECT_EQ(out, "prefix" + boost::json::serialize(boost::json::string(text))) << text;
  }
}

// Every byte value at every position of strings 1 to 24 bytes long, among plain and high bytes:
// the scan that looks at eight bytes at a time must find each byte to escape wherever it sits.
TEST(AppendJsonString, FindsEveryByteToEscapeAtEveryPosition) {
  for (size_t length = 1; length <= 24; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string text(length, at % 2 ? 'a' : '\xe9');
        text[at] = static_cast<char>(c);
        std::string out;
        AppendJsonString(out, text);
        ASSERT_EQ(out, boost::json::serialize(boost::json::string(text)))
            << "length " << length << " at " << at << " byte " << c;
      }
    }
  }
}

TEST(ToJson, WritesIntegersAndNestedValuesAsBoostJsonDoes) {
  boost::json::value v = {{"a", -9223372036854775807LL - 1},
                          {"b", 18446744073709551615ULL},
                          {"c", boost::json::array{1, "x\n", nullptr, true}},
                          {"k\"ey", boost::json::object{{"n", 0}}}};
  EXPECT_EQ(ToJson(v), boost::json::serialize(v));
}

}  // namespace
}  // namespace rapport
