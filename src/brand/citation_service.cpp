#include <rapport/brand/citation_service.hpp>

#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/ids.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr UnixMs kDayMs = 86'400'000;

Error QueryProblem(const std::string& name, std::string message, std::string type) {
  return Error::FromProblems(ErrorCode::kValidation,
                             {{"query." + name, std::move(message), std::move(type)}});
}

// A date ("2026-03-01") or date-time; `end_of_day` makes a date mean the end of that day.
// Returns the exclusive bound for an end, the inclusive one for a start.
Result<std::optional<UnixMs>> Bound(const std::optional<std::string>& text, const std::string& name,
                                    bool end) {
  if (!text) return std::optional<UnixMs>{};
  bool is_date = text->size() == 10;
  std::optional<UnixMs> ms = ParseRfc3339(is_date ? *text + "T00:00:00Z" : *text);
  if (!ms) {
    return QueryProblem(name,
                        "must be an RFC 3339 date such as \"2026-03-01\" or date-time such as "
                        "\"2026-03-01T08:00:00Z\"",
                        "datetime_parsing");
  }
  if (end) *ms += is_date ? kDayMs : 1;
  return std::optional<UnixMs>(*ms);
}

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

std::string CitationDomain(std::string_view url) {
  std::string s(url);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (auto scheme = s.find("://"); scheme != std::string::npos) s.erase(0, scheme + 3);
  if (auto at = s.find('@'); at != std::string::npos && at < s.find('/')) s.erase(0, at + 1);
  s = s.substr(0, s.find_first_of("/?#:"));
  while (!s.empty() && s.back() == '.') s.pop_back();
  if (s.starts_with("www.")) s.erase(0, 4);
  return s;
}

std::vector<CitationUse> CitationUsesOf(const json::object& body) {
  std::map<std::pair<std::string, std::string>, int64_t> counts;  // (url, platform) -> answers
  const auto* prompts = body.if_contains("prompts");
  if (!prompts || !prompts->is_array()) return {};
  for (const auto& prompt : prompts->as_array()) {
    const auto* results = prompt.is_object() ? prompt.as_object().if_contains("results") : nullptr;
    if (!results || !results->is_array()) continue;
    for (const auto& result : results->as_array()) {
      if (!result.is_object()) continue;
      const auto* platform = result.as_object().if_contains("platform");
      const auto* cited = result.as_object().if_contains("citations");
      // (a failed answer cites nothing; the provider's sources' domains are among `citations`)
      if (!platform || !platform->is_string() || !cited || !cited->is_array()) continue;
      std::set<std::string> urls;
      for (const auto& url : cited->as_array()) {
        if (url.is_string() && !url.as_string().empty()) urls.emplace(url.as_string());
      }
      for (const auto& url : urls) ++counts[{url, std::string(platform->as_string())}];
    }
  }
  std::vector<CitationUse> out;
  for (const auto& [key, n] : counts) {
    out.push_back({key.first, CitationDomain(key.first), key.second, n});
  }
  return out;
}

Result<int64_t> BackfillCitations(CitationStore& store) {
  int64_t stored = 0;
  for (;;) {
    RAPPORT_TRY(std::vector<Report> batch, store.ReportsAwaitingCitations(100));
    if (batch.empty()) return stored;
    for (auto& report : batch) {
      boost::system::error_code ec;
      json::value body = json::parse(report.body, ec);
      if (!ec && body.is_object()) report.kind_data = CitationUsesOf(body.as_object());
      RAPPORT_TRY(bool took, store.BackfillCitations(report));
      stored += took;
    }
  }
}

Result<CitationFilter> CitationService::Filter(const std::string& tenant_id,
                                               const std::string& brand_id,
                                               const CitationQuery& query) {
  CitationFilter f;
  const auto& platforms = AiPlatforms();
  if (query.platform &&
      std::find(platforms.begin(), platforms.end(), *query.platform) == platforms.end()) {
    std::string list;
    for (const auto& p : platforms) list += (list.empty() ? "" : ", ") + p;
    return QueryProblem("platform", "must be one of " + list, "enum");
  }
  f.platform = query.platform;
  if (query.region_config_id && !IsValidId(*query.region_config_id, "rcfg")) {
    return QueryProblem("region_config_id", "must be an id starting with rcfg_", "pattern");
  }
  f.region_config_id = query.region_config_id;
  RAPPORT_TRY(f.from, Bound(query.from, "from", false));
  RAPPORT_TRY(f.to, Bound(query.to, "to", true));
  if (f.from && f.to && *f.from >= *f.to) {
    return QueryProblem("from", "must not be after to", "date_order");
  }
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(brands_.GetBrand(tenant_id, brand_id));
  return f;
}

Result<Page<Citation>> CitationService::List(const std::string& tenant_id,
                                             const std::string& brand_id,
                                             const CitationQuery& query, const PageRequest& page) {
  RAPPORT_TRY(CitationFilter f, Filter(tenant_id, brand_id, query));
  return citations_.ListCitations(tenant_id, brand_id, f, page);
}

Result<json::object> CitationService::ByDomain(const std::string& tenant_id,
                                               const std::string& brand_id,
                                               const CitationQuery& query, int limit) {
  RAPPORT_TRY(CitationFilter f, Filter(tenant_id, brand_id, query));
  auto counted = citations_.CountCitationsByDomain(tenant_id, brand_id, f, limit + 1);
  if (!counted.ok()) return counted.error();
  auto& [domains, total] = *counted;
  bool has_more = domains.size() > static_cast<size_t>(limit);
  if (has_more) domains.pop_back();
  json::array data;
  for (const auto& d : domains) {
    double share = 100.0 * static_cast<double>(d.times_cited) / static_cast<double>(total);
    data.push_back(json::object{
        {"domain", d.domain}, {"times_cited", d.times_cited}, {"share", Round1(share)}});
  }
  return json::object{{"object", "list"},
                      {"data", std::move(data)},
                      {"has_more", has_more},
                      {"next_cursor", nullptr},
                      {"total_citations", total}};
}

Result<Citation> CitationService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "cit")) return Error::NotFound("Citation");
  return citations_.GetCitation(tenant_id, id);
}

json::object CitationToJson(const Citation& c) {
  json::array platforms;
  for (const auto& [platform, n] : c.by_platform) {
    platforms.push_back(json::object{{"platform", platform}, {"times_cited", n}});
  }
  return json::object{{"id", c.id},
                      {"object", "citation"},
                      {"brand_id", c.brand_id},
                      {"url", c.url},
                      {"domain", c.domain},
                      {"title", c.title ? json::value(*c.title) : json::value(nullptr)},
                      {"times_cited", c.times_cited},
                      {"first_seen_at", FormatRfc3339(c.first_seen_at)},
                      {"last_seen_at", FormatRfc3339(c.last_seen_at)},
                      {"by_platform", std::move(platforms)}};
}

}  // namespace rapport
