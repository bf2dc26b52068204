// Rows the store keeps. Every row belongs to exactly one tenant; the store never returns a row to
// a caller asking with another tenant.
#pragma once

#include <rapport/core/time.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rapport {

struct Competitor {
  std::string name;
  std::vector<std::string> aliases;
  bool operator==(const Competitor&) const = default;
};

struct Brand {
  std::string id;  // "brand_…"
  std::string tenant_id;
  std::string name;
  std::string website;
  std::vector<std::string> aliases;
  std::vector<Competitor> competitors;
  std::vector<std::string> categories;
  std::optional<std::string> country;   // ISO 3166-1 alpha-2
  std::optional<std::string> language;  // ISO 639-1, optionally with a region
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  bool operator==(const Brand&) const = default;
};

struct Site {
  std::string id;  // "site_…"
  std::string tenant_id;
  std::string name;
  std::map<std::string, std::string> tags;
  std::string timezone;  // IANA name
  UnixMs created_at = 0;
  UnixMs updated_at = 0;
  bool operator==(const Site&) const = default;
};

// A page request over a newest-first list: at most `limit` rows strictly older than `after_id`.
struct PageRequest {
  int limit = 20;
  std::optional<std::string> after_id;
};

template <class T>
struct Page {
  std::vector<T> items;
  bool has_more = false;
};

// What an Idempotency-Key refers to: the first request made with it and, once done, its response.
struct IdempotencyKey {
  std::string tenant_id;
  std::string key;
  std::string fingerprint;  // hash of method, route and body
};

enum class IdempotencyState { kStarted, kReplay, kInUse, kMismatch };

struct IdempotencyClaim {
  IdempotencyState state = IdempotencyState::kStarted;
  int status = 0;    // kReplay: the stored response
  std::string body;  // kReplay
};

}  // namespace rapport
