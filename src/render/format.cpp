#include <rapport/render/format.hpp>

#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>

namespace rapport {

std::string FormatNumber(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0.0) rounded = 0.0;  // no "-0.000"
  return fmt::format("{:.{}f}", rounded, decimals);
}

std::string FormatPercent(double value) { return FormatNumber(value, 3); }

std::string FormatHoursMinutes(int64_t seconds) {
  bool negative = seconds < 0;
  int64_t minutes = ((negative ? -seconds : seconds) + 30) / 60;
  return fmt::format("{}{}:{:02}", negative ? "-" : "", minutes / 60, minutes % 60);
}

std::string FormatCount(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string FormatLocalMinute(UnixMs instant, std::string_view timezone) {
  auto tp = date::sys_time<std::chrono::minutes>(
      std::chrono::floor<std::chrono::minutes>(std::chrono::milliseconds(instant)));
  try {
    date::zoned_time<std::chrono::minutes> local(date::locate_zone(std::string(timezone)), tp);
    return date::format("%Y-%m-%d %H:%M", local.get_local_time());
  } catch (const std::exception&) {
    return date::format("%Y-%m-%d %H:%M", tp);
  }
}

}  // namespace rapport
