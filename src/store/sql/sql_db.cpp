#include "sql_db.hpp"

#include <boost/json.hpp>

namespace rapport::sql {

std::string StringsToJson(const std::vector<std::string>& items) {
  boost::json::array arr;
  for (const auto& s : items) arr.emplace_back(s);
  return boost::json::serialize(arr);
}

std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  // The parsed tree lives in a buffer on the stack (the heap only past it): read per row.
  unsigned char buffer[2048];
  boost::json::monotonic_resource scratch(buffer, sizeof buffer);
  boost::json::value parsed = boost::json::parse(text, &scratch);  // kept alive: read below
  const auto& items = parsed.as_array();
  out.reserve(items.size());
  for (const auto& v : items) out.emplace_back(v.as_string());
  return out;
}

}  // namespace rapport::sql
