// Tenants' branding as the API serves it (GET/PATCH /v1/white-label and the logo): the PATCH
// body's validation (every bad field named), the logo's checks (logo_check.hpp) and the JSON
// form. Private to the API; the store keeps the rows (WhiteLabelStore).
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

namespace rapport::api {

class WhiteLabelService {
 public:
  // `store` must outlive the service. Thread-safe as the store is.
  explicit WhiteLabelService(WhiteLabelStore& store) : store_(store) {}

  // The tenant's branding; an empty one (no name, accent or logo, updated_at 0) when it has none.
  Result<WhiteLabel> Get(const std::string& tenant_id) const;
  // Applies a PATCH body {name?, accent_color?, logo?: {content_type, data_base64} | null} and
  // stores the result. kBodyValidation naming every bad field: unknown fields, a name over 100
  // characters, a colour not "#RRGGBB", a content type other than image/png or image/svg+xml,
  // data that is not base64, over 256 KiB decoded, not a PNG, or an SVG the sanitiser refuses
  // (SVGs are stored sanitised).
  Result<WhiteLabel> Patch(const std::string& tenant_id, const boost::json::object& body,
                           UnixMs now);

 private:
  WhiteLabelStore& store_;
};

// {"object":"white_label","name","accent_color","logo":{content_type,url,bytes}|null,
// "updated_at"} (updated_at null for a tenant that never set any).
boost::json::object WhiteLabelToJson(const WhiteLabel& label);

}  // namespace rapport::api
