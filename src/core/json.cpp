#include <rapport/core/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>

#include <fmt/format.h>

namespace rapport {

namespace {

// Boost.JSON reads a number beyond a double's range (1e400) as infinity, which JSON cannot
// write back; such a body is refused rather than stored as null. Depth is bounded by the parse.
bool AllNumbersFinite(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return std::isfinite(v.get_double());
    case boost::json::kind::array:
      for (const auto& item : v.get_array()) {
        if (!AllNumbersFinite(item)) return false;
      }
      return true;
    case boost::json::kind::object:
      for (const auto& [key, item] : v.get_object()) {
        if (!AllNumbersFinite(item)) return false;
      }
      return true;
    default:
      return true;
  }
}

}  // namespace

Result<boost::json::value> ParseJsonBody(std::string_view text, int max_depth) {
  boost::json::parse_options options;
  options.max_depth = static_cast<size_t>(max_depth);
  boost::json::stream_parser parser(boost::json::storage_ptr(), options);
  boost::system::error_code ec;
  size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    std::string msg = ec == boost::json::error::too_deep
                          ? fmt::format("JSON nesting deeper than {} levels", max_depth)
                          : fmt::format("Invalid JSON at byte {}: {}", consumed, ec.message());
    return Error::FromProblems(ErrorCode::kBodyValidation, {{"body", msg, "json_invalid"}});
  }
  boost::json::value value = parser.release();
  if (!AllNumbersFinite(value)) {
    return Error::FromProblems(
        ErrorCode::kBodyValidation,
        {{"body", "A number is beyond the range of a double (about ±1.8e308)", "json_invalid"}});
  }
  return value;
}

namespace {

void AppendDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {  // JSON has no NaN or infinity; Boost.JSON writes null-like tokens
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
  std::string_view text(buf, static_cast<size_t>(end - buf));
  out += text;
  // Keep it a JSON number readers see as floating point: 100 -> 100.0.
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

template <typename Int>
void AppendInt(std::string& out, Int n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, static_cast<size_t>(end - buf));
}

void Append(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      break;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::int64:
      AppendInt(out, v.get_int64());
      break;
    case boost::json::kind::uint64:
      AppendInt(out, v.get_uint64());
      break;
    case boost::json::kind::double_:
      AppendDouble(out, v.get_double());
      break;
    case boost::json::kind::string:
      AppendJsonString(out, v.get_string());
      break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Append(out, item);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(out, key);
        out += ':';
        Append(out, item);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

namespace {

constexpr auto kEscaped = [] {
  std::array<bool, 256> escaped{};
  for (int c = 0; c < 0x20; ++c) escaped[c] = true;
  escaped['"'] = escaped['\\'] = true;
  return escaped;
}();

// Whether any of the eight bytes of `word` is a control character, a quote or a backslash
// (exact as a yes/no: a borrow only spreads above a byte that matched already).
bool AnyEscaped(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t quote = word ^ (kOnes * '"');
  uint64_t backslash = word ^ (kOnes * '\\');
  uint64_t hits = ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                  ((backslash - kOnes) & ~backslash);
  return (hits & kHigh) != 0;
}

// The index of the first byte at or after `i` that must be escaped; text.size() when none. Eight
// bytes at a time: most strings have nothing to escape.
size_t NextEscaped(std::string_view text, size_t i) {
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (AnyEscaped(word)) break;
  }
  while (i < text.size() && !kEscaped[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

void AppendEscape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\r':
      out += "\\r";
      break;
    default: {
      const char code[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(code, sizeof code);
    }
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = NextEscaped(text, 0); i < text.size(); i = NextEscaped(text, plain)) {
    out.append(text.data() + plain, i - plain);
    AppendEscape(out, static_cast<unsigned char>(text[i]));
    plain = i + 1;
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

std::string ToJson(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  Append(out, value);
  return out;
}

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

BodyReader::BodyReader(const boost::json::object& object, std::string location)
    : BodyReader(object, std::move(location), std::make_shared<std::vector<FieldProblem>>()) {}

BodyReader::BodyReader(const boost::json::object& object, std::string location,
                       std::shared_ptr<std::vector<FieldProblem>> problems)
    : object_(object), location_(std::move(location)), problems_(std::move(problems)) {}

BodyReader BodyReader::Nested(const boost::json::object& object, std::string_view key) const {
  return BodyReader(object, Loc(key), problems_);
}

std::string BodyReader::Loc(std::string_view key) const {
  return location_.empty() ? std::string(key) : location_ + "." + std::string(key);
}

void BodyReader::AddProblem(std::string_view key, std::string msg, std::string type) {
  problems_->push_back({Loc(key), std::move(msg), std::move(type)});
}

bool BodyReader::Has(std::string_view key) const { return object_.contains(key); }

bool BodyReader::IsNull(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  return v && v->is_null();
}

bool BodyReader::CheckString(std::string_view loc_key, std::string_view value,
                             const StringRule& rule) {
  size_t len = Utf8Length(value);
  if (len < rule.min_length) {
    AddProblem(loc_key,
               rule.min_length == 1
                   ? std::string("must not be empty")
                   : fmt::format("must be at least {} characters", rule.min_length),
               rule.min_length == 1 ? "string_empty" : "string_too_short");
    return false;
  }
  if (rule.max_length && len > rule.max_length) {
    AddProblem(loc_key, fmt::format("must be at most {} characters", rule.max_length),
               "string_too_long");
    return false;
  }
  return true;
}

std::optional<std::string> BodyReader::String(std::string_view key, StringRule rule) {
  const auto* v = object_.if_contains(key);
  if (!v || (v->is_null() && rule.nullable)) {
    if (!v && rule.required) AddProblem(key, "field required", "missing");
    return std::nullopt;
  }
  if (!v->is_string()) {
    AddProblem(key, "must be a string", "string_type");
    return std::nullopt;
  }
  std::string_view s = v->as_string();
  if (!CheckString(key, s, rule)) return std::nullopt;
  return std::string(s);
}

std::optional<bool> BodyReader::Bool(std::string_view key, bool required) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    if (required) AddProblem(key, "field required", "missing");
    return std::nullopt;
  }
  if (!v->is_bool()) {
    AddProblem(key, "must be a boolean", "bool_type");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<int64_t> BodyReader::Int(std::string_view key, bool required, int64_t min,
                                       int64_t max) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    if (required) AddProblem(key, "field required", "missing");
    return std::nullopt;
  }
  std::optional<int64_t> n;
  if (v->is_int64()) n = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= uint64_t(INT64_MAX)) n = int64_t(v->as_uint64());
  if (v->is_double() && v->as_double() == static_cast<double>(int64_t(v->as_double()))) {
    n = int64_t(v->as_double());
  }
  if (!n) {
    AddProblem(key, "must be an integer", "int_type");
    return std::nullopt;
  }
  if (*n < min || *n > max) {
    AddProblem(key, fmt::format("must be between {} and {}", min, max), "out_of_range");
    return std::nullopt;
  }
  return n;
}

bool BodyReader::ObjectList(std::string_view key, size_t max_items, bool required,
                            const std::function<void(BodyReader&, size_t)>& each) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    if (required) AddProblem(key, "field required", "missing");
    return false;
  }
  if (!v->is_array()) {
    AddProblem(key, "must be an array of objects", "list_type");
    return false;
  }
  const auto& arr = v->as_array();
  if (arr.size() > max_items) {
    AddProblem(key, fmt::format("must have at most {} items", max_items), "too_long");
    return false;
  }
  size_t before = problems_->size();
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string item_key = fmt::format("{}.{}", key, i);
    if (!arr[i].is_object()) {
      AddProblem(item_key, "must be an object", "dict_type");
      continue;
    }
    BodyReader item(arr[i].as_object(), Loc(item_key), problems_);
    each(item, i);
  }
  return problems_->size() == before;
}

