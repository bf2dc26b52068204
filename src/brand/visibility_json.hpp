// JSON helpers the /v1 visibility serializers share (facts, scheduled reports, region configs,
// prompts): seed 000 writes an absent time or text as null.
#pragma once

#include <rapport/core/time.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace rapport {

inline boost::json::value TimeOrNull(const std::optional<UnixMs>& t) {
  return t ? boost::json::value(FormatRfc3339(*t)) : boost::json::value(nullptr);
}

inline boost::json::value TextOrNull(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

}  // namespace rapport
