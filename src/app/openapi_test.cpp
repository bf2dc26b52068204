// rapportd's OpenAPI document and its router (the API with rapportd's kinds) must describe the same
// API: a route missing from the document, or a documented operation that is not served, fails here.
#include <rapport/accounts/accounts.hpp>
#include <rapport/api/api.hpp>
#include <rapport/app/sharing_wiring.hpp>
#include <rapport/brand/brand_errors.hpp>
#include <rapport/brand/brand_kind.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/sla/sla_kind.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <map>
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
  // rapportd's kinds, as MakeReportKinds builds them: the document covers their routes too.
  ReportKinds kinds;
  kinds.push_back(MakeSlaKind(**store, SystemClock(), {}));
  kinds.push_back(MakeBrandKind(**store, SystemClock(), LlmClient(LlmSettings{}), {}));
  ApiConfig config;
  WebhookOwners webhook_owners;
  AddKindsToApi(kinds, webhook_owners, config);
  accounts::Accounts accounts(**store, SystemClock(), {});  // console users and API tokens
  config.route_sets.push_back(
      [&accounts](Router& router, const RouteEnv&) { accounts.AddRoutes(router); });
  ShareService shares(**store, SystemClock());  // share links, as rapportd adds them
  config.route_sets.push_back(
      SharingRouteSet(shares, {**store, **store}, SharedReportKinds(**store), "http://x"));
  Api api(**store, SystemClock(), *verifier, config);

  std::set<std::string> served;
  std::map<std::string, std::string> scopes;
  for (const auto& r : api.Routes()) {
    served.insert(r.method + " " + r.pattern);
    scopes[r.method + " " + r.pattern] = r.required_scope;
  }

  json::value doc = json::parse(embedded::rapport_openapi_json);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [key, op] : item.as_object()) {
      if (key == "parameters") continue;
      std::string method(key);
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::string name = method + " " + std::string(path);
      documented.insert(name);
      EXPECT_TRUE(op.as_object().contains("responses")) << name;
      // The scope the document names is the one the router checks.
      const auto* scope = op.as_object().if_contains("x-required-scope");
      EXPECT_EQ(scope ? std::string(scope->as_string()) : "", scopes[name]) << name;
    }
  }
  EXPECT_EQ(served, documented);
  std::filesystem::remove_all(dir);
}

std::set<std::string> EnumOf(const json::value& doc, std::string_view schema,
                             std::initializer_list<std::string_view> path) {
  const json::value* at = &doc.at("components").at("schemas").at(schema);
  for (auto key : path) at = &at->at("properties").at(key);
  std::set<std::string> out;
  for (const auto& v : at->at("enum").as_array()) out.emplace(v.as_string());
  return out;
}

// A validating proxy refuses a response whose error code the document does not list: the /v1
// envelope's enum is exactly the catalog, core's entries and the report kinds' own. No kind
// redefines a code. (Seed 002's `code` is free text, as in the seed.)
TEST(OpenApi, ErrorCodeEnumsAreTheCatalog) {
  json::value doc = json::parse(embedded::rapport_openapi_json);
  std::set<std::string> catalog;
  size_t entries = 0;
  for (auto specs : {AllErrorSpecs(), BrandErrorSpecs(), accounts::AccountErrorSpecs()}) {
    for (const auto& spec : specs) catalog.emplace(spec.code);
    entries += specs.size();
  }
  EXPECT_EQ(catalog.size(), entries);
  EXPECT_EQ(EnumOf(doc, "ApiError", {"error", "code"}), catalog);
}

}  // namespace
}  // namespace rapport::api
