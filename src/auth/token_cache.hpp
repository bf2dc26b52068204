// Tokens that verified recently, keyed by their exact bytes, so that a request with a token seen
// before skips the signature check. Bounded: past `capacity` the least recently used token goes.
// The cache decides nothing on its own: JwtVerifier re-checks `exp` and `nbf` on every hit, and a
// token differing in any byte (another signature) is a different key. Thread-safe.
#pragma once

#include <rapport/auth/jwt.hpp>

#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rapport {

class TokenCache {
 public:
  struct Entry {
    Principal principal;
    double exp = 0;  // the token's claims, in seconds since the epoch
    double nbf = 0;
  };

  explicit TokenCache(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  // The entry for exactly `token`, made the most recently used; nullopt when absent.
  std::optional<Entry> Find(std::string_view token);
  // Adds or replaces the entry for `token`, evicting the least recently used past capacity.
  void Insert(std::string_view token, Entry entry);
  size_t size() const;

 private:
  using Item = std::pair<std::string, Entry>;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Item> items_;  // most recently used first
  // Keys view the strings in items_, whose nodes never move.
  std::unordered_map<std::string_view, std::list<Item>::iterator> index_;
};

}  // namespace rapport
