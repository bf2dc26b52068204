// libFuzzer target: whole HTTP requests through the router and middleware (not the socket):
// the input's first line is "METHOD TARGET", then header lines, an empty line, and the body.
// An even first byte adds a valid token, so that fuzzing reaches past authentication into the
// handlers: body parsing and validation, cursors, path parameters, both error dialects. The
// store is a real SQLite database in a temporary directory. Any crash, sanitizer report or
// 5xx answer is a finding.
#include <rapport/accounts/accounts.hpp>
#include <rapport/api/api.hpp>
#include <rapport/brand/brand_kind.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/sla/sla_kind.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using namespace rapport;

struct Fixture {
  std::unique_ptr<Store> store;
  WebhookOwners webhook_owners;  // filled by the kinds
  ReportKinds kinds;             // as rapportd's, without an LLM provider or an SMTP server
  std::unique_ptr<accounts::Accounts> accounts;  // session cookies, API tokens, /auth, /v1/users
  std::unique_ptr<api::Api> api;
  std::string token;
};

Fixture& Get() {
  static Fixture* f = [] {
    auto* fixture = new Fixture;
    auto dir = std::filesystem::temp_directory_path() / ("rapport-fuzz-" + NewUuidV4());
    std::filesystem::create_directories(dir);
    fixture->store = std::move(OpenStore({(dir / "fuzz.db").string()}).value());
    std::string secret = "fuzz-secret-0123456789abcdef0123456789";
    auto verifier = JwtVerifier::Create({.hs256_secret = secret});
    api::ApiConfig config;
    config.burst_per_minute = 0;
    config.llm_per_minute = 0;
    config.log_requests = false;
    fixture->kinds.push_back(MakeSlaKind(*fixture->store, SystemClock(), {}));
    fixture->kinds.push_back(
        MakeBrandKind(*fixture->store, SystemClock(), LlmClient(LlmSettings{}), {}));
    AddKindsToApi(fixture->kinds, fixture->webhook_owners, config);
    fixture->accounts = std::make_unique<accounts::Accounts>(*fixture->store, SystemClock(),
                                                             accounts::AccountsOptions{});
    (void)fixture->accounts->Migrate();
    const accounts::Accounts* a = fixture->accounts.get();
    config.authenticate = [a](const http::Request& r, UnixMs now) {
      return a->Authenticate(r, now);
    };
    config.route_sets.push_back(
        [a](api::Router& router, const api::RouteEnv&) { a->AddRoutes(router); });
    fixture->api = std::make_unique<api::Api>(*fixture->store, SystemClock(), *verifier, config);
    fixture->token = MintHs256Token({{"sub", "fuzzer"},
                                     {"tenant", "t1"},
                                     {"scope", "*"},
                                     {"exp", SystemClock().NowMs() / 1000 + 86'400 * 365}},
                                    secret);
    return fixture;
  }();
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Fixture& f = Get();
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  http::Request request;
  size_t eol = in.find('\n');
  std::string_view line = in.substr(0, eol);
  size_t space = line.find(' ');
  request.method = std::string(line.substr(0, space));
  request.target = space == std::string_view::npos ? "/" : std::string(line.substr(space + 1));
  size_t q = request.target.find('?');
  request.path = request.target.substr(0, q);
  if (q != std::string::npos) request.query = request.target.substr(q + 1);
  std::string_view rest = eol == std::string_view::npos ? "" : in.substr(eol + 1);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view header = rest.substr(0, end);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 1);
    if (header.empty()) break;
    size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(header.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = header.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(std::move(name), std::string(value));
  }
  request.body = std::string(rest);
  if (data[0] % 2 == 0) request.headers.emplace_back("authorization", "Bearer " + f.token);
  http::Response response = f.api->Handle(request);
  if (response.status >= 500 && response.status != 503) std::abort();  // the caller's mistake
  return 0;
}
