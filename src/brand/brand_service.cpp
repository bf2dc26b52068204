#include <rapport/brand/brand_service.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

const std::vector<std::string_view> kFields = {"name",        "website",    "brand_aliases",
                                               "competitors", "categories", "country",
                                               "language",    "brand_info"};
constexpr size_t kMaxAliases = 50;
constexpr size_t kMaxCompetitors = 50;
constexpr size_t kMaxCategories = 30;

bool IsHttpUrl(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return false;
  auto scheme = url->scheme();
  return (scheme == "http" || scheme == "https") && url->has_authority() && !url->host().empty();
}

}  // namespace

bool IsCountryCode(std::string_view s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

bool IsLanguageTag(std::string_view s) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (s.size() != 2 && s.size() != 5) return false;
  if (!lower(s[0]) || !lower(s[1])) return false;
  return s.size() == 2 || (s[2] == '-' && upper(s[3]) && upper(s[4]));
}

namespace {

std::optional<std::vector<Competitor>> ReadCompetitors(BodyReader& reader) {
  const auto* v = reader.object().if_contains("competitors");
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    reader.AddProblem("competitors", "must be an array", "list_type");
    return std::nullopt;
  }
  const auto& arr = v->as_array();
  if (arr.size() > kMaxCompetitors) {
    reader.AddProblem("competitors", "must have at most 50 items", "too_long");
    return std::nullopt;
  }
  std::vector<Competitor> out;
  size_t before = reader.problems().size();
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string key = "competitors." + std::to_string(i);
    if (arr[i].is_string()) {
      json::object shorthand{{"name", arr[i]}};
      BodyReader item = reader.Nested(shorthand, key);
      if (auto name = item.String("name", {.required = true, .min_length = 1, .max_length = 80})) {
        out.push_back({*name, {}});
      }
      continue;
    }
    if (!arr[i].is_object()) {
      reader.AddProblem(key, "must be a name or an object {name, aliases}", "model_type");
      continue;
    }
    BodyReader item = reader.Nested(arr[i].as_object(), key);
    item.RejectUnknown({"name", "aliases"});
    auto name = item.String("name", {.required = true, .min_length = 1, .max_length = 80});
    auto aliases = item.StringList("aliases", 20, {.min_length = 1, .max_length = 80});
    if (name) out.push_back({*name, aliases.value_or(std::vector<std::string>{})});
  }
  if (reader.problems().size() != before) return std::nullopt;
  return out;
}

// Reads every field present in `body` into `brand`; `creating` makes name and website required.
void ReadBrandFields(BodyReader& reader, Brand& brand, bool creating) {
  reader.RejectUnknown(kFields);
  if (auto name =
          reader.String("name", {.required = creating, .min_length = 1, .max_length = 80})) {
    brand.name = *name;
  }
  if (auto website =
          reader.String("website", {.required = creating, .min_length = 1, .max_length = 2048})) {
    if (IsHttpUrl(*website)) {
      brand.website = *website;
    } else {
      reader.AddProblem("website", "must be an absolute http or https URL", "url_parsing");
    }
  }
  const StringRule item{.min_length = 1, .max_length = 80};
  if (auto v = reader.StringList("brand_aliases", kMaxAliases, item)) brand.aliases = *v;
  if (auto v = ReadCompetitors(reader)) brand.competitors = *v;
  if (auto v = reader.StringList("categories", kMaxCategories, item)) brand.categories = *v;
  if (reader.IsNull("country")) brand.country.reset();
  if (auto v = reader.String("country", {.nullable = true})) {
    if (IsCountryCode(*v)) {
      brand.country = *v;
    } else {
      reader.AddProblem("country", "must be an ISO 3166-1 alpha-2 code such as \"US\"",
                        "string_pattern_mismatch");
    }
  }
  if (reader.IsNull("language")) brand.language.reset();
  if (auto v = reader.String("language", {.nullable = true})) {
    if (IsLanguageTag(*v)) {
      brand.language = *v;
    } else {
      reader.AddProblem("language", "must be an ISO 639-1 code such as \"en\" or \"en-US\"",
                        "string_pattern_mismatch");
    }
  }
}

