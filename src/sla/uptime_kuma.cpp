// Uptime Kuma as a fault source: its webhook notification ({heartbeat, monitor, msg}) on a
// monitor going down or up. Uptime Kuma has no incident id, so a fault's key is the monitor id
// and the time it went down; an up heartbeat resolves the monitor's open fault.
#include <rapport/sla/fault_service.hpp>

#include <rapport/core/time.hpp>

#include "fault_fields.hpp"

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;
using namespace fault_fields;  // NOLINT(google-build-using-namespace)

constexpr int64_t kDown = 0;
constexpr int64_t kUp = 1;

// heartbeat.time: UTC as "2026-11-05 10:00:00.123" (Uptime Kuma's format), or RFC 3339.
std::optional<UnixMs> ParseHeartbeatTime(std::string text) {
  if (text.size() >= 19 && text[10] == ' ') {
    text[10] = 'T';
    if (text.find_first_of("Zz+", 19) == std::string::npos && text.find('-', 19) == text.npos) {
      text += 'Z';
    }
  }
  return ParseRfc3339(text);
}

struct Heartbeat {
  int64_t status = 0;
  UnixMs time = 0;
  std::string msg;
};

std::optional<Heartbeat> ReadHeartbeat(BodyReader& reader) {
  Heartbeat beat;
  auto status = reader.Int("status", true, 0, 3);
  auto time = reader.String("time", {.required = true, .max_length = 64});
  std::optional<UnixMs> at;
  if (time) at = ParseHeartbeatTime(*time);
  if (time && !at) {
    reader.AddProblem("time", "must be a time such as \"2026-11-05 10:00:00.000\" (UTC)",
                      "datetime_parsing");
  }
  if (auto msg = reader.String("msg", {.nullable = true})) beat.msg = *msg;
  if (!status || !at) return std::nullopt;
  beat.status = *status;
  beat.time = *at;
  return beat;
}

struct Monitor {
  int64_t id = 0;
  std::string name;
  std::map<std::string, std::string> tags;  // tag name -> value (first wins)
};

std::optional<Monitor> ReadMonitor(BodyReader& reader) {
  Monitor monitor;
  auto id = reader.Int("id", true, 0, INT64_MAX);
  auto name = reader.String("name", {.required = true, .max_length = 4096});
  if (reader.Has("tags") && !reader.IsNull("tags")) {
    reader.ObjectList("tags", 500, false, [&](BodyReader& tag, size_t) {
      auto tag_name = tag.String("name", {.required = true, .max_length = 255});
      auto value = tag.String("value", {.max_length = 2048, .nullable = true});
      if (tag_name) monitor.tags.emplace(*tag_name, value.value_or(""));
    });
  }
  if (!id || !name) return std::nullopt;
  monitor.id = *id;
  monitor.name = *name;
  return monitor;
}

// The site `site_field` ("name" or "tag:<name>") names: a site id, or the name of exactly one
// site.
std::optional<std::string> SiteOf(const Monitor& monitor, const std::string& site_field,
                                  const std::vector<Site>& sites) {
  std::string value = monitor.name;
  if (site_field.starts_with("tag:")) {
    auto tag = monitor.tags.find(site_field.substr(4));
    if (tag == monitor.tags.end()) return std::nullopt;
    value = tag->second;
  }
  std::optional<std::string> by_name;
  int named = 0;
  for (const auto& s : sites) {
    if (s.id == value) return s.id;
    if (s.name == value && ++named == 1) by_name = s.id;
  }
  return named == 1 ? by_name : std::nullopt;
}

}  // namespace

Result<json::object> FaultService::IngestUptimeKuma(const std::string& tenant_id,
                                                    const json::object& body,
                                                    const std::string& site_field) {
  BodyReader reader(body, "body");
  std::optional<Heartbeat> beat;
  std::optional<Monitor> monitor;
  bool has_beat = reader.Has("heartbeat") && !reader.IsNull("heartbeat");
  if (has_beat) {
    if (!body.at("heartbeat").is_object()) {
      reader.AddProblem("heartbeat", "must be an object", "model_type");
    } else {
      BodyReader nested = reader.Nested(body.at("heartbeat").as_object(), "heartbeat");
      beat = ReadHeartbeat(nested);
    }
    if (!reader.Has("monitor") || !body.at("monitor").is_object()) {
      reader.AddProblem("monitor", "an object is required with a heartbeat", "missing");
    } else {
      BodyReader nested = reader.Nested(body.at("monitor").as_object(), "monitor");
      monitor = ReadMonitor(nested);
    }
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  // Without a heartbeat it is Uptime Kuma's "Test" notification: nothing to record.
  UnixMs now = clock_.NowMs();
  if (!beat || !monitor) return StoreSourceFaults(faults_, tenant_id, {}, 0, now);
  RAPPORT_TRY(std::vector<Site> sites, sites_.AllSites(tenant_id));
  std::optional<std::string> site = SiteOf(*monitor, site_field, sites);
  if (!site || (beat->status != kDown && beat->status != kUp)) {
    return StoreSourceFaults(faults_, tenant_id, {}, 1, now);
  }
  std::string prefix = "uptime-kuma:" + std::to_string(monitor->id) + "@";
  RAPPORT_TRY(std::vector<Fault> open, OpenSourceFaults(faults_, tenant_id, *site, prefix, now));
  std::vector<Fault> faults;
  if (beat->status == kUp) {
    for (auto& f : open) {
      f.resolved_at = std::max(beat->time, f.created_at);
      faults.push_back(std::move(f));
    }
  } else if (open.empty()) {
    Fault f;
    f.resource_id = *site;
    f.type = "site";
    f.severity = "HIGH";
    f.cause = Clip(beat->msg, 200);
    f.message = Clip(reader.String("msg", {.nullable = true}).value_or(""), 2000);
    f.created_at = beat->time;
    f.source_key = prefix + FormatRfc3339(beat->time);
    faults.push_back(std::move(f));
  }
  auto summary = StoreSourceFaults(faults_, tenant_id, std::move(faults), 1, now);
  if (summary.ok()) (*summary)["matched"] = 1;
  return summary;
}

}  // namespace rapport
