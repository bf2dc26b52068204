// Share links: an unguessable, expiring, revocable token that opens one stored report without
// signing in. The token (32 random bytes, base64url) is shown once, when the link is made; the
// store keeps only its SHA-256, so a leaked database opens nothing. The tables are the sharing
// track of the store's KindDatabase (both backends, one SQL text each).
#pragma once

#include <rapport/core/result.hpp>
#include <rapport/core/time.hpp>
#include <rapport/store/interfaces.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rapport {

// One share link of a report. Never carries the token.
struct Share {
  std::string id;  // "shr_…"
  std::string tenant_id;
  std::string report_id;
  std::string created_by;  // the creating principal's subject
  UnixMs created_at = 0;
  UnixMs expires_at = 0;
  std::optional<UnixMs> revoked_at;
  int64_t views = 0;
  std::optional<UnixMs> last_viewed_at;
};

// A share just made, with the token that is shown only now.
struct NewShare {
  Share share;
  std::string token;
};

inline constexpr int kMinShareDays = 1;
inline constexpr int kMaxShareDays = 365;
inline constexpr int kDefaultShareDays = 30;

// Thread-safe as the store is; `db` and `clock` must outlive the service.
class ShareService {
 public:
  ShareService(KindDatabase& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Applies the sharing track's migrations (table `shares`) and registers, for each of
  // `report_kinds`, a store hook that deletes a report's links with the report. Call once at
  // start-up, before the store serves (KindDatabase::AddReportHooks).
  Status Install(const std::vector<std::string>& report_kinds);

  // A new link to report `report_id` (which the caller found as the tenant's), valid for
  // `days` (kMinShareDays..kMaxShareDays, else kBodyValidation at body.expires_in_days).
  Result<NewShare> Create(const std::string& tenant_id, const std::string& report_id,
                          const std::string& created_by, int days);
  // The report's links, newest first (revoked and expired ones too).
  Result<Page<Share>> List(const std::string& tenant_id, const std::string& report_id,
                           const PageRequest& page);
  // Revokes the link (idempotent: a revoked link keeps its first revocation time) and returns
  // it; kNotFound ("Share") for another report's, another tenant's or an unknown link.
  Result<Share> Revoke(const std::string& tenant_id, const std::string& report_id,
                       const std::string& share_id);
  // The live link of `token`; kNotFound ("Shared report") alike for a malformed, unknown,
  // expired or revoked token. With `count_view`, records the view (views + 1, last_viewed_at).
  Result<Share> Open(const std::string& token, bool count_view);

 private:
  KindDatabase& db_;
  const Clock& clock_;
};

}  // namespace rapport
