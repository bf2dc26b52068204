// What every fault source shares with /faults: the checks of a fault's fields, the tenant's site
// ids, and the one way a batch of source faults is stored. Private to src/sla.
#pragma once

#include <rapport/core/json.hpp>
#include <rapport/core/result.hpp>
#include <rapport/store/interfaces.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::fault_fields {

inline constexpr int64_t kFutureSkewMs = 5 * 60'000;  // clocks of fault sources may run ahead

bool IsSeverity(std::string_view s);
bool IsFaultType(std::string_view s);
// Reads an RFC 3339 timestamp field; nullopt when absent, null or invalid (recorded).
std::optional<UnixMs> ReadTime(BodyReader& reader, std::string_view key, bool nullable);
// Reads severity (required when `creating`), cause and message into `f`.
void ReadEditable(BodyReader& reader, Fault& f, bool creating);
// Validates one fault of a create call (the fields of POST /faults). `sites`: the tenant's.
void ReadNewFault(BodyReader& reader, Fault& f, const std::set<std::string>& sites, UnixMs now);
Result<std::set<std::string>> SiteIds(SiteStore& store, const std::string& tenant_id);

// `text` cut to at most `max_chars` Unicode code points (of valid UTF-8), for a source's free
// text that fills a bounded field (cause 200, message 2000).
std::string Clip(std::string_view text, size_t max_chars);
// The tenant's faults of `site` that are open and whose source_key starts with `key_prefix`.
Result<std::vector<Fault>> OpenSourceFaults(FaultStore& store, const std::string& tenant_id,
                                            const std::string& site, std::string_view key_prefix,
                                            UnixMs now);

// Stores `faults` of one source (each with a source_key) for `tenant_id`, stamping id and
// updated_at; returns {"received", "matched": faults.size(), "changed"}.
Result<boost::json::object> StoreSourceFaults(FaultStore& store, const std::string& tenant_id,
                                              std::vector<Fault> faults, int64_t received,
                                              UnixMs now);

}  // namespace rapport::fault_fields
