#include "token_cache.hpp"

namespace rapport {

std::optional<TokenCache::Entry> TokenCache::Find(std::string_view token) {
  std::lock_guard lock(mu_);
  auto it = index_.find(token);
  if (it == index_.end()) return std::nullopt;
  items_.splice(items_.begin(), items_, it->second);
  return it->second->second;
}

void TokenCache::Insert(std::string_view token, Entry entry) {
  std::lock_guard lock(mu_);
  if (auto it = index_.find(token); it != index_.end()) {
    it->second->second = std::move(entry);
    items_.splice(items_.begin(), items_, it->second);
    return;
  }
  items_.emplace_front(std::string(token), std::move(entry));
  index_.emplace(items_.front().first, items_.begin());
  if (items_.size() > capacity_) {
    index_.erase(items_.back().first);
    items_.pop_back();
  }
}

size_t TokenCache::size() const {
  std::lock_guard lock(mu_);
  return items_.size();
}

}  // namespace rapport