// `brand_info`: {description} kept in the brand's facts. Returns the description to write
// (nullopt inside: clear it), or nothing when `brand_info` is absent or invalid.
std::optional<std::optional<std::string>> ReadBrandInfo(BodyReader& reader) {
  const auto* v = reader.object().if_contains("brand_info");
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    reader.AddProblem("brand_info", "must be an object {description}", "model_type");
    return std::nullopt;
  }
  BodyReader info = reader.Nested(v->as_object(), "brand_info");
  info.RejectUnknown({"description"});
  if (!info.Has("description")) return std::nullopt;
  using Description = std::optional<std::string>;
  if (info.IsNull("description")) return std::optional<Description>(std::in_place, std::nullopt);
  auto description = info.String("description", {.max_length = 5000});
  if (!description) return std::nullopt;
  return std::optional<Description>(std::in_place, std::move(description));
}

// `facts` with its description set to `description` (removed when empty or nullopt).
BrandFacts WithDescription(BrandFacts facts, const std::optional<std::string>& description,
                           UnixMs now) {
  json::value body = json::parse(facts.body);
  if (description && !description->empty()) {
    body.as_object()["description"] = *description;
  } else {
    body.as_object().erase("description");
  }
  facts.body = ToJson(body);
  facts.updated_at = now;
  return facts;
}

json::array StringsJson(const std::vector<std::string>& items) {
  json::array arr;
  for (const auto& s : items) arr.emplace_back(s);
  return arr;
}

json::value OptionalJson(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

Result<Brand> BrandService::Create(const std::string& tenant_id, const json::object& body) {
  Brand brand;
  BodyReader reader(body, "body");
  ReadBrandFields(reader, brand, true);
  auto info = ReadBrandInfo(reader);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  brand.tenant_id = tenant_id;
  brand.created_at = brand.updated_at = clock_.NowMs();
  brand.id = NewIdAt("brand", brand.created_at);
  std::optional<BrandFacts> facts;
  if (info && *info && !(*info)->empty()) {
    facts = WithDescription(BrandFacts{brand.id, tenant_id, "{}", "completed", brand.created_at},
                            *info, brand.created_at);
    brand.description = *info;
  }
  RAPPORT_CHECK(store_.InsertBrand(brand, facts ? &*facts : nullptr));
  return brand;
}

Result<Brand> BrandService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "brand")) return Error::NotFound("Brand");
  return store_.GetBrand(tenant_id, id);
}

Result<Page<Brand>> BrandService::List(const std::string& tenant_id, const PageRequest& page) {
  return store_.ListBrands(tenant_id, page);
}

Result<Brand> BrandService::Patch(const std::string& tenant_id, const std::string& id,
                                  const json::object& body) {
  RAPPORT_TRY(Brand brand, Get(tenant_id, id));
  BodyReader reader(body, "body");
  ReadBrandFields(reader, brand, false);
  auto info = ReadBrandInfo(reader);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  brand.updated_at = clock_.NowMs();
  std::optional<BrandFacts> facts;
  if (info) {  // the same value GET /facts and the execution precondition read
    auto existing = store_.GetBrandFacts(tenant_id, id);
    if (!existing.ok() && existing.error().code() != ErrorCode::kNotFound) {
      return existing.error();
    }
    facts = WithDescription(
        existing.ok() ? *existing : BrandFacts{id, tenant_id, "{}", "completed", brand.updated_at},
        *info, brand.updated_at);
    brand.description = (*info && !(*info)->empty()) ? *info : std::nullopt;
  }
  RAPPORT_CHECK(store_.UpdateBrand(brand, facts ? &*facts : nullptr));
  return brand;
}

Status BrandService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "brand")) return Error::NotFound("Brand");
  return store_.DeleteBrand(tenant_id, id);
}

json::object BrandToJson(const Brand& b) {
  json::array competitors;
  for (const auto& c : b.competitors) {
    competitors.push_back(json::object{{"name", c.name}, {"aliases", StringsJson(c.aliases)}});
  }
  return json::object{
      {"id", b.id},
      {"object", "brand"},
      {"name", b.name},
      {"website", b.website},
      {"brand_aliases", StringsJson(b.aliases)},
      {"competitors", std::move(competitors)},
      {"categories", StringsJson(b.categories)},
      {"country", OptionalJson(b.country)},
      {"language", OptionalJson(b.language)},
      {"brand_info", json::object{{"description", b.description && !b.description->empty()
                                                      ? json::value(*b.description)
                                                      : json::value(nullptr)}}},
      {"created_at", FormatRfc3339(b.created_at)},
      {"updated_at", FormatRfc3339(b.updated_at)}};
}

}  // namespace rapport
