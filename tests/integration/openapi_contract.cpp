#include "openapi_contract.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace rapport::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Code points, as JSON Schema counts a string's length.
size_t Utf8Length(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool HasType(const json::value& value, std::string_view type) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_bool();
  if (type == "string") return value.is_string();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_int64() || value.is_uint64()) return true;
    return value.is_double() &&
           value.as_double() == static_cast<double>(static_cast<int64_t>(value.as_double()));
  }
  return false;
}

double AsNumber(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return v.as_double();
}

bool MatchesFormat(std::string_view format, const std::string& s) {
  static const std::regex date_time(
      R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
  static const std::regex date(R"(^\d{4}-\d{2}-\d{2}$)");
  static const std::regex uri(R"(^[A-Za-z][A-Za-z0-9+.-]*:\S+$)");
  static const std::regex email(R"(^[^@\s]+@[^@\s]+$)");
  static const std::regex uuid(
      R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)");
  if (format == "date-time") return std::regex_match(s, date_time);
  if (format == "date") return std::regex_match(s, date);
  if (format == "uri") return std::regex_match(s, uri);
  if (format == "email") return std::regex_match(s, email);
  if (format == "uuid") return std::regex_match(s, uuid);
  return true;  // formats the document uses only as annotations (binary)
}

const std::regex& Pattern(const std::string& pattern) {
  static std::map<std::string, std::regex> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern)).first;
  return it->second;
}

std::string Shown(const json::value& v) {
  std::string s = json::serialize(v);
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

}  // namespace

OpenApiContract::OpenApiContract(json::value document) : document_(std::move(document)) {
  for (const auto& [path, item] : document_.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (!op.is_object() || !op.as_object().contains("responses")) continue;
      const json::value* request = nullptr;
      if (const auto* body = op.as_object().if_contains("requestBody")) {
        if (const auto* media = body->at("content").as_object().if_contains("application/json")) {
          request = media->as_object().if_contains("schema");
        }
      }
      operations_.push_back({Upper(std::string(method)), std::string(path),
                             Segments(std::string(path)), &op.at("responses").as_object(),
                             request});
    }
  }
}

const OpenApiContract::Operation* OpenApiContract::Find(const std::string& method,
                                                        const std::string& path) const {
  auto segments = Segments(path.substr(0, path.find('?')));
  const Operation* best = nullptr;
  long best_literals = -1;
  for (const auto& op : operations_) {
    if (op.method != method || op.segments.size() != segments.size()) continue;
    long literals = 0;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& t = op.segments[i];
      if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
        match = !segments[i].empty();
      } else {
        match = t == segments[i];
        ++literals;
      }
    }
    if (match && literals > best_literals) {  // a literal segment beats a parameter
      best = &op;
      best_literals = literals;
    }
  }
  return best;
}

const json::value& OpenApiContract::Resolve(const json::value& schema) const {
  const json::value* at = &schema;
  for (int hops = 0; hops < 16 && at->is_object() && at->as_object().contains("$ref"); ++hops) {
    std::string ref(at->at("$ref").as_string());
    if (ref.rfind("#/", 0) != 0) break;
    at = &document_.at_pointer(ref.substr(1));
  }
  return *at;
}

std::vector<std::string> OpenApiContract::CheckHeaders(
    const json::object& response,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  std::vector<std::string> problems;
  const auto* documented = response.if_contains("headers");
  if (documented == nullptr) return problems;
  for (const auto& [name, spec] : documented->as_object()) {
    const auto& header = Resolve(spec).as_object();
    std::string lower = Lower(std::string(name));
    auto it = std::find_if(headers.begin(), headers.end(),
                           [&](const auto& h) { return h.first == lower; });
    if (it == headers.end()) {
      const auto* required = header.if_contains("required");
      if (required && required->as_bool()) problems.push_back("lacks header " + std::string(name));
      continue;
    }
    const auto* schema = header.if_contains("schema");
    if (schema && schema->as_object().contains("type") && schema->at("type") == "integer" &&
        (it->second.empty() || it->second.find_first_not_of("0123456789") != std::string::npos)) {
      problems.push_back("header " + std::string(name) + " is not an integer: " + it->second);
    }
  }
  return problems;
}

