#include "output.hpp"

#include "cli.hpp"
#include "text_width.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace rapport::cli {
namespace {

namespace json = boost::json;

void PrettyInto(const json::value& v, std::string& out, int indent) {
  std::string pad(static_cast<size_t>(indent) * 2, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [k, item] : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + "  " + json::serialize(json::string(k)) + ": ";
      PrettyInto(item, out, indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + "  ";
      PrettyInto(item, out, indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += ToJson(v);
  }
}

std::string Cell(const json::value& item, const std::string& field) {
  const json::value* v = &item;
  size_t start = 0;
  while (v && start <= field.size()) {
    size_t dot = field.find('.', start);
    std::string key = field.substr(start, dot == field.npos ? field.npos : dot - start);
    v = v->is_object() ? v->as_object().if_contains(key) : nullptr;
    if (dot == field.npos) break;
    start = dot + 1;
  }
  if (!v || v->is_null()) return "-";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_array()) {  // a list of names reads as "chatgpt,claude"
    std::string joined;
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) return ToJson(*v);
      joined += (joined.empty() ? "" : ",") + std::string(item.as_string());
    }
    return joined.empty() ? "-" : joined;
  }
  return ToJson(*v);
}

// Columns a table cell may take; a longer one is cut and ends in "~".
constexpr size_t kMaxCellWidth = 48;

}  // namespace

// Aligned by display width (text_width.hpp), so names in any script line up.
void PrintTable(const json::array& rows, const std::vector<Column>& cols) {
  std::vector<std::vector<std::string>> lines(1);
  for (const auto& c : cols) lines[0].push_back(c.title);
  for (const auto& row : rows) {
    auto& line = lines.emplace_back();
    for (const auto& c : cols) line.push_back(FitWidth(Cell(row, c.field), kMaxCellWidth));
  }
  std::vector<size_t> width(cols.size(), 0);
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], DisplayWidth(line[i]));
  }
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) std::cout << PadToWidth(line[i], width[i] + 2);
    std::cout << "\n";
  }
}

namespace {

json::array Strings(const std::vector<std::string>& items) {
  json::array arr;
  for (const auto& s : items) arr.emplace_back(s);
  return arr;
}

}  // namespace

std::string Pretty(const json::value& value) {
  std::string out;
  PrettyInto(value, out, 0);
  return out;
}

std::vector<Column> BrandColumns() {
  return {{"ID", "id"}, {"NAME", "name"}, {"WEBSITE", "website"}, {"CREATED", "created_at"}};
}

std::vector<Column> SiteColumns() {
  return {{"ID", "id"}, {"NAME", "name"}, {"TIMEZONE", "timezone"}, {"TAGS", "tags"}};
}

json::object BrandDraft::ToJson() const {
  json::object body{{"name", name}, {"website", website}};
  if (!aliases.empty()) body["brand_aliases"] = Strings(aliases);
  if (!competitors.empty()) body["competitors"] = Strings(competitors);
  if (!categories.empty()) body["categories"] = Strings(categories);
  if (!country.empty()) body["country"] = country;
  if (!language.empty()) body["language"] = language;
  return body;
}

std::optional<json::object> SiteDraft::ToJson() const {
  json::object tag_obj;
  for (const auto& t : tags) {
    size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    tag_obj[t.substr(0, eq)] = t.substr(eq + 1);
  }
  return json::object{{"name", name}, {"timezone", timezone}, {"tags", std::move(tag_obj)}};
}

std::optional<json::value> Session::Call(const std::string& method, const std::string& path,
                                         const std::string& body, int& failure_code,
                                         const std::string& idempotency_key) {
  if (!client_) client_.emplace(server);
  std::vector<std::string> headers;
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  if (method != "GET") {
    headers.push_back("Idempotency-Key: " +
                      (idempotency_key.empty() ? NewUuidV4() : idempotency_key));
  }
  auto result = client_->Send(method, path, body, headers);
  if (!result.ok()) {
    std::cerr << "rapport: " << result.error().message() << "\n";
    failure_code = kExitUnreachable;
    return std::nullopt;
  }
  json::value parsed;
  if (!result->body.empty()) {
    boost::system::error_code ec;
    parsed = json::parse(result->body, ec);
    if (ec) parsed = json::string(result->body);
  }
  if (result->status >= 400) {
    if (json_output) {
      std::cout << result->body << "\n";
    } else {
      std::cerr << "rapport: HTTP " << result->status << ": " << Pretty(parsed) << "\n";
    }
    failure_code = kExitApiError;
    return std::nullopt;
  }
  return parsed;
}

