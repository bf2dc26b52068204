// SqlStore: the brand kind's data: brands and facts, scheduled reports, region configs, prompts,
// run checkpoints.
#include "sql_store_kinds.hpp"

#include "brand.hpp"

#include <boost/json.hpp>

namespace rapport::sql {
namespace {

namespace json = boost::json;

std::string CompetitorsToJson(const std::vector<Competitor>& items) {
  json::array arr;
  for (const auto& c : items) {
    json::array aliases;
    for (const auto& a : c.aliases) aliases.emplace_back(a);
    arr.push_back(json::object{{"name", c.name}, {"aliases", std::move(aliases)}});
  }
  return json::serialize(arr);
}

// `[{"name": …, "aliases": […]}, …]` in either key order; false (and `out` partly filled) for
// anything SimpleJsonReader does not read or another shape.
bool ReadSimpleCompetitors(std::string_view text, std::vector<Competitor>& out) {
  SimpleJsonReader r(text);
  if (!r.Take('[')) return false;
  if (r.Take(']')) return r.AtEnd();
  do {
    Competitor& c = out.emplace_back();
    if (!r.Take('{')) return false;
    bool name = false, aliases = false;
    std::string key;
    do {
      if (!r.String(key) || !r.Take(':')) return false;
      if (key == "name" && !name) {
        name = r.String(c.name);
        if (!name) return false;
      } else if (key == "aliases" && !aliases) {
        aliases = r.Strings(c.aliases);
        if (!aliases) return false;
      } else {
        return false;
      }
    } while (r.Take(','));
    if (!r.Take('}') || !name || !aliases) return false;
  } while (r.Take(','));
  return r.Take(']') && r.AtEnd();
}

std::vector<Competitor> CompetitorsFromJson(const std::string& text) {
  std::vector<Competitor> out;
  if (ReadSimpleCompetitors(text, out)) return out;
  out.clear();
  unsigned char buffer[4096];  // the parsed tree, on the stack unless larger: read per row
  json::monotonic_resource scratch(buffer, sizeof buffer);
  json::value parsed = json::parse(text, &scratch);
  out.reserve(parsed.as_array().size());
  for (const auto& v : parsed.as_array()) {
    Competitor c{std::string(v.at("name").as_string()), {}};
    for (const auto& a : v.at("aliases").as_array()) c.aliases.emplace_back(a.as_string());
    out.push_back(std::move(c));
  }
  return out;
}

Brand ReadBrand(const Statement& s) {
  return Brand{s.Text(0),
               s.Text(1),
               s.Text(2),
               s.Text(3),
               StringsFromJson(s.Text(4)),
               CompetitorsFromJson(s.Text(5)),
               StringsFromJson(s.Text(6)),
               s.OptionalText(7),
               s.OptionalText(8),
               s.Int(9),
               s.Int(10),
               s.OptionalText(11)};
}

// The brand columns ReadBrand reads, with the description from the brand's facts. A macro, so
// that each query stays one literal (statements are cached by the literal's address).
#define RAPPORT_BRAND_SELECT                                                                  \
  "SELECT b.id, b.tenant_id, b.name, b.website, b.aliases, b.competitors, b.categories, "     \
  "b.country, b.language, b.created_at, b.updated_at, json_extract(f.body, '$.description') " \
  "FROM brands b LEFT JOIN brand_facts f ON f.brand_id = b.id AND f.tenant_id = b.tenant_id "

}  // namespace

Status SqlStore::InsertBrand(const Brand& b, const BrandFacts* facts) {
  return WriteTxn([&](Connection& w) {
    w.Prepare(
         "INSERT INTO brands (id, tenant_id, name, website, aliases, competitors, "
         "categories, country, language, created_at, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, b.id)
        .Bind(2, b.tenant_id)
        .Bind(3, b.name)
        .Bind(4, b.website)
        .Bind(5, StringsToJson(b.aliases))
        .Bind(6, CompetitorsToJson(b.competitors))
        .Bind(7, StringsToJson(b.categories))
        .Bind(8, b.country)
        .Bind(9, b.language)
        .Bind(10, b.created_at)
        .Bind(11, b.updated_at)
        .Run();
    if (facts != nullptr) brand::PutFacts(w, *facts);
  });
}

Result<Brand> SqlStore::GetBrand(const std::string& tenant_id, const std::string& id) {
  return Guard([&]() -> Result<Brand> {
    return WithReader([&](Connection& c) -> Result<Brand> {
      auto q = c.Prepare(RAPPORT_BRAND_SELECT "WHERE b.tenant_id = ? AND b.id = ?");
      q.Bind(1, tenant_id).Bind(2, id);
      if (!q.Step()) return Error::NotFound("Brand");
      return ReadBrand(q);
    });
  });
}

Result<Page<Brand>> SqlStore::ListBrands(const std::string& tenant_id, const PageRequest& page) {
  return Guard([&]() -> Result<Page<Brand>> {
    return WithReader([&](Connection& c) {
      auto q = c.Prepare(RAPPORT_BRAND_SELECT
                         "WHERE b.tenant_id = ?1 AND (b.id < ?2 OR ?2 IS NULL) "
                         "ORDER BY b.id DESC LIMIT ?3");
      return ReadPage<Brand>(q, tenant_id, page, ReadBrand);
    });
  });
}

Status SqlStore::UpdateBrand(const Brand& b, const BrandFacts* facts) {
  return WriteOne("Brand", [&](Connection& w) {
    auto changed = w.Prepare(
                        "UPDATE brands SET name = ?, website = ?, aliases = ?, competitors = ?, "
                        "categories = ?, country = ?, language = ?, updated_at = ? "
                        "WHERE tenant_id = ? AND id = ?")
                       .Bind(1, b.name)
                       .Bind(2, b.website)
                       .Bind(3, StringsToJson(b.aliases))
                       .Bind(4, CompetitorsToJson(b.competitors))
                       .Bind(5, StringsToJson(b.categories))
                       .Bind(6, b.country)
                       .Bind(7, b.language)
                       .Bind(8, b.updated_at)
                       .Bind(9, b.tenant_id)
                       .Bind(10, b.id)
                       .Run();
    if (changed > 0 && facts != nullptr) brand::PutFacts(w, *facts);
    return changed;
  });
}

Status SqlStore::DeleteBrand(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Brand", [&](Connection& w) {
    return w.Prepare("DELETE FROM brands WHERE tenant_id = ? AND id = ?")
        .Bind(1, tenant_id)
        .Bind(2, id)
        .Run();
  });
}

