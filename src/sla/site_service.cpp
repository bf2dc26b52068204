#include <rapport/sla/site_service.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

void ReadSiteFields(BodyReader& reader, Site& site, bool creating) {
  reader.RejectUnknown({"name", "tags", "timezone"});
  if (auto name =
          reader.String("name", {.required = creating, .min_length = 1, .max_length = 200})) {
    site.name = *name;
  }
  if (auto tags =
          reader.StringMap("tags", 50, {.min_length = 1, .max_length = 64}, {.max_length = 256})) {
    site.tags = *tags;
  }
  if (auto tz = reader.String("timezone", {.required = creating, .min_length = 1})) {
    if (IsKnownTimeZone(*tz)) {
      site.timezone = *tz;
    } else {
      reader.AddProblem("timezone", "must be an IANA time zone such as \"Europe/London\"",
                        "timezone");
    }
  }
}

}  // namespace

Result<Site> SiteService::Create(const std::string& tenant_id, const json::object& body) {
  Site site;
  BodyReader reader(body, "body");
  ReadSiteFields(reader, site, true);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  site.tenant_id = tenant_id;
  site.created_at = site.updated_at = clock_.NowMs();
  site.id = NewIdAt("site", site.created_at);
  RAPPORT_CHECK(store_.InsertSite(site));
  return site;
}

Result<Site> SiteService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "site")) return Error::NotFound("Site");
  return store_.GetSite(tenant_id, id);
}

Result<Page<Site>> SiteService::List(const std::string& tenant_id, const PageRequest& page) {
  return store_.ListSites(tenant_id, page);
}

Result<Site> SiteService::Patch(const std::string& tenant_id, const std::string& id,
                                const json::object& body) {
  RAPPORT_TRY(Site site, Get(tenant_id, id));
  BodyReader reader(body, "body");
  ReadSiteFields(reader, site, false);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  site.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateSite(site));
  return site;
}

Status SiteService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "site")) return Error::NotFound("Site");
  return store_.DeleteSite(tenant_id, id);
}

json::object SiteToJson(const Site& s) {
  json::object tags;
  for (const auto& [k, v] : s.tags) tags[k] = v;
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"tags", std::move(tags)},
                      {"timezone", s.timezone},
                      {"created_at", FormatRfc3339(s.created_at)},
                      {"updated_at", FormatRfc3339(s.updated_at)}};
}

}  // namespace rapport
