#include <rapport/api/router.hpp>

#include <gtest/gtest.h>

namespace rapport::api {
namespace {

Router MakeRouter() {
  Router r;
  for (auto [m, p] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/brands"},
                                                        {"POST", "/v1/brands"},
                                                        {"GET", "/v1/brands/{brand_id}"},
                                                        {"DELETE", "/v1/brands/{brand_id}"}}) {
    r.Add({.method = m, .pattern = p, .required_scope = "", .handler = nullptr});
  }
  return r;
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r = MakeRouter();
  auto m = r.Match("GET", "/v1/brands/brand_1");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->pattern, "/v1/brands/{brand_id}");
  EXPECT_EQ(m.params.at("brand_id"), "brand_1");
}

TEST(Router, UnknownPathHasNoAllowedMethods) {
  Router r = MakeRouter();
  for (const char* path : {"/v1/brand", "/v1/brands/x/y", "/v1/brands/", "", "v1/brands"}) {
    auto m = r.Match("GET", path);
    EXPECT_FALSE(m.route) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, KnownPathWithOtherMethodListsAllowed) {
  auto m = MakeRouter().Match("PUT", "/v1/brands/brand_1");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE"}));
}

}  // namespace
}  // namespace rapport::api
