// SqlStore: the citations of brand reports (CitationStore), and the brand kind's report hooks
// that store them with each report and delete them, and the report's raw answers, with it.
#include <rapport/store/brand_report_hooks.hpp>

#include "sql_store_kinds.hpp"

#include "brand.hpp"
#include "citations.hpp"

#include <stdexcept>

namespace rapport::sql {
namespace {

// The citations a brand report carries (`kind_data`): none when it is empty.
std::vector<CitationUse> UsesOf(const Report& report) {
  if (!report.kind_data.has_value()) return {};
  const auto* uses = std::any_cast<std::vector<CitationUse>>(&report.kind_data);
  if (uses == nullptr) {
    throw std::invalid_argument("a brand report's kind_data must be its citation uses");
  }
  return *uses;
}

}  // namespace

Result<Page<Citation>> SqlStore::ListCitations(const std::string& tenant_id,
                                               const std::string& brand_id,
                                               const CitationFilter& filter,
                                               const PageRequest& page) {
  return Guard([&]() -> Result<Page<Citation>> {
    return WithReader(
        [&](Connection& c) { return citations::List(c, tenant_id, brand_id, filter, page); });
  });
}

Result<Citation> SqlStore::GetCitation(const std::string& tenant_id, const std::string& id) {
  return ReadRow<Citation>("Citation",
                           [&](Connection& c) { return citations::Get(c, tenant_id, id); });
}

Result<std::pair<std::vector<DomainCount>, int64_t>> SqlStore::CountCitationsByDomain(
    const std::string& tenant_id, const std::string& brand_id, const CitationFilter& filter,
    int limit) {
  return Guard([&]() -> Result<std::pair<std::vector<DomainCount>, int64_t>> {
    return WithReader(
        [&](Connection& c) { return citations::ByDomain(c, tenant_id, brand_id, filter, limit); });
  });
}

Result<std::vector<Report>> SqlStore::ReportsAwaitingCitations(int limit) {
  return Guard([&]() -> Result<std::vector<Report>> {
    return WithReader([&](Connection& c) {
      std::vector<Report> out;
      for (const auto& [tenant, id] : citations::Queued(c, limit)) {
        if (auto r = reports::GetReport(c, tenant, id)) out.push_back(std::move(*r));
      }
      return out;
    });
  });
}

Result<bool> SqlStore::BackfillCitations(const Report& report) {
  return InWriteTxn(
      [&](Connection& w) -> Result<bool> {
        if (!citations::Unqueue(w, report.id)) return false;
        citations::InsertUses(w, report, UsesOf(report));
        return true;
      },
      Isolation::kReadCommitted);
}

}  // namespace rapport::sql

namespace rapport {

ReportHooks BrandReportHooks() {
  ReportHooks hooks;
  hooks.kind = "brand";
  hooks.stored = [](sql::Connection& c, const Report& report) {
    sql::citations::InsertUses(c, report, sql::UsesOf(report));
  };
  hooks.deleted = [](sql::Connection& c, const std::string& tenant_id,
                     const std::string& report_id) {
    sql::citations::DeleteReportUses(c, tenant_id, report_id);
    sql::brand::DeleteAnswersOfReport(c, tenant_id, report_id);
  };
  hooks.jobs_purged = [](sql::Connection& c, UnixMs cutoff) {
    sql::brand::DeleteAnswersOfUnfinishedRuns(c, cutoff);
  };
  return hooks;
}

}  // namespace rapport
