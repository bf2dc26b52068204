// How both API families serve a report's stored PDF.
#pragma once

#include "context.hpp"

#include <string>

namespace rapport::api {

// The PDF `bytes` as an attachment named `filename`, with a strong ETag derived from the bytes
// (rendering is deterministic, so it is stable for the report's life) and `Cache-Control:
// private, no-cache`; 304 without a body when the request's If-None-Match names that ETag.
Reply PdfReply(const RequestContext& ctx, std::string bytes, const std::string& filename);

// True when an If-None-Match header value (a list of entity tags, weak or strong, or "*")
// matches `etag` under the weak comparison RFC 9110 prescribes for it.
bool IfNoneMatchHits(std::string_view header, std::string_view etag);

}  // namespace rapport::api
