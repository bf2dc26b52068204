#include <rapport/brand/llm_client.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace rapport {
namespace {

namespace json = boost::json;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<LlmEndpoint> LlmSettings::For(const std::string& platform) const {
  LlmEndpoint e;
  if (auto it = platforms.find(platform); it != platforms.end()) {
    e = it->second;
  } else if (default_endpoint) {
    e = *default_endpoint;
    if (e.model.empty()) e.model = platform;
  } else {
    return std::nullopt;
  }
  if (!e.concurrency) e.concurrency = concurrency;
  if (!e.requests_per_minute) e.requests_per_minute = requests_per_minute;
  if (!e.tokens_per_minute) e.tokens_per_minute = tokens_per_minute;
  return e;
}

namespace {

// "a;b;c" split and trimmed, empty entries skipped.
std::vector<std::string_view> Entries(std::string_view spec, char separator) {
  std::vector<std::string_view> out;
  while (!spec.empty()) {
    size_t at = spec.find(separator);
    std::string_view entry = Trim(spec.substr(0, at));
    spec = at == std::string_view::npos ? std::string_view{} : spec.substr(at + 1);
    if (!entry.empty()) out.push_back(entry);
  }
  return out;
}

std::optional<int64_t> PositiveInt(std::string_view text) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

std::optional<double> NonNegativeNumber(std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

}  // namespace

Result<std::map<std::string, LlmEndpoint>> ParseLlmPlatforms(std::string_view spec) {
  std::map<std::string, LlmEndpoint> out;
  for (std::string_view entry : Entries(spec, ';')) {
    auto bad = [&](const std::string& why) {
      return Error(ErrorCode::kValidation, "llm.platforms: " + why + " in '" + std::string(entry) +
                                               "' (expected platform=base_url|model|API_KEY_ENV"
                                               "[|concurrency=N][|rpm=N][|tpm=N])");
    };
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) return bad("no '='");
    std::string platform(Trim(entry.substr(0, eq)));
    std::vector<std::string_view> fields;
    std::string_view rest = entry.substr(eq + 1);
    for (;;) {  // keeps empty fields: an empty API_KEY_ENV means no key
      size_t bar = rest.find('|');
      fields.push_back(Trim(rest.substr(0, bar)));
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 1);
    }
    if (platform.empty() || fields.size() < 3) return bad("missing fields");
    LlmEndpoint e;
    e.base_url = std::string(fields[0]);
    e.model = std::string(fields[1]);
    if (e.base_url.empty()) return bad("empty base_url");
    std::string key_env(fields[2]);
    if (!key_env.empty()) {
      const char* key = std::getenv(key_env.c_str());
      if (key == nullptr) {
        return Error(ErrorCode::kValidation, "llm.platforms: environment variable " + key_env +
                                                 " (API key for " + platform + ") is not set");
      }
      e.api_key = key;
    }
    for (size_t i = 3; i < fields.size(); ++i) {
      size_t at = fields[i].find('=');
      std::string_view name = at == std::string_view::npos ? fields[i] : fields[i].substr(0, at);
      auto n = at == std::string_view::npos ? std::nullopt : PositiveInt(fields[i].substr(at + 1));
      if (!n) return bad("'" + std::string(fields[i]) + "' is not name=non-negative integer");
      if (name == "concurrency") {
        if (*n < 1 || *n > 256) return bad("concurrency must be between 1 and 256");
        e.concurrency = static_cast<int>(*n);
      } else if (name == "rpm") {
        e.requests_per_minute = *n;
      } else if (name == "tpm") {
        e.tokens_per_minute = *n;
      } else {
        return bad("unknown option '" + std::string(name) + "' (concurrency, rpm or tpm)");
      }
    }
    out[platform] = std::move(e);
  }
  return out;
}

