#include <rapport/sla/fault_service.hpp>

#include "fault_fields.hpp"

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <set>

namespace rapport {
namespace {

using namespace fault_fields;  // NOLINT(google-build-using-namespace)

namespace json = boost::json;

constexpr AlertSource kAlertmanager{
    .version = "4",
    .version_message = "only Alertmanager webhook version \"4\" is supported",
    .key_prefix = "alertmanager:"};
constexpr AlertSource kGrafana{
    .version = "1",
    .version_message = "only Grafana Alerting webhook version \"1\" is supported",
    .key_prefix = "grafana:"};

// One alert of an Alertmanager-shaped webhook (Alertmanager, Grafana Alerting): the fault it
// stands for when valid and its `site_label` names one of `sites`, else nullopt (problems
// recorded in `alert`). Its source_key is `key_prefix` + fingerprint@startsAt. Tenant, id and
// updated_at are left to the caller.
std::optional<Fault> ReadAlert(BodyReader& alert, std::string_view key_prefix,
                               const std::string& site_label, const std::set<std::string>& sites) {
  auto status = alert.String("status", {.required = true});
  auto fingerprint = alert.String("fingerprint", {.required = true, .min_length = 1});
  std::optional<UnixMs> starts = ReadTime(alert, "startsAt", false);
  if (!alert.Has("startsAt")) alert.AddProblem("startsAt", "field required", "missing");
  std::optional<UnixMs> ends = ReadTime(alert, "endsAt", true);
  std::map<std::string, std::string> labels, annotations;
  if (auto l = alert.StringMap("labels", 200, {}, {})) labels = *l;
  if (auto a = alert.StringMap("annotations", 200, {}, {})) annotations = *a;
  if (status && *status != "firing" && *status != "resolved") {
    alert.AddProblem("status", "must be firing or resolved", "enum");
  }
  if (!status || !fingerprint || !starts) return std::nullopt;
  auto site = labels.find(site_label);
  if (site == labels.end() || !sites.contains(site->second)) return std::nullopt;
  Fault f;
  f.resource_id = site->second;
  f.type = labels.contains("fault_type") && IsFaultType(labels["fault_type"]) ? labels["fault_type"]
                                                                              : "site";
  std::string severity = labels.contains("severity") ? labels["severity"] : "";
  for (auto& c : severity) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  f.severity = IsSeverity(severity)    ? severity
               : severity == "WARNING" ? "MEDIUM"
               : severity == "INFO"    ? "LOW"
                                       : "HIGH";
  f.cause = labels.contains("alertname") ? labels["alertname"] : "";
  f.message = annotations.contains("summary") ? annotations["summary"] : annotations["description"];
  f.created_at = *starts;
  // Both send a zero or future endsAt while firing; only a resolved alert ends.
  if (*status == "resolved" && ends && *ends >= *starts) f.resolved_at = *ends;
  f.source_key = std::string(key_prefix) + *fingerprint + "@" + FormatRfc3339(*starts);
  return f;
}

}  // namespace

Result<Fault> FaultService::Create(const std::string& tenant_id, const json::object& body) {
  RAPPORT_TRY(std::set<std::string> sites, SiteIds(sites_, tenant_id));
  UnixMs now = clock_.NowMs();
  Fault f;
  BodyReader reader(body, "body");
  ReadNewFault(reader, f, sites, now);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  f.tenant_id = tenant_id;
  f.updated_at = now;
  f.id = NewIdAt("flt", now);
  RAPPORT_CHECK(faults_.InsertFaults({f}));
  return f;
}

Result<std::vector<Fault>> FaultService::CreateBulk(const std::string& tenant_id,
                                                    const json::object& body) {
  RAPPORT_TRY(std::set<std::string> sites, SiteIds(sites_, tenant_id));
  UnixMs now = clock_.NowMs();
  BodyReader reader(body, "body");
  reader.RejectUnknown({"faults"});
  std::vector<Fault> faults;
  reader.ObjectList("faults", kMaxBulkFaults, true, [&](BodyReader& item, size_t) {
    Fault f;
    ReadNewFault(item, f, sites, now);
    f.tenant_id = tenant_id;
    f.updated_at = now;
    f.id = NewIdAt("flt", now);
    faults.push_back(std::move(f));
  });
  if (reader.ok() && faults.empty()) {
    reader.AddProblem("faults", "must hold at least one fault", "too_short");
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  RAPPORT_CHECK(faults_.InsertFaults(faults));
  return faults;
}

Result<Fault> FaultService::Get(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "flt")) return Error::NotFound("Fault");
  return faults_.GetFault(tenant_id, id);
}

