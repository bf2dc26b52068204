// SqlStore: reports of every kind and their artifacts.
#include "sql_store_impl.hpp"

namespace rapport::sql {

Result<Report> SqlStoreCore::GetReport(const std::string& tenant_id, const std::string& id) {
  return ReadRow<Report>("Report",
                         [&](Connection& c) { return reports::GetReport(c, tenant_id, id); });
}

Result<Page<Report>> SqlStoreCore::ListReports(const std::string& tenant_id,
                                               const ReportFilter& filter,
                                               const PageRequest& page) {
  return Guard([&]() -> Result<Page<Report>> {
    return WithReader(
        [&](Connection& c) { return reports::ListReports(c, tenant_id, filter, page); });
  });
}

Status SqlStoreCore::DeleteReport(const std::string& tenant_id, const std::string& id) {
  return WriteOne("Report", [&](Connection& w) {
    std::optional<std::string> kind = reports::KindOf(w, tenant_id, id);
    if (!kind) return 0;
    ForEachHooks(kind, [&](const ReportHooks& h) {
      if (h.deleted) h.deleted(w, tenant_id, id);
    });
    return reports::DeleteReport(w, tenant_id, id);
  });
}

Result<Artifact> SqlStoreCore::GetReportArtifact(const std::string& tenant_id,
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

Result<ArtifactInfo> SqlStoreCore::GetReportArtifactInfo(const std::string& tenant_id,
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

Result<std::string> SqlStoreCore::ReadReportArtifact(const std::string& tenant_id,
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