std::optional<std::vector<std::string>> BodyReader::StringList(std::string_view key,
                                                               size_t max_items,
                                                               StringRule item_rule) {
  const auto* v = object_.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    AddProblem(key, "must be an array of strings", "list_type");
    return std::nullopt;
  }
  const auto& arr = v->as_array();
  if (arr.size() > max_items) {
    AddProblem(key, fmt::format("must have at most {} items", max_items), "too_long");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool good = true;
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string item_key = fmt::format("{}.{}", key, i);
    if (!arr[i].is_string()) {
      AddProblem(item_key, "must be a string", "string_type");
      good = false;
    } else if (CheckString(item_key, arr[i].as_string(), item_rule)) {
      out.emplace_back(arr[i].as_string());
    } else {
      good = false;
    }
  }
  if (!good) return std::nullopt;
  return out;
}

std::optional<std::map<std::string, std::string>> BodyReader::StringMap(std::string_view key,
                                                                        size_t max_entries,
                                                                        StringRule key_rule,
                                                                        StringRule value_rule) {
  const auto* v = object_.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    AddProblem(key, "must be an object of string values", "dict_type");
    return std::nullopt;
  }
  const auto& obj = v->as_object();
  if (obj.size() > max_entries) {
    AddProblem(key, fmt::format("must have at most {} entries", max_entries), "too_long");
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  bool good = true;
  for (const auto& [k, val] : obj) {
    std::string entry_key = fmt::format("{}.{}", key, std::string_view(k));
    if (!CheckString(entry_key, k, key_rule)) {
      good = false;
    } else if (!val.is_string()) {
      AddProblem(entry_key, "must be a string", "string_type");
      good = false;
    } else if (CheckString(entry_key, val.as_string(), value_rule)) {
      out.emplace(std::string(k), std::string(val.as_string()));
    } else {
      good = false;
    }
  }
  if (!good) return std::nullopt;
  return out;
}

void BodyReader::RejectUnknown(const std::vector<std::string_view>& known) {
  for (const auto& [k, v] : object_) {
    if (std::find(known.begin(), known.end(), std::string_view(k)) == known.end()) {
      AddProblem(k, "unknown field", "extra_forbidden");
    }
  }
}

}  // namespace rapport