int Session::Show(const std::string& method, const std::string& path, const std::string& body) {
  int code = kExitOk;
  auto value = Call(method, path, body, code);
  if (!value) return code;
  if (value->is_null()) return kExitOk;
  std::cout << (json_output ? ToJson(*value) : Pretty(*value)) << "\n";
  return kExitOk;
}

int Session::List(const std::string& path, const ListOptions& options,
                  const std::vector<Column>& cols) {
  std::string query;
  if (options.limit > 0) query += "limit=" + std::to_string(options.limit);
  if (!options.cursor.empty()) query += (query.empty() ? "" : "&") + ("cursor=" + options.cursor);
  for (const auto& filter : options.filters) {
    size_t eq = filter.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "rapport: --filter must be KEY=VALUE, got '" << filter << "'\n";
      return kExitUsage;
    }
    query +=
        (query.empty() ? "" : "&") + filter.substr(0, eq + 1) + QueryEscape(filter.substr(eq + 1));
  }
  int code = kExitOk;
  auto value = Call("GET", query.empty() ? path : path + "?" + query, "", code);
  if (!value) return code;
  if (json_output) {
    std::cout << ToJson(*value) << "\n";
    return kExitOk;
  }
  const auto& obj = value->as_object();
  PrintTable(obj.at("data").as_array(), cols);
  std::string next =
      obj.contains("next_cursor") ? Cell(*value, "next_cursor") : Cell(*value, "meta.cursor");
  if (next != "-") std::cout << "\nmore: --cursor " << next << "\n";
  return kExitOk;
}

std::string QueryEscape(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> ReadBody(const std::string& data) {
  if (data != "-" && !data.starts_with("@")) return data;
  std::string text;
  if (data == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return text;
  }
  std::ifstream in(data.substr(1), std::ios::binary);
  if (!in) {
    std::cerr << "rapport: cannot read " << data.substr(1) << "\n";
    return std::nullopt;
  }
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return text;
}

int SendBody(Session& session, const std::string& method, const std::string& path,
             const std::string& data) {
  auto body = ReadBody(data);
  return body ? session.Show(method, path, *body) : kExitUsage;
}

int Session::Raw(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& idempotency_key) {
  int code = kExitOk;
  auto value = Call(method, path, body, code, idempotency_key);
  if (!value) return code;
  if (!value->is_null()) {
    std::cout << (json_output ? ToJson(*value) : Pretty(*value)) << "\n";
  }
  return kExitOk;
}

int Session::Download(const std::vector<std::string>& paths, const std::string& output) {
  if (!client_) client_.emplace(server);
  std::vector<std::string> headers;
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  for (size_t i = 0; i < paths.size(); ++i) {
    auto result = client_->Send("GET", paths[i], "", headers);
    if (!result.ok()) {
      std::cerr << "rapport: " << result.error().message() << "\n";
      return kExitUnreachable;
    }
    if (result->status == 404 && i + 1 < paths.size()) continue;
    if (result->status >= 400) {
      std::cerr << "rapport: HTTP " << result->status << ": " << result->body << "\n";
      return kExitApiError;
    }
    if (output == "-") {
      std::cout.write(result->body.data(), static_cast<std::streamsize>(result->body.size()));
      return kExitOk;
    }
    std::string tmp = output + ".part";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(result->body.data(), static_cast<std::streamsize>(result->body.size()));
      if (!out.flush()) {
        std::cerr << "rapport: cannot write " << tmp << "\n";
        return kExitUsage;
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, output, ec);
    if (ec) {
      std::cerr << "rapport: cannot write " << output << ": " << ec.message() << "\n";
      return kExitUsage;
    }
    std::cerr << "rapport: wrote " << result->body.size() << " bytes to " << output << "\n";
    return kExitOk;
  }
  return kExitApiError;
}

}  // namespace rapport::cli