std::vector<std::string> OpenApiContract::Check(
    const std::string& method, const std::string& path, const std::string& request_body, int status,
    const std::string& content_type, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>* headers) {
  std::vector<std::string> problems;
  std::string exchange = method + " " + path + " -> " + std::to_string(status);
  const Operation* op = Find(method, path);
  if (op == nullptr) return {exchange + ": no such operation in the document"};
  std::string key = op->method + " " + op->path_template;
  const json::value* response = nullptr;
  for (const std::string& name :
       {std::to_string(status), std::to_string(status / 100) + "XX", std::string("default")}) {
    if (auto it = op->responses->find(name); it != op->responses->end()) {
      response = &Resolve(it->value());
      break;
    }
  }
  if (response == nullptr) return {exchange + ": status not documented for " + key};
  seen_[key].insert(status);
  if (status >= 200 && status < 300 && op->request_schema != nullptr && !request_body.empty()) {
    json::value sent;
    try {
      sent = json::parse(request_body);
    } catch (const std::exception&) {
      problems.push_back(exchange + ": accepted a request body that is not JSON");
    }
    for (auto& p : Validate(*op->request_schema, sent, "request")) {
      problems.push_back(exchange + ": accepted a request the document refuses: " + p);
    }
  }

  const auto& r = response->as_object();
  if (headers != nullptr) {
    for (auto& p : CheckHeaders(r, *headers)) problems.push_back(exchange + ": " + p);
  }
  if (!r.contains("content") || r.at("content").as_object().empty()) {
    if (!body.empty()) problems.push_back(exchange + ": documented without a body, got one");
    return problems;
  }
  std::string mime = Lower(content_type.substr(0, content_type.find(';')));
  while (!mime.empty() && mime.back() == ' ') mime.pop_back();
  const auto& content = r.at("content").as_object();
  auto media = content.find(mime);
  if (media == content.end()) {
    std::string documented;
    for (const auto& [name, _] : content) documented += " " + std::string(name);
    return {exchange + ": Content-Type '" + content_type + "', documented:" + documented};
  }
  bool is_json = mime == "application/json" || mime.ends_with("+json");
  if (!is_json || !media->value().as_object().contains("schema")) return problems;
  json::value parsed;
  try {
    parsed = json::parse(body);
  } catch (const std::exception& e) {
    return {exchange + ": the body is not JSON (" + e.what() + ")"};
  }
  for (auto& p : Validate(media->value().at("schema"), parsed)) {
    problems.push_back(exchange + ": " + p);
  }
  return problems;
}

std::vector<std::string> OpenApiContract::Validate(const json::value& schema,
                                                   const json::value& value,
                                                   const std::string& where) const {
  std::vector<std::string> problems;
  ValidateInto(schema, value, where, problems, 0);
  return problems;
}

