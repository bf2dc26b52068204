// How both API families serve a report's stored PDF.
#pragma once

#include "context.hpp"

#include <rapport/store/store.hpp>

#include <string>

namespace rapport::api {

// The stored PDF of report `report_id` as an attachment named `filename`, streamed from the store
// in pieces of 256 KiB (a node never holds a whole large PDF), with a strong ETag derived from
// the report and the artifact (both immutable) and `Cache-Control: private, no-cache`; 304
// without a body when the request's If-None-Match names that ETag. kNotFound without a PDF.
Result<Reply> PdfReply(const RequestContext& ctx, Store& store, const std::string& report_id,
                       const std::string& filename);

// True when an If-None-Match header value (a list of entity tags, weak or strong, or "*")
// matches `etag` under the weak comparison RFC 9110 prescribes for it.
bool IfNoneMatchHits(std::string_view header, std::string_view etag);

}  // namespace rapport::api
