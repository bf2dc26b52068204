// The OpenAPI document and the router must describe the same API: a route missing from the
// document, or a documented operation that is not served, fails here.
#include <rapport/api/api.hpp>
#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <set>

namespace rapport::embedded {
extern const std::string_view rapport_openapi_json;
}

namespace rapport::api {
namespace {

namespace json = boost::json;

TEST(OpenApi, DocumentsExactlyTheServedRoutes) {
  auto dir = std::filesystem::temp_directory_path() / ("rapport-openapi-" + NewUuidV4());
  std::filesystem::create_directories(dir);
  auto store = OpenStore({(dir / "t.db").string()});
  ASSERT_TRUE(store.ok());
  auto verifier = JwtVerifier::Create({.hs256_secret = "x"});
  Api api(**store, SystemClock(), *verifier, {});

  std::set<std::string> served;
  for (const auto& [method, pattern] : api.Routes()) served.insert(method + " " + pattern);

  json::value doc = json::parse(embedded::rapport_openapi_json);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [key, op] : item.as_object()) {
      if (key == "parameters") continue;
      std::string method(key);
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(method + " " + std::string(path));
      EXPECT_TRUE(op.as_object().contains("responses")) << method << " " << path;
    }
  }
  EXPECT_EQ(served, documented);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rapport::api
