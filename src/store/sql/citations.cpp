#include "citations.hpp"

#include <rapport/core/ids.hpp>

#include <map>

namespace rapport::sql::citations {
namespace {

// The filter of every aggregate over `u`, the occurrences: ?1 tenant, ?2 brand, ?3 platform,
// ?4 region config, ?5 from, ?6 to (exclusive). Queries number their own parameters from ?7.
#define USE_FILTER                                                                    \
  "u.tenant_id = ?1 AND u.brand_id = ?2 AND (u.platform = ?3 OR ?3 IS NULL) "         \
  "AND (u.region_config_id = ?4 OR ?4 IS NULL) AND (u.cited_at >= ?5 OR ?5 IS NULL) " \
  "AND (u.cited_at < ?6 OR ?6 IS NULL) "

void BindFilter(Statement& q, const std::string& tenant_id, const std::string& brand_id,
                const CitationFilter& f) {
  q.Bind(1, tenant_id).Bind(2, brand_id).Bind(3, f.platform).Bind(4, f.region_config_id);
  q.Bind(5, f.from).Bind(6, f.to);
}

Citation ReadCitation(const Statement& s) {
  Citation c;
  c.id = s.Text(0);
  c.tenant_id = s.Text(1);
  c.brand_id = s.Text(2);
  c.url = s.Text(3);
  c.domain = s.Text(4);
  c.title = s.OptionalText(5);
  c.times_cited = s.OptionalInt(6).value_or(0);
  c.first_seen_at = s.OptionalInt(7).value_or(0);
  c.last_seen_at = s.OptionalInt(8).value_or(0);
  return c;
}

// Adds `by_platform` to the citations of a page: the page is a contiguous run of ids in the
// filtered order, so one query over that id range finds them all.
void AddPlatforms(Connection& c, const std::string& tenant_id, const std::string& brand_id,
                  const CitationFilter& f, std::vector<Citation>& items) {
  if (items.empty()) return;
  std::map<std::string, Citation*> by_id;
  for (auto& item : items) by_id[item.id] = &item;
  auto q = c.Prepare(
      "SELECT u.citation_id, u.platform, CAST(SUM(u.times_cited) AS BIGINT) "
      "FROM citation_uses u WHERE " USE_FILTER
      "AND u.citation_id >= ?7 AND u.citation_id <= ?8 "
      "GROUP BY u.citation_id, u.platform ORDER BY u.citation_id, u.platform");
  BindFilter(q, tenant_id, brand_id, f);
  q.Bind(7, items.back().id).Bind(8, items.front().id);
  while (q.Step()) {
    auto it = by_id.find(q.Text(0));
    if (it != by_id.end()) it->second->by_platform.emplace_back(q.Text(1), q.Int(2));
  }
}

}  // namespace

void InsertUses(Connection& c, const Report& report, const std::vector<CitationUse>& uses) {
  if (!report.brand_id) return;
  for (const auto& use : uses) {
    std::string id;
    {
      // DO UPDATE rather than DO NOTHING: it returns the id and locks the row, so a report
      // deletion cannot remove the citation under this occurrence before it is written.
      auto q = c.Prepare(
          "INSERT INTO citations (id, tenant_id, brand_id, url, domain, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tenant_id, brand_id, url) "
          "DO UPDATE SET domain = excluded.domain RETURNING id");
      q.Bind(1, NewIdAt("cit", report.created_at)).Bind(2, report.tenant_id);
      q.Bind(3, *report.brand_id).Bind(4, use.url).Bind(5, use.domain);
      q.Bind(6, report.created_at);
      q.Step();
      id = q.Text(0);
    }
    c.Prepare(
         "INSERT INTO citation_uses (citation_id, report_id, platform, tenant_id, brand_id, "
         "region_config_id, cited_at, times_cited) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
         "ON CONFLICT (citation_id, report_id, platform) DO NOTHING")
        .Bind(1, id)
        .Bind(2, report.id)
        .Bind(3, use.platform)
        .Bind(4, report.tenant_id)
        .Bind(5, *report.brand_id)
        .Bind(6, report.region_config_id)
        .Bind(7, report.created_at)
        .Bind(8, use.times_cited)
        .Run();
  }
}

void DeleteReportUses(Connection& c, const std::string& tenant_id, const std::string& report_id) {
  std::vector<std::string> cited;
  {
    auto q = c.Prepare(
        "SELECT DISTINCT citation_id FROM citation_uses WHERE tenant_id = ? AND report_id = ?");
    q.Bind(1, tenant_id).Bind(2, report_id);
    while (q.Step()) cited.push_back(q.Text(0));
  }
  c.Prepare("DELETE FROM citation_uses WHERE tenant_id = ? AND report_id = ?")
      .Bind(1, tenant_id)
      .Bind(2, report_id)
      .Run();
  for (const auto& id : cited) {
    c.Prepare(
         "DELETE FROM citations WHERE id = ?1 AND NOT EXISTS "
         "(SELECT 1 FROM citation_uses u WHERE u.citation_id = ?1)")
        .Bind(1, id)
        .Run();
  }
  Unqueue(c, report_id);
}

Page<Citation> List(Connection& c, const std::string& tenant_id, const std::string& brand_id,
                    const CitationFilter& f, const PageRequest& page) {
  auto q = c.Prepare(
      "SELECT c.id, c.tenant_id, c.brand_id, c.url, c.domain, c.title, "
      "CAST(SUM(u.times_cited) AS BIGINT), MIN(u.cited_at), MAX(u.cited_at) "
      "FROM citations c JOIN citation_uses u ON u.citation_id = c.id "
      "WHERE " USE_FILTER
      "AND c.tenant_id = ?1 AND c.brand_id = ?2 AND (c.id < ?7 OR ?7 IS NULL) "
      "GROUP BY c.id, c.tenant_id, c.brand_id, c.url, c.domain, c.title "
      "ORDER BY c.id DESC LIMIT ?8");
  BindFilter(q, tenant_id, brand_id, f);
  q.Bind(7, page.after_id).Bind(8, int64_t{page.limit} + 1);
  Page<Citation> out = ReadRows<Citation>(q, page.limit, ReadCitation);
  AddPlatforms(c, tenant_id, brand_id, f, out.items);
  return out;
}

std::optional<Citation> Get(Connection& c, const std::string& tenant_id, const std::string& id) {
  std::optional<Citation> out;
  {
    auto q = c.Prepare(
        "SELECT c.id, c.tenant_id, c.brand_id, c.url, c.domain, c.title, "
        "CAST(SUM(u.times_cited) AS BIGINT), MIN(u.cited_at), MAX(u.cited_at) "
        "FROM citations c LEFT JOIN citation_uses u ON u.citation_id = c.id "
        "WHERE c.tenant_id = ?1 AND c.id = ?2 "
        "GROUP BY c.id, c.tenant_id, c.brand_id, c.url, c.domain, c.title");
    q.Bind(1, tenant_id).Bind(2, id);
    if (!q.Step()) return std::nullopt;
    out = ReadCitation(q);
  }
  std::vector<Citation> one{*out};
  AddPlatforms(c, tenant_id, out->brand_id, {}, one);
  return one.front();
}

std::pair<std::vector<DomainCount>, int64_t> ByDomain(Connection& c, const std::string& tenant_id,
                                                      const std::string& brand_id,
                                                      const CitationFilter& f, int limit) {
  std::pair<std::vector<DomainCount>, int64_t> out{{}, 0};
  {
    auto q = c.Prepare(
        "SELECT c.domain, CAST(SUM(u.times_cited) AS BIGINT) AS n "
        "FROM citation_uses u JOIN citations c ON c.id = u.citation_id "
        "WHERE " USE_FILTER "GROUP BY c.domain ORDER BY n DESC, c.domain LIMIT ?7");
    BindFilter(q, tenant_id, brand_id, f);
    q.Bind(7, int64_t{limit});
    while (q.Step()) out.first.push_back({q.Text(0), q.Int(1)});
  }
  auto q = c.Prepare(
      "SELECT CAST(COALESCE(SUM(u.times_cited), 0) AS BIGINT) FROM citation_uses u "
      "WHERE " USE_FILTER);
  BindFilter(q, tenant_id, brand_id, f);
  q.Step();
  out.second = q.Int(0);
  return out;
}

std::vector<std::pair<std::string, std::string>> Queued(Connection& c, int limit) {
  auto q = c.Prepare(
      "SELECT r.tenant_id, r.id FROM citation_backfill b JOIN reports r ON r.id = b.report_id "
      "ORDER BY b.report_id LIMIT ?1");
  q.Bind(1, int64_t{limit});
  std::vector<std::pair<std::string, std::string>> out;
  while (q.Step()) out.emplace_back(q.Text(0), q.Text(1));
  return out;
}

bool Unqueue(Connection& c, const std::string& report_id) {
  return c.Prepare("DELETE FROM citation_backfill WHERE report_id = ?").Bind(1, report_id).Run() >
         0;
}

}  // namespace rapport::sql::citations
