// libFuzzer target: the parsers a request's text reaches directly. JSON bodies (depth-limited;
// what parses must serialize and parse back to the same value, numbers beyond a double refused),
// RFC 3339 instants and dates, cadence names and previews in any time zone name, and JWTs (HS256
// and an RS256 key set).
#include <rapport/auth/jwt.hpp>
#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>
#include <rapport/schedule/cadence.hpp>
#include <rapport/sla/uptime.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace {

// How many doubles apart x and y are (both finite).
uint64_t UlpDistance(double x, double y) {
  auto ordered = [](double d) {
    int64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    return bits < 0 ? std::numeric_limits<int64_t>::min() - bits : bits;
  };
  int64_t a = ordered(x), b = ordered(y);
  return a > b ? static_cast<uint64_t>(a) - static_cast<uint64_t>(b)
               : static_cast<uint64_t>(b) - static_cast<uint64_t>(a);
}

// Equal, but for doubles up to four units in the last place apart: Boost.JSON 1.81 does not
// round every decimal correctly, so the shortest form we write of a double can read back as a
// neighbour (2.2922629292262922e+45 one unit off; 1.3343333334333333e+39 two units off,
// fuzz/corpus/parse/two_ulp_double), which we accept (docs/RELIABILITY.md).
bool SameValue(const boost::json::value& a, const boost::json::value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case boost::json::kind::double_:
      return UlpDistance(a.get_double(), b.get_double()) <= 4;
    case boost::json::kind::array: {
      const auto &p = a.get_array(), &q = b.get_array();
      if (p.size() != q.size()) return false;
      for (size_t i = 0; i < p.size(); ++i) {
        if (!SameValue(p[i], q[i])) return false;
      }
      return true;
    }
    case boost::json::kind::object: {
      const auto &p = a.get_object(), &q = b.get_object();
      if (p.size() != q.size()) return false;
      for (auto i = p.begin(), j = q.begin(); i != p.end(); ++i, ++j) {
        if (i->key() != j->key() || !SameValue(i->value(), j->value())) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rapport;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = ParseJsonBody(text, 32);
  if (parsed.ok()) {  // what we write parses back to the same value
    auto reparsed = ParseJsonBody(ToJson(*parsed), 64);
    if (!reparsed.ok() || !SameValue(*parsed, *reparsed)) std::abort();
  }

  if (auto instant = ParseRfc3339(text)) {
    if (!ParseRfc3339(FormatRfc3339(*instant))) std::abort();
  }
  (void)ParseDate(text);
  (void)ParseFrequency(text);
  (void)ParseWeekdayName(text);

  size_t cut = text.find('|');
  if (cut != std::string_view::npos) {  // "timezone|…": resolve a local time there
    (void)ResolveLocalTime(std::string(text.substr(0, cut)), 20'000, 8, 0);
  }

  static const std::shared_ptr<const JwtVerifier> verifier =
      JwtVerifier::Create({.hs256_secret = "fuzz-secret-0123456789abcdef0123456789"}).value();
  (void)verifier->Verify(text, 1'800'000'000'000);
  return 0;
}
