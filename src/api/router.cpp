#include <rapport/api/router.hpp>

#include <array>

namespace rapport::api {
namespace {

constexpr size_t kMaxSegments = 32;

// The segments after the leading '/', split on '/': "/a/b/" -> {"a", "b", ""}. Returns how many
// there are, or kMaxSegments + 1 when there are more than the array holds.
size_t SplitPath(std::string_view path, std::array<std::string_view, kMaxSegments>& parts) {
  size_t n = 0;
  size_t start = 1;
  while (start <= path.size()) {
    if (n == kMaxSegments) return kMaxSegments + 1;
    size_t slash = path.find('/', start);
    if (slash == path.npos) slash = path.size();
    parts[n++] = path.substr(start, slash - start);
    start = slash + 1;
  }
  return n;
}

}  // namespace

void Router::Add(Route route) {
  std::array<std::string_view, kMaxSegments> parts;
  size_t n = SplitPath(route.pattern, parts);
  std::vector<Segment> segments;
  for (size_t i = 0; i < n && i < kMaxSegments; ++i) {
    std::string_view part = parts[i];
    bool is_param = part.size() >= 2 && part.front() == '{' && part.back() == '}';
    segments.push_back({std::string(is_param ? part.substr(1, part.size() - 2) : part), is_param});
  }
  if (n <= kMaxSegments) {  // a longer pattern matches no path
    if (by_segment_count_.size() <= n) by_segment_count_.resize(n + 1);
    by_segment_count_[n].push_back(routes_.size());
  }
  routes_.push_back(std::move(route));
  segments_.push_back(std::move(segments));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  if (path.empty() || path.front() != '/') return match;
  std::array<std::string_view, kMaxSegments> got;
  size_t n = SplitPath(path, got);
  if (n >= by_segment_count_.size()) return match;
  for (size_t index : by_segment_count_[n]) {
    const auto& want = segments_[index];
    bool matches = true;
    for (size_t i = 0; i < n && matches; ++i) {
      matches = want[i].is_param ? !got[i].empty() : want[i].text == got[i];
    }
    if (!matches) continue;
    const Route& route = routes_[index];
    if (route.method != method) {
      match.allowed.push_back(route.method);
      continue;
    }
    match.route = &route;
    for (size_t i = 0; i < n; ++i) {
      if (want[i].is_param) match.params.emplace(want[i].text, std::string(got[i]));
    }
    return match;
  }
  return match;
}

}  // namespace rapport::api
