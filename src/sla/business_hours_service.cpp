#include <rapport/sla/business_hours_service.hpp>

#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/schedule/cadence.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

// "HH:mm" (00:00-23:59, or 24:00 as an end of day) to minutes; -1 when malformed.
int ParseClock(std::string_view text, bool allow_24) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59) return -1;
  if (h == 24 && m == 0 && allow_24) return 24 * 60;
  if (h > 23) return -1;
  return h * 60 + m;
}

Result<BusinessHours> Read(const json::object& body, BusinessHours h) {
  BodyReader reader(body, "body");
  reader.RejectUnknown({"name", "timezone", "hours"});
  if (auto name = reader.String("name", {.required = true, .min_length = 1, .max_length = 200})) {
    h.name = *name;
  }
  if (auto tz = reader.String("timezone", {.required = true, .min_length = 1})) {
    if (IsKnownTimeZone(*tz)) {
      h.timezone = *tz;
    } else {
      reader.AddProblem("timezone", "must be an IANA time zone such as \"Europe/London\"",
                        "timezone");
    }
  }
  json::array hours;
  reader.ObjectList("hours", 50, true, [&](BodyReader& item, size_t) {
    item.RejectUnknown({"day", "start", "end"});
    auto day = item.String("day", {.required = true});
    auto start = item.String("start", {.required = true});
    auto end = item.String("end", {.required = true});
    if (day && !ParseWeekdayName(*day)) {
      item.AddProblem("day", "must be a day name, sunday to saturday, in lower case", "enum");
    }
    int s = start ? ParseClock(*start, false) : -1;
    int e = end ? ParseClock(*end, true) : -1;
    if (start && s < 0) item.AddProblem("start", "must be a time \"HH:mm\" (00:00-23:59)", "time");
    if (end && e < 0) item.AddProblem("end", "must be a time \"HH:mm\" (00:00-24:00)", "time");
    if (s >= 0 && e >= 0 && s == e) {
      item.AddProblem("end", "must differ from start (an end before start runs past midnight)",
                      "empty_period");
    }
    if (day && start && end)
      hours.push_back(json::object{{"day", *day}, {"start", *start}, {"end", *end}});
  });
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  h.hours = json::serialize(hours);
  return h;
}

}  // namespace

Result<BusinessHours> BusinessHoursService::Create(const std::string& tenant_id,
                                                   const json::object& body) {
  BusinessHours h;
  RAPPORT_TRY(h, Read(body, std::move(h)));
  h.tenant_id = tenant_id;
  h.created_at = h.updated_at = clock_.NowMs();
  h.id = NewIdAt("sch", h.created_at);
  RAPPORT_CHECK(store_.InsertBusinessHours(h));
  return h;
}

Result<BusinessHours> BusinessHoursService::Get(const std::string& tenant_id,
                                                const std::string& id) {
  if (!IsValidId(id, "sch")) return Error::NotFound("Business hours");
  return store_.GetBusinessHours(tenant_id, id);
}

Result<Page<BusinessHours>> BusinessHoursService::List(const std::string& tenant_id,
                                                       const PageRequest& page) {
  return store_.ListBusinessHours(tenant_id, page);
}

Result<BusinessHours> BusinessHoursService::Replace(const std::string& tenant_id,
                                                    const std::string& id,
                                                    const json::object& body) {
  RAPPORT_TRY(BusinessHours existing, Get(tenant_id, id));
  RAPPORT_TRY(BusinessHours h, Read(body, existing));
  h.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.UpdateBusinessHours(h));
  return h;
}

Status BusinessHoursService::Delete(const std::string& tenant_id, const std::string& id) {
  if (!IsValidId(id, "sch")) return Error::NotFound("Business hours");
  return store_.DeleteBusinessHours(tenant_id, id);
}

json::object BusinessHoursToJson(const BusinessHours& h) {
  return json::object{{"id", h.id},
                      {"name", h.name},
                      {"timezone", h.timezone},
                      {"hours", json::parse(h.hours)},
                      {"created_at", FormatRfc3339(h.created_at)},
                      {"updated_at", FormatRfc3339(h.updated_at)}};
}

std::vector<OpeningHours> OpeningHoursOf(const BusinessHours& h) {
  std::vector<OpeningHours> out;
  json::value parsed = json::parse(h.hours);
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    int end = ParseClock(o.at("end").as_string(), true);
    out.push_back({ParseWeekdayName(o.at("day").as_string()).value_or(0),
                   ParseClock(o.at("start").as_string(), false), end == 24 * 60 ? 0 : end});
  }
  return out;
}

}  // namespace rapport