Result<Page<Fault>> FaultService::List(const std::string& tenant_id, const FaultFilter& filter,
                                       const PageRequest& page) {
  return faults_.ListFaults(tenant_id, filter, page);
}

Result<Fault> FaultService::Patch(const std::string& tenant_id, const std::string& id,
                                  const json::object& body) {
  RAPPORT_TRY(Fault f, Get(tenant_id, id));
  UnixMs now = clock_.NowMs();
  BodyReader reader(body, "body");
  reader.RejectUnknown({"status", "resolved_at", "severity", "cause", "message"});
  ReadEditable(reader, f, false);
  std::optional<UnixMs> resolved_at = ReadTime(reader, "resolved_at", true);
  auto status = reader.String("status", {});
  if (status && *status != "resolved" && *status != "unresolved") {
    reader.AddProblem("status", "must be one of unresolved, resolved", "enum");
  }
  if (status == "unresolved") {
    if (resolved_at) {
      reader.AddProblem("status", "an unresolved fault cannot have resolved_at", "conflict");
    }
    f.resolved_at.reset();
  } else if (resolved_at || status == "resolved" ||
             (reader.Has("resolved_at") && reader.IsNull("resolved_at"))) {
    if (reader.Has("resolved_at") && reader.IsNull("resolved_at")) {
      f.resolved_at.reset();
    } else {
      UnixMs end = resolved_at.value_or(f.resolved_at.value_or(std::max(now, f.created_at)));
      if (end < f.created_at) {
        reader.AddProblem("resolved_at", "must not be before created_at", "before_created_at");
      } else if (end > now + kFutureSkewMs) {
        reader.AddProblem("resolved_at", "must not be in the future", "future");
      }
      f.resolved_at = end;
    }
  }
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  f.updated_at = now;
  RAPPORT_CHECK(faults_.UpdateFault(f));
  return f;
}

Result<json::object> FaultService::IngestAlertmanager(const std::string& tenant_id,
                                                      const json::object& body,
                                                      const std::string& site_label) {
  return IngestAlerts(tenant_id, body, kAlertmanager, site_label);
}

Result<json::object> FaultService::IngestGrafana(const std::string& tenant_id,
                                                 const json::object& body,
                                                 const std::string& site_label) {
  return IngestAlerts(tenant_id, body, kGrafana, site_label);
}

Result<json::object> FaultService::IngestAlerts(const std::string& tenant_id,
                                                const json::object& body, const AlertSource& source,
                                                const std::string& site_label) {
  BodyReader reader(body, "body");
  if (auto version = reader.String("version", {.required = true});
      version && *version != source.version) {
    reader.AddProblem("version", std::string(source.version_message), "enum");
  }
  RAPPORT_TRY(std::set<std::string> sites, SiteIds(sites_, tenant_id));
  UnixMs now = clock_.NowMs();
  std::vector<Fault> faults;
  int64_t received = 0;
  reader.ObjectList("alerts", kMaxBulkFaults, true, [&](BodyReader& alert, size_t) {
    ++received;
    std::optional<Fault> f = ReadAlert(alert, source.key_prefix, site_label, sites);
    if (f) faults.push_back(std::move(*f));
  });
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return StoreSourceFaults(faults_, tenant_id, std::move(faults), received, now);
}

json::object FaultToJson(const Fault& f) {
  return json::object{
      {"id", f.id},
      {"resource_id", f.resource_id},
      {"type", f.type},
      {"severity", f.severity},
      {"status", f.resolved_at ? "resolved" : "unresolved"},
      {"cause", f.cause},
      {"message", f.message},
      {"created_at", FormatRfc3339(f.created_at)},
      {"resolved_at", f.resolved_at ? json::value(FormatRfc3339(*f.resolved_at)) : nullptr}};
}

