#include <rapport/sla/maintenance_window_service.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/schedule/cadence.hpp>

#include <boost/json.hpp>

#include <set>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr size_t kMaxSites = 1000;

// "HH:mm" (00:00-23:59) to minutes; -1 when malformed.
int ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  return h > 23 || m > 59 ? -1 : h * 60 + m;
}

void ReadOneOff(BodyReader& reader, json::object& out) {
  reader.RejectUnknown({"name", "type", "timezone", "starts_at", "ends_at", "site_ids", "tags"});
  std::optional<UnixMs> times[2];
  const char* keys[2] = {"starts_at", "ends_at"};
  for (int i = 0; i < 2; ++i) {
    auto text = reader.String(keys[i], {.required = true});
    if (text) times[i] = ParseRfc3339(*text);
    if (text && !times[i]) {
      reader.AddProblem(keys[i], "must be an RFC 3339 date-time with an offset", "datetime");
    }
    if (times[i]) out[keys[i]] = FormatRfc3339(*times[i]);
  }
  if (times[0] && times[1] && *times[1] <= *times[0]) {
    reader.AddProblem("ends_at", "must be after starts_at", "date_order");
  }
}

void ReadWeekly(BodyReader& reader, json::object& out) {
  reader.RejectUnknown(
      {"name", "type", "timezone", "days", "start", "duration_minutes", "site_ids", "tags"});
  if (!reader.Has("days")) reader.AddProblem("days", "field required", "missing");
  if (auto days = reader.StringList("days", 7, {.min_length = 1})) {
    std::set<int> seen;
    json::array list;
    for (const auto& d : *days) {
      auto n = ParseWeekdayName(d);
      if (!n) {
        reader.AddProblem("days", "must be day names, sunday to saturday, in lower case", "enum");
      } else if (seen.insert(*n).second) {
        list.emplace_back(d);
      }
    }
    if (days->empty()) reader.AddProblem("days", "must name at least one day", "too_short");
    out["days"] = std::move(list);
  }
  if (auto start = reader.String("start", {.required = true})) {
    if (ParseClock(*start) < 0) {
      reader.AddProblem("start", "must be a time \"HH:mm\" (00:00-23:59)", "time");
    }
    out["start"] = *start;
  }
  if (auto minutes = reader.Int("duration_minutes", true, 1, kMaxMaintenanceMinutes)) {
    out["duration_minutes"] = *minutes;
  }
}

// The scope: `site_ids` or `tags`, exactly one of them non-empty.
void ReadScope(BodyReader& reader, json::object& out) {
  auto ids = reader.StringList("site_ids", kMaxSites, {.min_length = 1, .max_length = 200});
  auto tags =
      reader.StringMap("tags", 20, {.min_length = 1, .max_length = 100}, {.max_length = 200});
  bool has_ids = ids && !ids->empty();
  bool has_tags = tags && !tags->empty();
  if (has_ids == has_tags && reader.ok()) {
    reader.AddProblem("site_ids",
                      "give either site_ids (the sites covered) or tags (every site carrying "
                      "all of them), not both and not neither",
                      "scope");
  }
  json::array id_list;
  for (const auto& id : ids.value_or(std::vector<std::string>{})) id_list.emplace_back(id);
  json::object tag_obj;
  for (const auto& [k, v] : tags.value_or(std::map<std::string, std::string>{})) tag_obj[k] = v;
  out["site_ids"] = std::move(id_list);
  out["tags"] = std::move(tag_obj);
}

Result<MaintenanceWindow> Read(const json::object& body, MaintenanceWindow w) {
  BodyReader reader(body, "body");
  json::object def;
  auto name = reader.String("name", {.required = true, .min_length = 1, .max_length = 200});
  auto type = reader.String("type", {.required = true});
  def["type"] = type.value_or("");
  std::string tz = "UTC";
  if (auto v = reader.String("timezone", {.min_length = 1})) {
    if (IsKnownTimeZone(*v)) {
      tz = *v;
    } else {
      reader.AddProblem("timezone", "must be an IANA time zone such as \"Europe/London\"",
                        "timezone");
    }
  }
  def["timezone"] = tz;
  if (type == "one_off") {
    ReadOneOff(reader, def);
  } else if (type == "weekly") {
    ReadWeekly(reader, def);
  } else if (type) {
    reader.AddProblem("type", "must be one_off or weekly", "enum");
  }
  ReadScope(reader, def);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  w.name = *name;
  w.definition = json::serialize(def);
  return w;
}