Result<std::map<std::string, LlmPrice>> ParseLlmPrices(std::string_view spec) {
  std::map<std::string, LlmPrice> out;
  for (std::string_view entry : Entries(spec, ';')) {
    size_t eq = entry.find('=');
    size_t bar = entry.find('|', eq == std::string_view::npos ? 0 : eq);
    std::optional<double> in, outp;
    if (eq != std::string_view::npos && bar != std::string_view::npos) {
      in = NonNegativeNumber(Trim(entry.substr(eq + 1, bar - eq - 1)));
      outp = NonNegativeNumber(Trim(entry.substr(bar + 1)));
    }
    std::string model(eq == std::string_view::npos ? "" : Trim(entry.substr(0, eq)));
    if (model.empty() || !in || !outp) {
      return Error(ErrorCode::kValidation,
                   "llm.prices: expected model=input_price|output_price (per million tokens), "
                   "got '" +
                       std::string(entry) + "'");
    }
    out[model] = LlmPrice{*in, *outp};
  }
  return out;
}

Result<double> ParseShare(std::string_view text) {
  text = Trim(text);
  bool percent = !text.empty() && text.back() == '%';
  if (percent) text = Trim(text.substr(0, text.size() - 1));
  auto v = NonNegativeNumber(text);
  if (v && percent) *v /= 100.0;
  if (!v || *v > 1.0) {
    return Error(ErrorCode::kValidation,
                 "expected a share between 0 and 1 (\"0.2\") or a percentage (\"20%\"), got '" +
                     std::string(text) + (percent ? "%'" : "'"));
  }
  return *v;
}

namespace {

// `text` as valid UTF-8 of at most `max_bytes` (+ "..."): a body that is not UTF-8 has its bad
// bytes replaced by '?', and a cut never splits a character. The reason is stored and put in
// report JSON, where invalid UTF-8 would fail the write (PostgreSQL) or the report's parse.
std::string CleanUtf8(std::string_view text, size_t max_bytes) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= text.size();
    for (size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (ok && n > 1) {  // no overlong forms or surrogates
      uint32_t cp = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      ok = cp >= (n == 2   ? 0x80u
                  : n == 3 ? 0x800u
                           : 0x10000u) &&
           cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (!ok) n = 1;
    if (out.size() + (ok ? n : 1) > max_bytes) return out + "...";
    if (ok) {
      out.append(text.substr(i, n));
    } else {
      out.push_back('?');
    }
    i += n;
  }
  return out;
}

// The provider's own words for a refusal: error.message, else the start of the body.
std::string ProviderReason(long status, const std::string& body) {
  std::string reason;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* e = o.if_contains("error")) {
      if (e->is_string()) reason = e->as_string();
      if (e->is_object()) {
        if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) {
          reason = m->as_string();
        }
      }
    }
    if (const auto* m = o.if_contains("message"); reason.empty() && m && m->is_string()) {
      reason = m->as_string();
    }
  }
  if (reason.empty()) reason = std::string(Trim(body));
  reason = CleanUtf8(reason, 300);
  std::string out = "the provider answered " + std::to_string(status);
  return reason.empty() ? out : out + ": " + reason;
}

std::string ErrorCodeOf(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto* e = v.as_object().if_contains("error");
  if (!e || !e->is_object()) return "";
  const auto* code = e->as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

void AddSource(std::vector<LlmSource>& sources, const json::value* url, const json::value* title) {
  if (!url || !url->is_string() || url->as_string().empty()) return;
  std::string u(url->as_string());
  std::string t = title && title->is_string() ? std::string(title->as_string()) : "";
  for (auto& s : sources) {
    if (s.url == u) {
      if (s.title.empty()) s.title = t;
      return;
    }
  }
  sources.push_back({std::move(u), std::move(t)});
}

// Sources a completion carries: OpenAI `url_citation` annotations, Perplexity `search_results`
// (with titles) and `citations` (URLs).
std::vector<LlmSource> SourcesOf(const json::object& completion, const json::object& message) {
  std::vector<LlmSource> out;
  if (const auto* a = message.if_contains("annotations"); a && a->is_array()) {
    for (const auto& note : a->as_array()) {
      if (!note.is_object()) continue;
      const auto& n = note.as_object();
      const auto* type = n.if_contains("type");
      if (!type || !type->is_string() || type->as_string() != "url_citation") continue;
      const json::object* c = &n;
      if (const auto* inner = n.if_contains("url_citation"); inner && inner->is_object()) {
        c = &inner->as_object();
      }
      AddSource(out, c->if_contains("url"), c->if_contains("title"));
    }
  }
  if (const auto* r = completion.if_contains("search_results"); r && r->is_array()) {
    for (const auto& item : r->as_array()) {
      if (item.is_object()) {
        AddSource(out, item.as_object().if_contains("url"), item.as_object().if_contains("title"));
      }
    }
  }
  if (const auto* c = completion.if_contains("citations"); c && c->is_array()) {
    for (const auto& item : c->as_array()) {
      if (item.is_string()) AddSource(out, &item, nullptr);
      if (item.is_object()) {
        AddSource(out, item.as_object().if_contains("url"), item.as_object().if_contains("title"));
      }
    }
  }
  return out;
}

int64_t UsageField(const json::object& usage, const char* name) {
  const auto* v = usage.if_contains(name);
  if (!v) return 0;
  if (v->is_int64()) return std::max<int64_t>(0, v->as_int64());
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return 0;
}

}  // namespace

