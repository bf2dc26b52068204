#include "brand_json.hpp"

#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>

#include <string_view>
#include <vector>

namespace rapport {
namespace {

void AppendStrings(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, items[i]);
  }
  out += ']';
}

void AppendOptional(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    AppendJsonString(out, *value);
  } else {
    out += "null";
  }
}

void AppendCompetitors(std::string& out, const std::vector<Competitor>& competitors) {
  out += '[';
  for (size_t i = 0; i < competitors.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"name\":";
    AppendJsonString(out, competitors[i].name);
    out += ",\"aliases\":";
    AppendStrings(out, competitors[i].aliases);
    out += '}';
  }
  out += ']';
}

// FormatRfc3339(ms) appended without a string of its own (the date by Howard Hinnant's
// civil_from_days); years outside 0000-9999 as FormatRfc3339 writes them.
void AppendTimestamp(std::string& out, UnixMs ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
  int64_t in_day = ms - days * 86'400'000;
  int64_t z = days + 719'468;
  int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  auto doe = static_cast<int64_t>(z - era * 146'097);
  int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {
    out += FormatRfc3339(ms);
    return;
  }
  char text[] = "0000-00-00T00:00:00.000Z";
  auto put = [&text](size_t end, int64_t value, int digits) {
    for (int i = 1; i <= digits; ++i, value /= 10)
      text[end - i] = static_cast<char>('0' + value % 10);
  };
  put(4, year, 4);
  put(7, month, 2);
  put(10, day, 2);
  put(13, in_day / 3'600'000, 2);
  put(16, in_day / 60'000 % 60, 2);
  put(19, in_day / 1000 % 60, 2);
  put(23, in_day % 1000, 3);
  out.append(text, sizeof text - 1);
}

}  // namespace

void AppendBrandJson(std::string& out, const Brand& b) {
  out += "{\"id\":";
  AppendJsonString(out, b.id);
  out += ",\"object\":\"brand\"";
  out += ",\"name\":";
  AppendJsonString(out, b.name);
  out += ",\"website\":";
  AppendJsonString(out, b.website);
  out += ",\"brand_aliases\":";
  AppendStrings(out, b.aliases);
  out += ",\"competitors\":";
  AppendCompetitors(out, b.competitors);
  out += ",\"categories\":";
  AppendStrings(out, b.categories);
  out += ",\"country\":";
  AppendOptional(out, b.country);
  out += ",\"language\":";
  AppendOptional(out, b.language);
  out += ",\"brand_info\":{\"description\":";
  if (b.description && !b.description->empty()) {
    AppendJsonString(out, *b.description);
  } else {
    out += "null";
  }
  out += '}';
  out += ",\"created_at\":\"";  // a timestamp has nothing to escape
  AppendTimestamp(out, b.created_at);
  out += "\",\"updated_at\":\"";
  AppendTimestamp(out, b.updated_at);
  out += "\"}";
}

}  // namespace rapport
