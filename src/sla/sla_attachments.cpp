#include "sla_attachments.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

namespace rapport {
namespace {

constexpr std::array<std::string_view, 3> kKinds{"pdf", "csv", "xlsx"};

// `chosen` in the canonical order, each once.
std::vector<std::string> Canonical(const std::vector<std::string>& chosen) {
  std::vector<std::string> out;
  for (auto kind : kKinds) {
    if (std::find(chosen.begin(), chosen.end(), kind) != chosen.end()) out.emplace_back(kind);
  }
  return out;
}

}  // namespace

std::vector<std::string> ReadAttachments(BodyReader& reader) {
  if (!reader.Has("attachments")) return {"pdf"};
  auto list = reader.StringList("attachments", kKinds.size() * 2, {.min_length = 1});
  if (!list) return {"pdf"};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string& v = (*list)[i];
    if (std::find(kKinds.begin(), kKinds.end(), v) == kKinds.end()) {
      reader.AddProblem("attachments." + std::to_string(i),
                        "must be one of pdf, csv, xlsx, not '" + v.substr(0, 40) + "'", "enum");
    }
  }
  return Canonical(*list);
}

std::vector<std::string> AttachmentsFromJson(const boost::json::object& settings) {
  const auto* list = settings.if_contains("attachments");
  if (!list || !list->is_array()) return {"pdf"};
  std::vector<std::string> out;
  for (const auto& v : list->as_array()) {
    if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

}  // namespace rapport
