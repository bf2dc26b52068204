#include "share_json.hpp"

namespace rapport {
namespace {

namespace json = boost::json;

json::value Time(std::optional<UnixMs> ms) {
  return ms ? json::value(FormatRfc3339(*ms)) : json::value(nullptr);
}

}  // namespace

json::object ShareToJson(const Share& share) {
  return {{"object", "share"},
          {"id", share.id},
          {"report_id", share.report_id},
          {"expires_at", FormatRfc3339(share.expires_at)},
          {"created_at", FormatRfc3339(share.created_at)},
          {"revoked_at", Time(share.revoked_at)},
          {"views", share.views},
          {"last_viewed_at", Time(share.last_viewed_at)}};
}

json::object NewShareToJson(const NewShare& created, const std::string& public_url) {
  json::object out = ShareToJson(created.share);
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  out["url"] = base + "/s/" + created.token;
  out["token"] = created.token;
  return out;
}

}  // namespace rapport