namespace {

// A 2xx chat completion: its answer, sources and usage, or why it is not one.
LlmReply ReadCompletion(const std::string& body, bool* retry) {
  LlmReply reply;
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  const json::object* completion = !ec && parsed.is_object() ? &parsed.as_object() : nullptr;
  const json::object* choice = nullptr;
  if (completion) {
    const auto* choices = completion->if_contains("choices");
    if (choices && choices->is_array() && !choices->as_array().empty() &&
        choices->as_array()[0].is_object()) {
      choice = &choices->as_array()[0].as_object();
    }
  }
  const auto* message = choice ? choice->if_contains("message") : nullptr;
  if (!message || !message->is_object()) {
    *retry = true;
    reply.outcome = LlmOutcome::kUnavailable;
    reply.error = "the provider's answer was not a chat completion";
    return reply;
  }
  if (const auto* usage = completion->if_contains("usage"); usage && usage->is_object()) {
    reply.prompt_tokens = UsageField(usage->as_object(), "prompt_tokens");
    reply.completion_tokens = UsageField(usage->as_object(), "completion_tokens");
  }
  const auto* content = message->as_object().if_contains("content");
  std::string text = content && content->is_string() ? std::string(content->as_string()) : "";
  const auto* finish = choice->if_contains("finish_reason");
  if (finish && finish->is_string() && finish->as_string() == "content_filter") {
    reply.outcome = LlmOutcome::kFailed;
    reply.error = "the provider filtered the answer (finish_reason content_filter)";
    return reply;
  }
  if (Trim(text).empty()) {
    reply.outcome = LlmOutcome::kFailed;
    reply.error = "the provider returned an empty answer";
    return reply;
  }
  reply.outcome = LlmOutcome::kAnswered;
  reply.text = std::move(text);
  reply.sources = SourcesOf(*completion, message->as_object());
  return reply;
}

}  // namespace

LlmReply InterpretResponse(const LlmResponse& response, bool* retry) {
  LlmReply reply;
  *retry = false;
  long status = response.status;
  if (status == 0) {
    *retry = true;
    reply.outcome = LlmOutcome::kUnavailable;
    reply.error = "the provider could not be reached: " + response.transport_error;
    return reply;
  }
  if (status == 429 || status >= 500) {
    *retry = true;
    reply.outcome = LlmOutcome::kUnavailable;
    reply.error = ProviderReason(status, response.body);
    return reply;
  }
  if (status < 200 || status >= 300) {
    std::string code = ErrorCodeOf(response.body);
    bool down = status == 401 || status == 403 || status == 404 || code == "model_not_found" ||
                code == "invalid_api_key";
    reply.outcome = down ? LlmOutcome::kPlatformDown : LlmOutcome::kFailed;
    reply.error = ProviderReason(status, response.body);
    return reply;
  }
  return ReadCompletion(response.body, retry);
}

std::optional<json::object> ExtractJsonObject(const std::string& reply) {
  size_t open = reply.find('{');
  size_t close = reply.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(std::string_view(reply).substr(open, close - open + 1), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

}  // namespace rapport
