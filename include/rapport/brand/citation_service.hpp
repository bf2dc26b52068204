// Citations (issue 17): every URL a brand's reports cite, with how often, when and on which
// platforms. A brand report's citations are taken from its JSON (`prompts[].results[]`:
// `platform`, `citations`) when its job completes and stored with it; reports stored before
// citations were are read once at start-up (BackfillCitations). Validation, tenancy and the `/v1`
// JSON forms live here; routes only translate HTTP.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport {

// The domain of a cited URL or bare domain: its host, lower case, without "www.".
std::string CitationDomain(std::string_view url);
// A brand report's citations: per (URL, platform), how many answers cite it. Anything in the
// body that is not the report shape is skipped.
std::vector<CitationUse> CitationUsesOf(const boost::json::object& report_body);

// Stores the citations of the reports the migration queued, oldest first, 100 per read; several
// nodes may run it at once (each report is taken by one). Returns how many this call stored.
Result<int64_t> BackfillCitations(CitationStore& store);

// The list filters as the client sent them (query parameters; empty means absent).
struct CitationQuery {
  std::optional<std::string> platform;
  std::optional<std::string> region_config_id;
  std::optional<std::string> from;  // RFC 3339 date (from its start) or date-time, inclusive
  std::optional<std::string> to;    // RFC 3339 date (to its end) or date-time, inclusive
};

class CitationService {
 public:
  // `brands`: only to check that a brand is the tenant's.
  CitationService(CitationStore& citations, BrandStore& brands)
      : citations_(citations), brands_(brands) {}

  // The brand's citations, newest first; counts, dates and by_platform count the occurrences
  // matching the filters. kValidation (naming the parameter) for a bad filter; kNotFound for a
  // brand that is not the tenant's.
  Result<Page<Citation>> List(const std::string& tenant_id, const std::string& brand_id,
                              const CitationQuery& query, const PageRequest& page);
  // {object:"list", data:[{domain, times_cited, share}], has_more, next_cursor:null,
  // total_citations}: the `limit` most cited domains; share is percent of all matching
  // occurrences (one decimal, like the report rates).
  Result<boost::json::object> ByDomain(const std::string& tenant_id, const std::string& brand_id,
                                       const CitationQuery& query, int limit);
  // kNotFound for a malformed id or another tenant's citation.
  Result<Citation> Get(const std::string& tenant_id, const std::string& id);

 private:
  Result<CitationFilter> Filter(const std::string& tenant_id, const std::string& brand_id,
                                const CitationQuery& query);
  CitationStore& citations_;
  BrandStore& brands_;
};

boost::json::object CitationToJson(const Citation& c);

}  // namespace rapport
