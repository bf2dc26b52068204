// How both API families serve a report's stored PDF, and conditional GETs of immutable bytes.
#pragma once

#include <rapport/api/context.hpp>

#include <rapport/reports/report_service.hpp>

#include <string>

namespace rapport::api {

// The stored PDF of report `report_id` (one the caller has found) as an attachment named
// `filename` (inline instead with the query `disposition=inline`, so that the console can frame
// it), streamed in pieces of 256 KiB through a copy of `reports` (a node never holds a whole large
// PDF), with a strong ETag derived from the report and the artifact (both immutable) and
// `Cache-Control: private, no-cache`; 304 without a body when the request's If-None-Match names
// that ETag. kNotFound without a PDF.
Result<Reply> PdfReply(const RequestContext& ctx, const ReportService& reports,
                       const std::string& report_id, const std::string& filename);

// Sets `reply`'s ETag and Cache-Control; when the request's If-None-Match names `etag`, also
// makes it a 304 without a body and returns true (the caller then returns it as it is).
bool AnswerNotModified(const RequestContext& ctx, Reply& reply, const std::string& etag,
                       const std::string& cache_control);

// True when an If-None-Match header value (a list of entity tags, weak or strong, or "*")
// matches `etag` under the weak comparison RFC 9110 prescribes for it.
bool IfNoneMatchHits(std::string_view header, std::string_view etag);

}  // namespace rapport::api