void OpenApiContract::ValidateInto(const json::value& raw_schema, const json::value& value,
                                   const std::string& where, std::vector<std::string>& problems,
                                   int depth) const {
  const std::string at = where.empty() ? "body" : where;
  if (depth > 64) {
    problems.push_back(at + ": schema nested too deep");
    return;
  }
  const json::value& schema_value = Resolve(raw_schema);
  if (schema_value.is_bool()) {
    if (!schema_value.as_bool()) problems.push_back(at + ": no value is allowed here");
    return;
  }
  const auto& schema = schema_value.as_object();
  auto fail = [&](const std::string& what) { problems.push_back(at + ": " + what); };

  if (auto it = schema.find("type"); it != schema.end()) {
    bool ok = false;
    std::string names;
    if (it->value().is_string()) {
      ok = HasType(value, it->value().as_string());
      names = it->value().as_string();
    } else {
      for (const auto& t : it->value().as_array()) {
        ok = ok || HasType(value, t.as_string());
        names += (names.empty() ? "" : "|") + std::string(t.as_string());
      }
    }
    if (!ok) return fail("expected " + names + ", got " + Shown(value));
  }
  if (auto it = schema.find("enum"); it != schema.end()) {
    const auto& options = it->value().as_array();
    if (std::find(options.begin(), options.end(), value) == options.end()) {
      fail(Shown(value) + " is not one of " + Shown(it->value()));
    }
  }
  if (auto it = schema.find("const"); it != schema.end() && it->value() != value) {
    fail("expected " + Shown(it->value()) + ", got " + Shown(value));
  }
  if (value.is_string()) {
    const std::string s(value.as_string());
    if (auto it = schema.find("minLength");
        it != schema.end() && Utf8Length(s) < it->value().to_number<uint64_t>()) {
      fail("shorter than " + Shown(it->value()));
    }
    if (auto it = schema.find("maxLength");
        it != schema.end() && Utf8Length(s) > it->value().to_number<uint64_t>()) {
      fail("longer than " + Shown(it->value()));
    }
    if (auto it = schema.find("pattern");
        it != schema.end() &&
        !std::regex_search(s, Pattern(std::string(it->value().as_string())))) {
      fail(Shown(value) + " does not match " + Shown(it->value()));
    }
    if (auto it = schema.find("format");
        it != schema.end() && !MatchesFormat(it->value().as_string(), s)) {
      fail(Shown(value) + " is not a " + std::string(it->value().as_string()));
    }
  }
  if (value.is_number()) {
    if (auto it = schema.find("minimum");
        it != schema.end() && AsNumber(value) < AsNumber(it->value())) {
      fail(Shown(value) + " is below the minimum " + Shown(it->value()));
    }
    if (auto it = schema.find("maximum");
        it != schema.end() && AsNumber(value) > AsNumber(it->value())) {
      fail(Shown(value) + " is above the maximum " + Shown(it->value()));
    }
  }
  if (value.is_array()) {
    const auto& items = value.as_array();
    if (auto it = schema.find("minItems");
        it != schema.end() && items.size() < it->value().to_number<uint64_t>()) {
      fail("fewer items than " + Shown(it->value()));
    }
    if (auto it = schema.find("maxItems");
        it != schema.end() && items.size() > it->value().to_number<uint64_t>()) {
      fail("more items than " + Shown(it->value()));
    }
    if (auto it = schema.find("items"); it != schema.end()) {
      for (size_t i = 0; i < items.size(); ++i) {
        ValidateInto(it->value(), items[i], at + "[" + std::to_string(i) + "]", problems,
                     depth + 1);
      }
    }
  }
  if (value.is_object()) {
    const auto& object = value.as_object();
    if (auto it = schema.find("required"); it != schema.end()) {
      for (const auto& name : it->value().as_array()) {
        if (!object.contains(name.as_string())) {
          fail("lacks required '" + std::string(name.as_string()) + "'");
        }
      }
    }
    if (auto it = schema.find("maxProperties");
        it != schema.end() && object.size() > it->value().to_number<uint64_t>()) {
      fail("more properties than " + Shown(it->value()));
    }
    const json::object* properties = nullptr;
    if (auto it = schema.find("properties"); it != schema.end()) {
      properties = &it->value().as_object();
    }
    auto extra = schema.find("additionalProperties");
    for (const auto& [name, member] : object) {
      std::string child = at + "." + std::string(name);
      if (properties != nullptr && properties->contains(name)) {
        ValidateInto(properties->at(name), member, child, problems, depth + 1);
      } else if (extra == schema.end()) {
        // Strict: where an object lists its properties, a response may not carry others (the
        // document would then be silent about a field clients see).
        if (properties != nullptr) fail("has undocumented property '" + std::string(name) + "'");
      } else {
        if (extra->value().is_bool()) {
          if (!extra->value().as_bool())
            fail("has undocumented property '" + std::string(name) + "'");
        } else {
          ValidateInto(extra->value(), member, child, problems, depth + 1);
        }
      }
    }
  }
  if (auto it = schema.find("allOf"); it != schema.end()) {
    for (const auto& sub : it->value().as_array())
      ValidateInto(sub, value, at, problems, depth + 1);
  }
  if (auto it = schema.find("anyOf"); it != schema.end()) {
    bool any = false;
    for (const auto& sub : it->value().as_array()) any = any || Validate(sub, value, at).empty();
    if (!any) fail("matches none of anyOf");
  }
  if (auto it = schema.find("oneOf"); it != schema.end()) {
    int matches = 0;
    for (const auto& sub : it->value().as_array()) matches += Validate(sub, value, at).empty();
    if (matches != 1) fail("matches " + std::to_string(matches) + " of oneOf (must be one)");
  }
}

std::vector<std::string> OpenApiContract::Unexercised() const {
  std::vector<std::string> out;
  for (const auto& op : operations_) {
    std::string key = op.method + " " + op.path_template;
    auto it = seen_.find(key);
    bool ok = it != seen_.end() && std::any_of(it->second.begin(), it->second.end(),
                                               [](int s) { return s >= 200 && s < 300; });
    if (!ok) out.push_back(key);
  }
  return out;
}

}  // namespace rapport::testing
