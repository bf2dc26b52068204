#include <rapport/brand/facts_service.hpp>

#include <rapport/brand/brand_errors.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

const std::vector<std::string_view> kTextFacts = {
    "description", "industry",          "company_size",     "headquarters",
    "tagline",     "value_proposition", "mission_statement"};

// The lists of {name, <second>} objects among the facts.
constexpr std::pair<std::string_view, std::string_view> kNamedLists[] = {
    {"key_people", "title"}, {"products", "description"}, {"services", "description"}};

// Validates a list of {name, <second>} objects; returns the cleaned array.
std::optional<json::array> ReadNamedList(BodyReader& reader, std::string_view key,
                                         std::string_view second) {
  json::array out;
  bool present = reader.ObjectList(key, 100, false, [&](BodyReader& item, size_t) {
    item.RejectUnknown({"name", second});
    auto name = item.String("name", {.required = true, .min_length = 1, .max_length = 200});
    auto other = item.String(second, {.max_length = 2000, .nullable = true});
    if (name) {
      out.push_back(json::object{{"name", *name}, {second, other ? json::value(*other) : nullptr}});
    }
  });
  if (!present) return std::nullopt;
  return out;
}

void PatchTextFacts(BodyReader& reader, json::object& f) {
  for (auto key : kTextFacts) {
    if (!reader.Has(key)) continue;
    if (reader.IsNull(key)) {
      f.erase(key);
    } else if (auto v = reader.String(key, {.max_length = key == "description" ? 5000u : 1000u})) {
      f[key] = *v;
    }
  }
}

void PatchFoundedYearAndKeyFacts(BodyReader& reader, json::object& f) {
  if (reader.Has("founded_year")) {
    if (reader.IsNull("founded_year")) {
      f.erase("founded_year");
    } else if (auto year = reader.Int("founded_year", false, 1000, 2100)) {
      f["founded_year"] = *year;
    }
  }
  if (reader.Has("key_facts")) {
    if (reader.IsNull("key_facts")) {
      f.erase("key_facts");
    } else if (auto list =
                   reader.StringList("key_facts", 100, {.min_length = 1, .max_length = 1000})) {
      json::array a;
      for (auto& s : *list) a.emplace_back(s);
      f["key_facts"] = std::move(a);
    }
  }
}

void PatchNamedLists(BodyReader& reader, json::object& f) {
  for (auto [key, second] : kNamedLists) {
    if (!reader.Has(key)) continue;
    if (reader.IsNull(key)) {
      f.erase(key);
    } else if (auto list = ReadNamedList(reader, key, second)) {
      f[key] = std::move(*list);
    }
  }
}

// The facts of `facts` (stored JSON) with the body's fields merged in; kBodyValidation with every
// problem of the body.
Result<json::value> MergeBody(const BrandFacts& facts, const json::object& body) {
  json::value stored = json::parse(facts.body);
  json::object& f = stored.as_object();
  BodyReader reader(body, "body");
  std::vector<std::string_view> known(kTextFacts.begin(), kTextFacts.end());
  for (auto k : {"founded_year", "key_facts", "key_people", "products", "services"}) {
    known.push_back(k);
  }
  reader.RejectUnknown(known);
  PatchTextFacts(reader, f);
  PatchFoundedYearAndKeyFacts(reader, f);
  PatchNamedLists(reader, f);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return stored;
}

// Researched {name, <second>} lists, each item with a string name; at most 100 each.
int MergeResearchedLists(json::object& facts, const json::object& researched) {
  int taken = 0;
  for (auto [key, second] : kNamedLists) {
    const auto* v = researched.if_contains(key);
    if (!v || !v->is_array()) continue;
    json::array list;
    for (const auto& item : v->as_array()) {
      if (!item.is_object() || list.size() >= 100) continue;
      const auto* name = item.as_object().if_contains("name");
      const auto* other = item.as_object().if_contains(second);
      if (!name || !name->is_string()) continue;
      list.push_back(json::object{
          {"name", *name}, {second, other && other->is_string() ? *other : json::value(nullptr)}});
    }
    facts[key] = std::move(list);
    ++taken;
  }
  return taken;
}

}  // namespace

