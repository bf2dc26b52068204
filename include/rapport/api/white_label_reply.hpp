// A tenant's logo as an HTTP reply, for every route that serves one (/v1/white-label/logo, a
// shared report's /shared/{token}/logo).
#pragma once

#include <rapport/api/context.hpp>
#include <rapport/store/records.hpp>

namespace rapport::api {

// The logo's bytes with its content type, `X-Content-Type-Options: nosniff`, and for an SVG
// `Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; sandbox`; kNotFound
// ("Logo") when the tenant has none.
Result<Reply> WhiteLabelLogoReply(const WhiteLabel& label);

}  // namespace rapport::api