Result<BrandFacts> SqlStore::GetBrandFacts(const std::string& tenant_id,
                                           const std::string& brand_id) {
  return ReadRow<BrandFacts>(
      "Brand facts", [&](Connection& c) { return brand::GetFacts(c, tenant_id, brand_id); });
}

Status SqlStore::PutBrandAnswer(const BrandAnswer& answer, const std::string& worker_id) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        if (brand::PutAnswer(w, answer, worker_id) == 0) return LeaseLost();
        return Ok{};
      },
      Isolation::kSingleStatements);
}

Status SqlStore::PutBrandJudgement(const BrandAnswerKey& key, const std::string& judgement,
                                   int64_t prompt_tokens, int64_t completion_tokens,
                                   const std::string& worker_id) {
  return InWriteTxn(
      [&](Connection& w) -> Status {
        if (brand::PutJudgement(w, key, judgement, prompt_tokens, completion_tokens, worker_id) ==
            0) {
          return LeaseLost();
        }
        return Ok{};
      },
      Isolation::kSingleStatements);
}

Result<std::vector<BrandAnswer>> SqlStore::ListBrandAnswers(const std::string& job_id) {
  return Guard([&]() -> Result<std::vector<BrandAnswer>> {
    return WithReader([&](Connection& c) { return brand::ListAnswers(c, job_id); });
  });
}

Status SqlStore::PutBrandFacts(const BrandFacts& facts) {
  return WriteTxn([&](Connection& w) { brand::PutFacts(w, facts); });
}

Status SqlStore::EnqueueFactsResearch(const std::string& tenant_id, const std::string& brand_id,
                                      const Job& job, UnixMs now) {
  return WriteTxn([&](Connection& w) {
    BrandFacts facts = brand::GetFacts(w, tenant_id, brand_id)
                           .value_or(BrandFacts{brand_id, tenant_id, "{}", "pending", now});
    facts.research_status = "pending";
    facts.updated_at = now;
    brand::PutFacts(w, facts);
    jobs::Insert(w, job);
  });
}

Status SqlStore::InsertScheduledReport(const ScheduledReport& s) {
  return WriteTxn([&](Connection& w) { brand::InsertSchedule(w, s); });
}

Result<ScheduledReport> SqlStore::GetScheduledReport(const std::string& tenant_id,
                                                     const std::string& id) {
  return ReadRow<ScheduledReport>(
      "Scheduled report", [&](Connection& c) { return brand::GetSchedule(c, tenant_id, id); });
}

