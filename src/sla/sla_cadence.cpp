#include <rapport/sla/sla_cadence.hpp>

#include <date/date.h>

namespace rapport {
namespace {

using date::days;
using date::sys_days;

int64_t DaysOf(date::year_month_day ymd) { return sys_days{ymd}.time_since_epoch().count(); }

Status CheckCadence(const SlaCadence& c) {
  if (!IsKnownTimeZone(c.timezone)) {
    return Error(ErrorCode::kValidation, "unknown time zone '" + c.timezone + "'");
  }
  if (!c.daily && !c.weekly && !c.monthly) {
    return Error(ErrorCode::kValidation, "at least one of daily, weekly, monthly must be set");
  }
  if (c.day_of_week < 0 || c.day_of_week > 6 || c.day_of_month < 1 || c.day_of_month > 28 ||
      c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59) {
    return Error(ErrorCode::kValidation, "day or time of day out of range");
  }
  return Ok{};
}

// The runs of local date `day` (days since 1970-01-01), which runs at `at`, in cadence order.
Status AddRunsOfDay(const SlaCadence& c, int64_t day, UnixMs at, std::vector<PlannedRun>& runs) {
  RAPPORT_TRY(std::string local, LocalRfc3339(c.timezone, at));
  auto emit = [&](const char* cadence, int64_t from_day, int64_t to_day) {
    runs.push_back({at, local, DateOfDays(from_day), DateOfDays(to_day), cadence});
  };
  date::year_month_day ymd{sys_days{days{day}}};
  if (c.daily) emit("daily", day - 1, day - 1);
  if (c.weekly &&
      date::weekday{sys_days{days{day}}}.c_encoding() == static_cast<unsigned>(c.day_of_week)) {
    emit("weekly", day - 7, day - 1);
  }
  if (c.monthly && unsigned(ymd.day()) == static_cast<unsigned>(c.day_of_month)) {
    auto previous = date::year_month{ymd.year(), ymd.month()} - date::months{1};
    emit("monthly", DaysOf({previous.year(), previous.month(), date::day{1}}),
         DaysOf({ymd.year(), ymd.month(), date::day{1}}) - 1);
  }
  return Ok{};
}

}  // namespace

Result<std::vector<PlannedRun>> PreviewSla(const SlaCadence& c, UnixMs after, int count) {
  RAPPORT_CHECK(CheckCadence(c));
  std::vector<PlannedRun> runs;
  // Local dates from the day before `after` (offsets are under a day) until enough runs exist.
  int64_t day = FloorDays(after) - 1;
  for (int guard = 0; static_cast<int>(runs.size()) < count && guard < 400 * 40; ++guard, ++day) {
    RAPPORT_TRY(UnixMs at, ResolveLocalTime(c.timezone, day, c.hour, c.minute));
    if (at > after) RAPPORT_CHECK(AddRunsOfDay(c, day, at, runs));
  }
  if (static_cast<int>(runs.size()) > count) runs.resize(static_cast<size_t>(count));
  return runs;
}

}  // namespace rapport
