#include <rapport/reports/report_service.hpp>

#include <rapport/core/ids.hpp>

namespace rapport {
namespace {

constexpr std::string_view kPdfArtifact = "report.pdf";

}  // namespace

Result<Report> ReportService::Find(const std::string& tenant_id, std::string_view kind,
                                   const std::string& id) const {
  if (!IsValidId(id, "rpt")) return Error::NotFound("Report");
  RAPPORT_TRY(Report report, store_.GetReport(tenant_id, id));
  if (report.kind != kind) return Error::NotFound("Report");
  return report;
}

Result<Page<Report>> ReportService::List(const std::string& tenant_id, const ReportFilter& filter,
                                         const PageRequest& page) const {
  return store_.ListReports(tenant_id, filter, page);
}

Result<Report> ReportService::Delete(const std::string& tenant_id, std::string_view kind,
                                     const std::string& id) const {
  RAPPORT_TRY(Report report, Find(tenant_id, kind, id));
  RAPPORT_CHECK(store_.DeleteReport(tenant_id, report.id));
  return report;
}

Result<ArtifactInfo> ReportService::PdfInfo(const std::string& tenant_id,
                                            const std::string& report_id) const {
  return store_.GetReportArtifactInfo(tenant_id, report_id, std::string(kPdfArtifact));
}

Result<std::string> ReportService::ReadPdf(const std::string& tenant_id,
                                           const std::string& report_id, int64_t offset,
                                           int64_t length) const {
  return store_.ReadReportArtifact(tenant_id, report_id, std::string(kPdfArtifact), offset, length);
}

}  // namespace rapport