Result<BrandFacts> FactsService::Get(const std::string& tenant_id, const std::string& brand_id) {
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(store_.GetBrand(tenant_id, brand_id));
  auto facts = store_.GetBrandFacts(tenant_id, brand_id);
  if (!facts.ok() && facts.error().code() == ErrorCode::kNotFound) {
    return Error(FactsNotGenerated(),
                 "No facts for this brand yet: set them with PATCH or generate them with POST "
                 "/v1/brands/" +
                     brand_id + "/facts");
  }
  return facts;
}

Result<BrandFacts> FactsService::Patch(const std::string& tenant_id, const std::string& brand_id,
                                       const json::object& body) {
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(store_.GetBrand(tenant_id, brand_id));
  BrandFacts facts;
  if (auto existing = store_.GetBrandFacts(tenant_id, brand_id); existing.ok()) {
    facts = *existing;
  } else if (existing.error().code() != ErrorCode::kNotFound) {
    return existing.error();
  }
  RAPPORT_TRY(json::value merged, MergeBody(facts, body));
  facts.brand_id = brand_id;
  facts.tenant_id = tenant_id;
  facts.body = ToJson(merged);
  facts.research_status = "completed";
  facts.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.PutBrandFacts(facts));
  return facts;
}

Result<Job> FactsService::Regenerate(const std::string& tenant_id, const std::string& brand_id) {
  if (!IsValidId(brand_id, "brand")) return Error::NotFound("Brand");
  RAPPORT_CHECK(store_.GetBrand(tenant_id, brand_id));
  UnixMs now = clock_.NowMs();
  Job job;
  job.id = NewIdAt("job", now);
  job.tenant_id = tenant_id;
  job.kind = std::string(kBrandFactsJobKind);
  job.created_at = job.updated_at = job.run_after = now;
  job.step = "queued";
  job.message = "Researching the brand";
  job.payload = ToJson(json::object{{"brand_id", brand_id}});
  RAPPORT_CHECK(store_.EnqueueFactsResearch(tenant_id, brand_id, job, now));
  return job;
}

int MergeResearchedFacts(json::object& facts, const json::object& researched) {
  int taken = 0;
  for (auto key : kTextFacts) {
    const auto* v = researched.if_contains(key);
    if (v && v->is_string() && !v->as_string().empty() && v->as_string().size() <= 5000) {
      facts[key] = *v;
      ++taken;
    }
  }
  if (const auto* y = researched.if_contains("founded_year");
      y && y->is_int64() && y->as_int64() >= 1000 && y->as_int64() <= 2100) {
    facts["founded_year"] = *y;
    ++taken;
  }
  if (const auto* k = researched.if_contains("key_facts"); k && k->is_array()) {
    json::array list;
    for (const auto& f : k->as_array()) {
      if (f.is_string() && list.size() < 100) list.push_back(f);
    }
    facts["key_facts"] = std::move(list);
    ++taken;
  }
  return taken + MergeResearchedLists(facts, researched);
}

json::object FactsToJson(const BrandFacts& facts) {
  json::value body = json::parse(facts.body);
  const json::object& f = body.as_object();
  json::object out{{"brand_id", facts.brand_id}, {"object", "brand_facts"}};
  for (auto key : kTextFacts) {
    const auto* v = f.if_contains(key);
    out[key] = v ? *v : json::value(nullptr);
  }
  const auto* year = f.if_contains("founded_year");
  out["founded_year"] = year ? *year : json::value(nullptr);
  for (auto key : {"key_facts", "key_people", "products", "services"}) {
    const auto* v = f.if_contains(key);
    out[key] = v ? *v : json::value(json::array{});
  }
  out["research_status"] = facts.research_status;
  out["updated_at"] = FormatRfc3339(facts.updated_at);
  return out;
}

}  // namespace rapport
