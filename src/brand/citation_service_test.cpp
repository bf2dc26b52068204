#include <rapport/brand/citation_service.hpp>

#include <boost/json.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(CitationDomain, IsTheLowerCaseHostWithoutWww) {
  EXPECT_EQ(CitationDomain("https://WWW.Example.com/a/b?c#d"), "example.com");
  EXPECT_EQ(CitationDomain("http://user@docs.example.org:8080/x"), "docs.example.org");
  EXPECT_EQ(CitationDomain("example.net."), "example.net");
  EXPECT_EQ(CitationDomain("www.acme.io/pricing"), "acme.io");
}

TEST(CitationUsesOf, CountsAnswersCitingEachUrlPerPlatform) {
  auto body = boost::json::parse(R"({"prompts":[
    {"prompt_id":"p1","results":[
      {"platform":"chatgpt","citations":["a.example","https://b.example/x","a.example"]},
      {"platform":"claude","citations":["a.example"]}]},
    {"prompt_id":"p2","results":[
      {"platform":"chatgpt","citations":["a.example"]},
      {"platform":"claude","citations":[]},
      {"platform":7,"citations":["ignored.example"]},
      "not an object"]},
    {"prompt_id":"p3"}]})")
                  .as_object();
  auto uses = CitationUsesOf(body);
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses[0].url, "a.example");
  EXPECT_EQ(uses[0].platform, "chatgpt");
  EXPECT_EQ(uses[0].times_cited, 2);  // two answers; the repeat inside one answer counts once
  EXPECT_EQ(uses[1].platform, "claude");
  EXPECT_EQ(uses[1].times_cited, 1);
  EXPECT_EQ(uses[2].url, "https://b.example/x");
  EXPECT_EQ(uses[2].domain, "b.example");
  EXPECT_TRUE(CitationUsesOf(boost::json::object{{"prompts", 3}}).empty());
}

}  // namespace
}  // namespace rapport
