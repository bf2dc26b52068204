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

TEST(Router, FirstRouteAddedWinsAndLiteralsAreExact) {
  Router r;
  r.Add({.method = "GET", .pattern = "/v1/jobs/{job_id}", .handler = nullptr});
  r.Add({.method = "GET", .pattern = "/v1/jobs/stats", .handler = nullptr});
  r.Add({.method = "GET", .pattern = "/v1/{kind}/stats", .handler = nullptr});
  auto m = r.Match("GET", "/v1/jobs/stats");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->pattern, "/v1/jobs/{job_id}");
  EXPECT_EQ(m.params.at("job_id"), "stats");
  m = r.Match("GET", "/v1/sites/stats");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->pattern, "/v1/{kind}/stats");
  EXPECT_EQ(m.params.at("kind"), "sites");
  EXPECT_FALSE(r.Match("GET", "/v1/jobs/stats/x").route);
  EXPECT_FALSE(r.Match("GET", "/V1/sites/stats").route);
  EXPECT_FALSE(r.Match("GET", "/v1//stats").route);  // a parameter is never empty
}

TEST(Router, RootAndTrailingSlashAndVeryDeepPaths) {
  Router r;
  r.Add({.method = "GET", .pattern = "/", .handler = nullptr});
  r.Add({.method = "GET", .pattern = "/healthz", .handler = nullptr});
  r.Add({.method = "GET", .pattern = "/a/{x}/", .handler = nullptr});
  EXPECT_EQ(r.Match("GET", "/").route->pattern, "/");
  EXPECT_EQ(r.Match("GET", "/healthz").route->pattern, "/healthz");
  EXPECT_FALSE(r.Match("GET", "/healthz/").route);
  auto m = r.Match("GET", "/a/1/");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params.at("x"), "1");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "/x";
  auto d = r.Match("GET", deep);
  EXPECT_FALSE(d.route);
  EXPECT_TRUE(d.allowed.empty());
}

TEST(Router, AllowedListsEveryMethodInOrderOfRoutes) {
  Router r = MakeRouter();
  r.Add({.method = "PATCH", .pattern = "/v1/brands/{id}", .handler = nullptr});
  auto m = r.Match("PUT", "/v1/brands/b");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE", "PATCH"}));
  EXPECT_EQ(r.routes().size(), 5u);
}

}  // namespace
}  // namespace rapport::api
