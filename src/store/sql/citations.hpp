// Citation queries of the store: the URLs a brand's reports cite (`citations`, one row per
// tenant, brand and URL) and their occurrences (`citation_uses`, one row per citation, report and
// platform), written with the report; and the queue of reports stored before citations were.
// Callers open the transaction; these run the statements.
#pragma once

#include "sql_db.hpp"

#include <rapport/store/records.hpp>

namespace rapport::sql::citations {

// Stores `uses`, the citations of `report` (whose row the caller writes in the same transaction).
void InsertUses(Connection& c, const Report& report, const std::vector<CitationUse>& uses);
// Deletes the report's occurrences (call before the report row goes), the citations that have
// none left, and its place in the backfill queue.
void DeleteReportUses(Connection& c, const std::string& tenant_id, const std::string& report_id);

Page<Citation> List(Connection& c, const std::string& tenant_id, const std::string& brand_id,
                    const CitationFilter& f, const PageRequest& page);
std::optional<Citation> Get(Connection& c, const std::string& tenant_id, const std::string& id);
std::pair<std::vector<DomainCount>, int64_t> ByDomain(Connection& c, const std::string& tenant_id,
                                                      const std::string& brand_id,
                                                      const CitationFilter& f, int limit);

// (tenant id, report id) of queued reports, oldest first.
std::vector<std::pair<std::string, std::string>> Queued(Connection& c, int limit);
// Takes the report off the queue; false when it was not on it.
bool Unqueue(Connection& c, const std::string& report_id);

}  // namespace rapport::sql::citations
