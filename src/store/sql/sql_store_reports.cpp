// SqlStore: reports, their artifacts and citations.
#include "sql_store_impl.hpp"

namespace rapport::sql {

Result<Report> SqlStore::GetReport(const std::string& tenant_id, const std::string& id) {
  return Read<Report>("Report", [&](Connection& c) { return sla::GetReport(c, tenant_id, id); });
}

Result<Page<Report>> SqlStore::ListReports(const std::string& tenant_id, const ReportFilter& filter,
                                           const PageRequest& page) {
  return Guard([&]() -> Result<Page<Report>> {
    return WithReader([&](Connection& c) { return sla::ListReports(c, tenant_id, filter, page); });
  });
}

Status SqlStore::DeleteReport(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Report", [&](Connection& w) {
    citations::DeleteReportUses(w, tenant_id, id);
    brand::DeleteAnswersOfReport(w, tenant_id, id);
    return sla::DeleteReport(w, tenant_id, id);
  });
}

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
  return Read<Citation>("Citation",
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
        if (auto r = sla::GetReport(c, tenant, id)) out.push_back(std::move(*r));
      }
      return out;
    });
  });
}

Result<bool> SqlStore::BackfillCitations(const Report& report) {
  return InWriteTxn(
      [&](Connection& w) -> Result<bool> {
        if (!citations::Unqueue(w, report.id)) return false;
        citations::InsertUses(w, report);
        return true;
      },
      Isolation::kReadCommitted);
}

Result<Artifact> SqlStore::GetReportArtifact(const std::string& tenant_id,
                                             const std::string& report_id,
                                             const std::string& name) {
  return Guard([&]() -> Result<Artifact> {
    return WithReader([&](Connection& c) -> Result<Artifact> {
      auto q = c.Prepare(
          "SELECT a.name, a.content_type, a.bytes FROM reports r JOIN artifacts a "
          "ON a.job_id = r.job_id AND a.tenant_id = r.tenant_id "
          "WHERE r.tenant_id = ? AND r.id = ? AND a.name = r.part || ?");
      q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, name);
      if (!q.Step()) return Error::NotFound("Report PDF");
      return Artifact{q.Text(0), q.Text(1), q.Blob(2)};
    });
  });
}

Result<ArtifactInfo> SqlStore::GetReportArtifactInfo(const std::string& tenant_id,
                                                     const std::string& report_id,
                                                     const std::string& name) {
  return Guard([&]() -> Result<ArtifactInfo> {
    return WithReader([&](Connection& c) -> Result<ArtifactInfo> {
      auto q = c.Prepare(
          "SELECT a.name, a.content_type, length(a.bytes) FROM reports r JOIN artifacts a "
          "ON a.job_id = r.job_id AND a.tenant_id = r.tenant_id "
          "WHERE r.tenant_id = ? AND r.id = ? AND a.name = r.part || ?");
      q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, name);
      if (!q.Step()) return Error::NotFound("Report PDF");
      return ArtifactInfo{q.Text(0), q.Text(1), q.Int(2)};
    });
  });
}

Result<std::string> SqlStore::ReadReportArtifact(const std::string& tenant_id,
                                                 const std::string& report_id,
                                                 const std::string& name, int64_t offset,
                                                 int64_t length) {
  return Guard([&]() -> Result<std::string> {
    return WithReader([&](Connection& c) -> Result<std::string> {
      auto q = c.Prepare(
          "SELECT substr(a.bytes, ?4, ?5) FROM reports r JOIN artifacts a "
          "ON a.job_id = r.job_id AND a.tenant_id = r.tenant_id "
          "WHERE r.tenant_id = ?1 AND r.id = ?2 AND a.name = r.part || ?3");
      q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, name).Bind(4, offset + 1).Bind(5, length);
      if (!q.Step()) return Error::NotFound("Report PDF");
      return q.Blob(0);
    });
  });
}

}  // namespace rapport::sql