namespace fault_fields {

bool IsSeverity(std::string_view s) {
  return s == "LOW" || s == "MEDIUM" || s == "HIGH" || s == "CRITICAL";
}

bool IsFaultType(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

std::optional<UnixMs> ReadTime(BodyReader& reader, std::string_view key, bool nullable) {
  auto text = reader.String(key, {.max_length = 64, .nullable = nullable});
  if (!text) return std::nullopt;
  auto ms = ParseRfc3339(*text);
  if (!ms) {
    reader.AddProblem(key, "must be an RFC 3339 timestamp such as \"2026-01-31T08:00:00Z\"",
                      "datetime_parsing");
  }
  return ms;
}

void ReadEditable(BodyReader& reader, Fault& f, bool creating) {
  if (auto sev = reader.String("severity", {.required = creating})) {
    if (IsSeverity(*sev)) {
      f.severity = *sev;
    } else {
      reader.AddProblem("severity", "must be one of LOW, MEDIUM, HIGH, CRITICAL", "enum");
    }
  }
  if (auto cause = reader.String("cause", {.max_length = 200})) f.cause = *cause;
  if (auto message = reader.String("message", {.max_length = 2000})) f.message = *message;
}

void ReadNewFault(BodyReader& reader, Fault& f, const std::set<std::string>& sites, UnixMs now) {
  reader.RejectUnknown({"resource_id", "type", "severity", "status", "cause", "message",
                        "created_at", "resolved_at"});
  if (auto resource = reader.String("resource_id", {.required = true, .min_length = 1})) {
    if (sites.contains(*resource)) {
      f.resource_id = *resource;
    } else {
      reader.AddProblem("resource_id", "must be the id of one of your sites", "unknown_site");
    }
  }
  if (auto type = reader.String("type", {.required = true})) {
    if (IsFaultType(*type)) {
      f.type = *type;
    } else {
      reader.AddProblem("type",
                        "must be a fault type such as \"site\" or \"wantunnel\" (a-z, 0-9, _ "
                        "or -, at most 32 characters)",
                        "pattern");
    }
  }
  ReadEditable(reader, f, true);
  f.created_at = now;
  if (auto start = ReadTime(reader, "created_at", false)) {
    if (*start > now + kFutureSkewMs) {
      reader.AddProblem("created_at", "must not be in the future", "future");
    } else {
      f.created_at = *start;
    }
  }
  bool resolved_given = reader.Has("resolved_at") && !reader.IsNull("resolved_at");
  if (auto end = ReadTime(reader, "resolved_at", true)) {
    if (*end < f.created_at) {
      reader.AddProblem("resolved_at", "must not be before created_at", "before_created_at");
    } else if (*end > now + kFutureSkewMs) {
      reader.AddProblem("resolved_at", "must not be in the future", "future");
    } else {
      f.resolved_at = *end;
    }
  }
  if (auto status = reader.String("status", {})) {
    if (*status == "resolved" && !resolved_given) {
      f.resolved_at = std::max(now, f.created_at);
    } else if (*status == "unresolved" && resolved_given) {
      reader.AddProblem("status", "an unresolved fault cannot have resolved_at", "conflict");
    } else if (*status != "resolved" && *status != "unresolved") {
      reader.AddProblem("status", "must be one of unresolved, resolved", "enum");
    }
  }
}

Result<std::set<std::string>> SiteIds(SiteStore& store, const std::string& tenant_id) {
  RAPPORT_TRY(std::vector<Site> sites, store.AllSites(tenant_id));
  std::set<std::string> ids;
  for (const auto& s : sites) ids.insert(s.id);
  return ids;
}

Result<json::object> StoreSourceFaults(FaultStore& store, const std::string& tenant_id,
                                       std::vector<Fault> faults, int64_t received, UnixMs now) {
  for (auto& f : faults) {
    f.tenant_id = tenant_id;
    f.updated_at = now;
    f.id = NewIdAt("flt", now);
  }
  int64_t changed = 0;
  if (!faults.empty()) {
    RAPPORT_TRY(changed, store.InsertFaults(faults));
  }
  return json::object{{"received", received},
                      {"matched", static_cast<int64_t>(faults.size())},
                      {"changed", changed}};
}

std::string Clip(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return std::string(text.substr(0, i));
  }
  return std::string(text);
}

Result<std::vector<Fault>> OpenSourceFaults(FaultStore& store, const std::string& tenant_id,
                                            const std::string& site, std::string_view key_prefix,
                                            UnixMs now) {
  FaultFilter filter{.resource_id = site, .from = now};
  PageRequest page{.limit = 500};
  std::vector<Fault> open;
  while (true) {
    RAPPORT_TRY(Page<Fault> batch, store.ListFaults(tenant_id, filter, page));
    if (batch.items.empty()) break;
    page.after_id = batch.items.back().id;
    for (auto& f : batch.items) {
      if (!f.resolved_at && f.source_key && f.source_key->starts_with(key_prefix)) {
        open.push_back(std::move(f));
      }
    }
    if (!batch.has_more) break;
  }
  return open;
}

}  // namespace fault_fields

}  // namespace rapport
