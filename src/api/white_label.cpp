#include "white_label.hpp"

#include "logo_check.hpp"

#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>

#include <algorithm>
#include <cctype>

namespace rapport::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kPng = "image/png";
constexpr std::string_view kSvg = "image/svg+xml";

bool IsHexColor(std::string_view s) {
  return s.size() == 7 && s[0] == '#' && std::all_of(s.begin() + 1, s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

// A field that may be a string or null: sets `field` (nullopt for null) when valid.
void ReadNullableText(BodyReader& reader, std::string_view key, size_t max_length,
                      std::optional<std::string>& field) {
  if (!reader.Has(key)) return;
  if (reader.IsNull(key)) {
    field.reset();
    return;
  }
  if (auto v = reader.String(key, {.min_length = 1, .max_length = max_length})) field = *v;
}

void ReadAccentColor(BodyReader& reader, WhiteLabel& label) {
  std::optional<std::string> color = label.accent_color;
  ReadNullableText(reader, "accent_color", 7, color);
  if (color && !IsHexColor(*color)) {
    reader.AddProblem("accent_color", "must be a colour #RRGGBB (six hexadecimal digits)",
                      "pattern");
    return;
  }
  label.accent_color = color;
}

// The logo's bytes as stored (an SVG sanitised), or a problem recorded at data_base64.
std::optional<std::string> CheckedLogo(BodyReader& logo, std::string_view type,
                                       std::string_view data) {
  auto bytes = DecodeBase64(data);
  if (!bytes) {
    logo.AddProblem("data_base64", "must be base64 (RFC 4648)", "base64");
    return std::nullopt;
  }
  if (bytes->empty() || bytes->size() > kMaxLogoBytes) {
    logo.AddProblem("data_base64",
                    "must decode to 1.." + std::to_string(kMaxLogoBytes) + " bytes, not " +
                        std::to_string(bytes->size()),
                    "too_large");
    return std::nullopt;
  }
  if (type == kPng) {
    if (std::string problem = PngProblem(*bytes); !problem.empty()) {
      logo.AddProblem("data_base64", "the logo " + problem, "png");
      return std::nullopt;
    }
    return bytes;
  }
  SanitizedSvg svg = SanitizeSvg(*bytes);
  if (!svg.problem.empty() || svg.svg.size() > kMaxLogoBytes) {
    logo.AddProblem("data_base64", "the SVG logo " + svg.problem, "svg");
    return std::nullopt;
  }
  return std::move(svg.svg);
}

void ReadLogo(BodyReader& reader, WhiteLabel& label) {
  const json::value* v = reader.object().if_contains("logo");
  if (v == nullptr) return;
  if (v->is_null()) {
    label.logo_content_type.clear();
    label.logo.clear();
    return;
  }
  if (!v->is_object()) {
    reader.AddProblem("logo", "must be an object {content_type, data_base64} or null",
                      "model_type");
    return;
  }
  BodyReader logo = reader.Nested(v->as_object(), "logo");
  logo.RejectUnknown({"content_type", "data_base64"});
  auto type = logo.String("content_type", {.required = true});
  auto data = logo.String("data_base64", {.required = true, .min_length = 1});
  if (type && *type != kPng && *type != kSvg) {
    logo.AddProblem("content_type", "must be image/png or image/svg+xml", "enum");
    return;
  }
  if (!type || !data) return;
  if (auto bytes = CheckedLogo(logo, *type, *data)) {
    label.logo_content_type = *type;
    label.logo = std::move(*bytes);
  }
}

}  // namespace

Result<WhiteLabel> WhiteLabelService::Get(const std::string& tenant_id) const {
  auto label = store_.GetWhiteLabel(tenant_id);
  if (!label.ok() && label.error().code() == ErrorCode::kNotFound) {
    return WhiteLabel{.tenant_id = tenant_id};
  }
  return label;
}

Result<WhiteLabel> WhiteLabelService::Patch(const std::string& tenant_id,
                                            const boost::json::object& body, UnixMs now) {
  RAPPORT_TRY(WhiteLabel label, Get(tenant_id));
  BodyReader reader(body, "body");
  reader.RejectUnknown({"name", "accent_color", "logo"});
  ReadNullableText(reader, "name", 100, label.name);
  ReadAccentColor(reader, label);
  ReadLogo(reader, label);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  label.updated_at = now;
  RAPPORT_CHECK(store_.PutWhiteLabel(label));
  return label;
}

json::object WhiteLabelToJson(const WhiteLabel& label) {
  json::value logo = nullptr;
  if (!label.logo.empty()) {
    logo = json::object{{"content_type", label.logo_content_type},
                        {"url", "/v1/white-label/logo"},
                        {"bytes", label.logo.size()}};
  }
  auto text = [](const std::optional<std::string>& v) -> json::value {
    return v ? json::value(*v) : json::value(nullptr);
  };
  return {{"object", "white_label"},
          {"name", text(label.name)},
          {"accent_color", text(label.accent_color)},
          {"logo", std::move(logo)},
          {"updated_at", label.updated_at > 0 ? json::value(FormatRfc3339(label.updated_at))
                                              : json::value(nullptr)}};
}

}  // namespace rapport::api
