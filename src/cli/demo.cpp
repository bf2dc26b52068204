#include "demo.hpp"

#include "cli.hpp"

#include <rapport/core/encoding.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <set>

namespace rapport::cli {
namespace {

namespace json = boost::json;

const char* const kSites = R"([
  {"name": "London HQ", "timezone": "Europe/London", "tags": {"region": "emea", "tier": "gold"}},
  {"name": "Frankfurt DC", "timezone": "Europe/Berlin", "tags": {"region": "emea", "tier": "gold"}},
  {"name": "New York Office", "timezone": "America/New_York", "tags": {"region": "amer", "tier": "silver"}},
  {"name": "São Paulo Branch", "timezone": "America/Sao_Paulo", "tags": {"region": "amer", "tier": "bronze"}},
  {"name": "Sydney Office", "timezone": "Australia/Sydney", "tags": {"region": "apac", "tier": "silver"}},
  {"name": "東京 Data Center", "timezone": "Asia/Tokyo", "tags": {"region": "apac", "tier": "gold"}},
  {"name": "Москва Branch", "timezone": "Europe/Moscow", "tags": {"region": "emea", "tier": "bronze"}},
  {"name": "Lord Howe Relay", "timezone": "Australia/Lord_Howe", "tags": {"region": "apac", "tier": "bronze"}}
])";

const char* const kBrands = R"([
  {"name": "Acme Analytics", "website": "https://acme-analytics.example",
   "brand_aliases": ["Acme", "AcmeAI"],
   "competitors": [{"name": "Globex Insights", "aliases": ["Globex"]}, "Initech Data"],
   "categories": ["analytics", "business intelligence"], "country": "US", "language": "en"},
  {"name": "Nordlicht Energie", "website": "https://nordlicht.example",
   "competitors": ["Sonnenwerk", "Windkraft Nord"], "categories": ["renewable energy"],
   "country": "DE", "language": "de"}
])";

std::set<std::string> ExistingNames(Session& session, const std::string& path, int& code) {
  std::set<std::string> names;
  auto page = session.Call("GET", path + "?limit=100", "", code);
  if (!page) return names;
  for (const auto& item : page->at("data").as_array()) {
    names.emplace(item.at("name").as_string());
  }
  return names;
}

int CreateMissing(Session& session, const std::string& path, const char* items_json, int& created) {
  int code = kExitOk;
  auto existing = ExistingNames(session, path, code);
  if (code != kExitOk) return code;
  json::value items = json::parse(items_json);
  for (const auto& item : items.as_array()) {
    std::string name(item.at("name").as_string());
    if (existing.count(name)) continue;
    if (!session.Call("POST", path, json::serialize(item), code,
                      "demo-" + HexEncode(Sha256(path + "\n" + name)).substr(0, 32))) {
      return code;
    }
    ++created;
  }
  return kExitOk;
}

}  // namespace

int LoadDemo(Session& session) {
  int created = 0;
  if (int code = CreateMissing(session, "/sites", kSites, created); code != kExitOk) return code;
  if (int code = CreateMissing(session, "/v1/brands", kBrands, created); code != kExitOk) {
    return code;
  }
  std::cout << "demo data loaded: " << created << " items created ("
            << json::parse(kSites).as_array().size() << " sites, "
            << json::parse(kBrands).as_array().size() << " brands in the set)\n";
  return kExitOk;
}

}  // namespace rapport::cli
