// A share link as both API families show it. Private to the sharing module.
#pragma once

#include <rapport/sharing/share_service.hpp>

#include <boost/json/object.hpp>

namespace rapport {

// {"object":"share","id","report_id","expires_at","created_at","revoked_at","views",
// "last_viewed_at"}, times in RFC 3339 (null when unset).
boost::json::object ShareToJson(const Share& share);
// The same with "url" (`public_url` + "/s/" + token) and "token": the answer of the creation,
// the only time the token is shown.
boost::json::object NewShareToJson(const NewShare& created, const std::string& public_url);

}  // namespace rapport
