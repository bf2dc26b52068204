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
  SimpleJsonReader reader(text);
  if (reader.Strings(out) && reader.AtEnd()) return out;
  out.clear();
  // The parsed tree lives in a buffer on the stack (the heap only past it): read per row.
  unsigned char buffer[2048];
  boost::json::monotonic_resource scratch(buffer, sizeof buffer);
  boost::json::value parsed = boost::json::parse(text, &scratch);  // kept alive: read below
  const auto& items = parsed.as_array();
  out.reserve(items.size());
  for (const auto& v : items) out.emplace_back(v.as_string());
  return out;
}

void SimpleJsonReader::SkipSpace() {
  while (at_ < text_.size() &&
         (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
    ++at_;
  }
}

bool SimpleJsonReader::Peek(char c) {
  SkipSpace();
  return at_ < text_.size() && text_[at_] == c;
}

bool SimpleJsonReader::Take(char c) {
  if (!Peek(c)) return false;
  ++at_;
  return true;
}

bool SimpleJsonReader::String(std::string& out) {
  if (!Take('"')) return false;
  size_t start = at_;
  for (; at_ < text_.size(); ++at_) {
    auto byte = static_cast<unsigned char>(text_[at_]);
    if (byte == '"') {
      out.assign(text_.substr(start, at_ - start));
      ++at_;
      return true;
    }
    if (byte < 0x20 || byte >= 0x7F || byte == '\\') return false;
  }
  return false;
}

bool SimpleJsonReader::Strings(std::vector<std::string>& out) {
  if (!Take('[')) return false;
  if (Take(']')) return true;
  do {
    if (!String(out.emplace_back())) return false;
  } while (Take(','));
  return Take(']');
}

bool SimpleJsonReader::AtEnd() {
  SkipSpace();
  return at_ == text_.size();
}

}  // namespace rapport::sql