Result<Page<ScheduledReport>> SqlStore::ListScheduledReports(const std::string& tenant_id,
                                                             const ScheduledReportFilter& filter,
                                                             const PageRequest& page) {
  return Guard([&]() -> Result<Page<ScheduledReport>> {
    return WithReader(
        [&](Connection& c) { return brand::ListSchedules(c, tenant_id, filter, page); });
  });
}

Status SqlStore::UpdateScheduledReport(const ScheduledReport& s) {
  return WriteOne("Scheduled report", [&](Connection& w) { return brand::UpdateSchedule(w, s); });
}

Status SqlStore::DeleteScheduledReport(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Scheduled report",
                  [&](Connection& w) { return brand::DeleteSchedule(w, tenant_id, id); });
}

Result<std::vector<ScheduledReport>> SqlStore::DueScheduledReports(UnixMs now, int limit) {
  return Guard([&]() -> Result<std::vector<ScheduledReport>> {
    return WithReader([&](Connection& c) { return brand::DueSchedules(c, now, limit); });
  });
}

Status SqlStore::InsertRegionConfig(const RegionConfig& rc) {
  return WriteTxn([&](Connection& w) { brand::InsertRegionConfig(w, rc); });
}

Result<RegionConfig> SqlStore::GetRegionConfig(const std::string& tenant_id,
                                               const std::string& id) {
  return ReadRow<RegionConfig>(
      "Region config", [&](Connection& c) { return brand::GetRegionConfig(c, tenant_id, id); });
}

Result<Page<RegionConfig>> SqlStore::ListRegionConfigs(
    const std::string& tenant_id, const std::optional<std::string>& schedule_id,
    const PageRequest& page) {
  return Guard([&]() -> Result<Page<RegionConfig>> {
    return WithReader(
        [&](Connection& c) { return brand::ListRegionConfigs(c, tenant_id, schedule_id, page); });
  });
}

Status SqlStore::UpdateRegionConfig(const RegionConfig& rc, int max_per_schedule) {
  return InWriteTxn([&](Connection& w) -> Status {
    if (rc.scheduled_report_id &&
        brand::CountRegionConfigs(w, rc.tenant_id, *rc.scheduled_report_id, rc.id) >=
            max_per_schedule) {
      return Error(ErrorCode::kConflict, "The scheduled report already has " +
                                             std::to_string(max_per_schedule) +
                                             " region configs, the most it can have");
    }
    if (brand::UpdateRegionConfig(w, rc) == 0) return Error::NotFound("Region config");
    return Ok{};
  });
}

Status SqlStore::DeleteRegionConfig(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Region config",
                  [&](Connection& w) { return brand::DeleteRegionConfig(w, tenant_id, id); });
}

Status SqlStore::InsertPrompts(const std::vector<Prompt>& prompts, int max_per_config) {
  return InWriteTxn([&](Connection& w) -> Status {
    if (prompts.empty()) return Ok{};
    const Prompt& first = prompts.front();
    int64_t existing = brand::CountPrompts(w, first.tenant_id, first.region_config_id);
    if (existing + static_cast<int64_t>(prompts.size()) > max_per_config) {
      return Error(ErrorCode::kConflict, "A region config holds at most " +
                                             std::to_string(max_per_config) + " prompts; it has " +
                                             std::to_string(existing));
    }
    for (const auto& p : prompts) brand::InsertPrompt(w, p);
    return Ok{};
  });
}

Result<Prompt> SqlStore::GetPrompt(const std::string& tenant_id, const std::string& id) {
  return ReadRow<Prompt>("Prompt",
                         [&](Connection& c) { return brand::GetPrompt(c, tenant_id, id); });
}

Result<Page<Prompt>> SqlStore::ListPrompts(const std::string& tenant_id,
                                           const std::string& region_config_id,
                                           const PageRequest& page) {
  return Guard([&]() -> Result<Page<Prompt>> {
    return WithReader(
        [&](Connection& c) { return brand::ListPrompts(c, tenant_id, region_config_id, page); });
  });
}

Status SqlStore::UpdatePrompt(const Prompt& p) {
  return WriteOne("Prompt", [&](Connection& w) { return brand::UpdatePrompt(w, p); });
}

Status SqlStore::DeletePrompt(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Prompt", [&](Connection& w) { return brand::DeletePrompt(w, tenant_id, id); });
}

}  // namespace rapport::sql
