#include "brand_json.hpp"

#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>

#include <string_view>
#include <vector>

namespace rapport {
namespace {

// `,"key":` (the key is a literal without characters to escape).
void AppendKey(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

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

}  // namespace

void AppendBrandJson(std::string& out, const Brand& b) {
  out += "{\"id\":";
  AppendJsonString(out, b.id);
  out += ",\"object\":\"brand\"";
  AppendKey(out, "name");
  AppendJsonString(out, b.name);
  AppendKey(out, "website");
  AppendJsonString(out, b.website);
  AppendKey(out, "brand_aliases");
  AppendStrings(out, b.aliases);
  AppendKey(out, "competitors");
  AppendCompetitors(out, b.competitors);
  AppendKey(out, "categories");
  AppendStrings(out, b.categories);
  AppendKey(out, "country");
  AppendOptional(out, b.country);
  AppendKey(out, "language");
  AppendOptional(out, b.language);
  out += ",\"brand_info\":{\"description\":";
  if (b.description && !b.description->empty()) {
    AppendJsonString(out, *b.description);
  } else {
    out += "null";
  }
  out += '}';
  AppendKey(out, "created_at");
  AppendJsonString(out, FormatRfc3339(b.created_at));
  AppendKey(out, "updated_at");
  AppendJsonString(out, FormatRfc3339(b.updated_at));
  out += '}';
}

}  // namespace rapport
