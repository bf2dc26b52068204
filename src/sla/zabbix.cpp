// Zabbix as a fault source: the endpoint packaging/zabbix/rapport-webhook.js posts each trigger
// event to. The incident key is the problem event's id, which Zabbix also gives its recovery and
// update notifications as {EVENT.ID}.
#include <rapport/sla/fault_service.hpp>

#include "fault_fields.hpp"

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;
using namespace fault_fields;  // NOLINT(google-build-using-namespace)

constexpr int64_t kMaxUnixSeconds = 253'402'300'799;  // 9999-12-31T23:59:59Z

// Zabbix's {EVENT.NSEVERITY}: 0 not classified, 1 information, 2 warning, 3 average, 4 high,
// 5 disaster.
std::string SeverityOf(int64_t nseverity) {
  if (nseverity >= 5) return "CRITICAL";
  if (nseverity == 4) return "HIGH";
  if (nseverity >= 2) return "MEDIUM";
  return "LOW";
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The event's tags ({EVENT.TAGSJSON}: [{"tag", "value"}]) as name -> value (first wins).
std::map<std::string, std::string> ReadTags(BodyReader& reader) {
  std::map<std::string, std::string> tags;
  reader.ObjectList("tags", 500, false, [&](BodyReader& item, size_t) {
    auto name = item.String("tag", {.required = true, .max_length = 255});
    auto value = item.String("value", {.max_length = 2048});
    if (name) tags.emplace(*name, value.value_or(""));
  });
  return tags;
}

struct ZabbixEvent {
  std::string event_id;
  bool problem = true;
  bool update = false;
  UnixMs started = 0;
  std::optional<UnixMs> recovered;
  std::map<std::string, std::string> tags;
};

std::optional<ZabbixEvent> ReadEvent(BodyReader& reader) {
  ZabbixEvent e;
  auto id = reader.String("event_id", {.required = true, .max_length = 20});
  if (id && !AllDigits(*id)) reader.AddProblem("event_id", "must be a Zabbix event id", "pattern");
  auto value = reader.Int("event_value", true, 0, 1);
  auto update = reader.Int("event_update_status", false, 0, 1);
  auto started = reader.Int("event_timestamp", true, 0, kMaxUnixSeconds);
  auto recovered = reader.Int("recovery_timestamp", false, 0, kMaxUnixSeconds);
  e.tags = ReadTags(reader);
  e.update = update.value_or(0) == 1;
  if (value && *value == 0 && !e.update && !recovered && !reader.Has("recovery_timestamp")) {
    reader.AddProblem("recovery_timestamp", "field required", "missing");
  }
  if (!reader.ok() || !id || !value || !started) return std::nullopt;
  e.event_id = *id;
  e.problem = *value == 1;
  e.started = *started * 1000;
  if (recovered) e.recovered = std::max(*recovered * 1000, e.started);
  return e;
}

}  // namespace

Result<json::object> FaultService::IngestZabbix(const std::string& tenant_id,
                                                const json::object& body,
                                                const std::string& site_tag) {
  BodyReader reader(body, "body");
  std::optional<ZabbixEvent> event = ReadEvent(reader);
  auto name = reader.String("event_name", {.max_length = 4096});
  auto nseverity = reader.Int("event_nseverity", false, 0, 5);
  auto host = reader.String("host", {.max_length = 4096});
  if (!reader.ok() || !event) {
    return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  }
  RAPPORT_TRY(std::set<std::string> sites, SiteIds(sites_, tenant_id));
  UnixMs now = clock_.NowMs();
  std::vector<Fault> faults;
  auto site = event->tags.find(site_tag);
  if (!event->update && site != event->tags.end() && sites.contains(site->second)) {
    Fault f;
    f.resource_id = site->second;
    auto type = event->tags.find("fault_type");
    f.type = type != event->tags.end() && IsFaultType(type->second) ? type->second : "site";
    f.severity = SeverityOf(nseverity.value_or(4));
    f.cause = Clip(name.value_or(""), 200);
    f.message = Clip(host.value_or(""), 2000);
    f.created_at = event->started;
    if (!event->problem) f.resolved_at = event->recovered.value_or(now);
    f.source_key = "zabbix:" + event->event_id;
    faults.push_back(std::move(f));
  }
  return StoreSourceFaults(faults_, tenant_id, std::move(faults), 1, now);
}

}  // namespace rapport