// The window as the API shows it, without id and times: what PATCH merges a body onto.
json::object Editable(const MaintenanceWindow& w) {
  json::value def = json::parse(w.definition);
  json::object out = std::move(def.as_object());
  out["name"] = w.name;
  return out;
}

}  // namespace

Result<MaintenanceWindow> MaintenanceWindowService::Create(const std::string& tenant_id,
                                                           const json::object& body) {
  RAPPORT_TRY(MaintenanceWindow w, Read(body, MaintenanceWindow{}));
  w.tenant_id = tenant_id;
  w.created_at = w.updated_at = clock_.NowMs();
  w.id = NewIdAt("mw", w.created_at);
  RAPPORT_CHECK(store_.Insert(w));
  return w;
}

Result<MaintenanceWindow> MaintenanceWindowService::Get(const std::string& tenant_id,
                                                        const std::string& id) {
  if (!IsValidId(id, "mw")) return Error::NotFound("Maintenance window");
  return store_.Get(tenant_id, id);
}

Result<Page<MaintenanceWindow>> MaintenanceWindowService::List(const std::string& tenant_id,
                                                               const PageRequest& page) {
  return store_.List(tenant_id, page);
}

Result<MaintenanceWindow> MaintenanceWindowService::Replace(const std::string& tenant_id,
                                                            const std::string& id,
                                                            const json::object& body) {
  RAPPORT_TRY(MaintenanceWindow existing, Get(tenant_id, id));
  RAPPORT_TRY(MaintenanceWindow w, Read(body, existing));
  w.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.Update(w));
  return w;
}

Result<MaintenanceWindow> MaintenanceWindowService::Patch(const std::string& tenant_id,
                                                          const std::string& id,
                                                          const json::object& body) {
  RAPPORT_TRY(MaintenanceWindow existing, Get(tenant_id, id));
  json::object merged = Editable(existing);
  const auto* type = body.if_contains("type");
  if (type != nullptr && *type != merged["type"]) {
    for (const char* key : {"starts_at", "ends_at", "days", "start", "duration_minutes"}) {
      merged.erase(key);
    }
  }
  if (body.contains("site_ids") || body.contains("tags")) {
    merged.erase("site_ids");
    merged.erase("tags");
  }
  for (const auto& [key, value] : body) merged[key] = value;
  return Replace(tenant_id, id, merged);
}

Status MaintenanceWindowService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "mw")) return Error::NotFound("Maintenance window");
  return store_.Delete(tenant_id, id);
}

json::object MaintenanceWindowToJson(const MaintenanceWindow& w) {
  json::object out{{"id", w.id}, {"name", w.name}};
  json::value def = json::parse(w.definition);
  for (auto& [key, value] : def.as_object()) out[key] = value;
  out["created_at"] = FormatRfc3339(w.created_at);
  out["updated_at"] = FormatRfc3339(w.updated_at);
  return out;
}

MaintenanceSpec SpecOf(const MaintenanceWindow& w) {
  MaintenanceSpec spec;
  json::value parsed = json::parse(w.definition);
  const json::object& def = parsed.as_object();
  spec.weekly = def.at("type").as_string() == "weekly";
  spec.timezone = std::string(def.at("timezone").as_string());
  if (spec.weekly) {
    for (const auto& d : def.at("days").as_array()) {
      spec.days.push_back(ParseWeekdayName(d.as_string()).value_or(0));
    }
    spec.start_minute = ParseClock(def.at("start").as_string());
    spec.duration_minutes = def.at("duration_minutes").to_number<int64_t>();
  } else {
    spec.starts_at = ParseRfc3339(def.at("starts_at").as_string()).value_or(0);
    spec.ends_at = ParseRfc3339(def.at("ends_at").as_string()).value_or(0);
  }
  for (const auto& id : def.at("site_ids").as_array()) {
    spec.site_ids.emplace_back(id.as_string());
  }
  for (const auto& [k, v] : def.at("tags").as_object()) spec.tags.emplace(k, v.as_string());
  return spec;
}

}  // namespace rapport
