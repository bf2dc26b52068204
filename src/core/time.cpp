#include <rapport/core/time.hpp>

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <sstream>

namespace rapport {
namespace {

class SystemClockImpl final : public Clock {
 public:
  UnixMs NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A reading of clock C in microseconds since its epoch.
template <typename C>
int64_t MicrosecondsNow() {
  return std::chrono::duration_cast<std::chrono::microseconds>(C::now().time_since_epoch()).count();
}

class LeaseClockImpl final : public Clock {
 public:
  LeaseClockImpl()
      : time_(MicrosecondsNow<std::chrono::steady_clock>(),
              MicrosecondsNow<std::chrono::system_clock>()) {}

  UnixMs NowMs() const override {
    std::lock_guard lock(mu_);
    return time_.Advance(MicrosecondsNow<std::chrono::steady_clock>(),
                         MicrosecondsNow<std::chrono::system_clock>()) /
           1000;
  }

 private:
  mutable std::mutex mu_;
  mutable SlewedTime time_;
};

bool ParseDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

const Clock& SystemClock() {
  static const SystemClockImpl clock;
  return clock;
}

const Clock& LeaseClock() {
  static const LeaseClockImpl clock;
  return clock;
}

SlewedTime::SlewedTime(int64_t monotonic_us, int64_t wall_us)
    : last_monotonic_us_(monotonic_us), now_us_(wall_us) {}

int64_t SlewedTime::Advance(int64_t monotonic_us, int64_t wall_us) {
  int64_t elapsed = std::max<int64_t>(0, monotonic_us - last_monotonic_us_);
  last_monotonic_us_ = std::max(last_monotonic_us_, monotonic_us);
  int64_t most = elapsed * kMaxSlewPercent / 100;
  now_us_ += elapsed + std::clamp(wall_us - (now_us_ + elapsed), -most, most);
  return now_us_;
}

std::string FormatRfc3339(UnixMs ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
  int64_t in_day = ms - days * 86'400'000;
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  int year = int(ymd.year());
  if (year < 0 || year > 9999) {  // outside what the fixed-width form below writes
    char buf[48];
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                  unsigned(ymd.month()), unsigned(ymd.day()), int(in_day / 3'600'000),
                  int(in_day / 60'000 % 60), int(in_day / 1000 % 60), int(in_day % 1000));
    return buf;
  }
  // Written digit by digit: this runs for every timestamp of every JSON answer.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](size_t end, int value, int digits) {
    for (int i = 1; i <= digits; ++i, value /= 10)
      out[end - i] = static_cast<char>('0' + value % 10);
  };
  put(4, year, 4);
  put(7, int(unsigned(ymd.month())), 2);
  put(10, int(unsigned(ymd.day())), 2);
  put(13, int(in_day / 3'600'000), 2);
  put(16, int(in_day / 60'000 % 60), 2);
  put(19, int(in_day / 1000 % 60), 2);
  put(23, int(in_day % 1000), 3);
  return out;
}

std::optional<UnixMs> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || !ParseDigits(s, 0, 4, y) || s[4] != '-' || !ParseDigits(s, 5, 2, mo) ||
      s[7] != '-' || !ParseDigits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') ||
      !ParseDigits(s, 11, 2, h) || s[13] != ':' || !ParseDigits(s, 14, 2, mi) || s[16] != ':' ||
      !ParseDigits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{y}, date::month(static_cast<unsigned>(mo)),
                           date::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    int64_t scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 9) return std::nullopt;
  }
  int64_t offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!ParseDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ParseDigits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  auto days = date::sys_days(ymd).time_since_epoch().count();
  int64_t secs = days * 86400LL + h * 3600 + mi * 60 + std::min(sec, 59) - offset_min * 60;
  return secs * 1000 + frac_ms;
}

bool IsKnownTimeZone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(std::string(name)) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace rapport
