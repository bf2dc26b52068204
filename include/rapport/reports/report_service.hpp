// Stored reports of every kind: find, list, delete and the PDF, with tenant isolation. A report
// kind names itself (`Report::kind`) when it calls; this module never names one.
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <string>
#include <string_view>

namespace rapport {

// Thread-safe as the store is. Holds a reference to `store`, which must outlive it and every
// copy; copies are cheap (a PDF download keeps one while it streams).
class ReportService {
 public:
  explicit ReportService(ReportStore& store) : store_(store) {}

  // The tenant's report `id` of kind `kind`. kNotFound ("Report") for a malformed id, an unknown
  // one, another tenant's report or one of another kind, so neither tenants nor kinds can probe
  // each other's ids.
  Result<Report> Find(const std::string& tenant_id, std::string_view kind,
                      const std::string& id) const;
  // The tenant's reports matching `filter` (whose `kind` the caller sets), newest first.
  Result<Page<Report>> List(const std::string& tenant_id, const ReportFilter& filter,
                            const PageRequest& page) const;
  // Deletes the report Find returns (its artifacts, citations and deliveries go with it) and
  // returns it; kNotFound as Find.
  Result<Report> Delete(const std::string& tenant_id, std::string_view kind,
                        const std::string& id) const;

  // The name and size of report `report_id`'s PDF (the tenant's; the caller has found the
  // report), kNotFound without one; then up to `length` of its bytes from `offset`, so that a
  // download streams it in pieces.
  Result<ArtifactInfo> PdfInfo(const std::string& tenant_id, const std::string& report_id) const;
  Result<std::string> ReadPdf(const std::string& tenant_id, const std::string& report_id,
                              int64_t offset, int64_t length) const;

 private:
  ReportStore& store_;
};

}  // namespace rapport
