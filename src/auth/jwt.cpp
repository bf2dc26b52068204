#include <rapport/auth/jwt.hpp>

#include "token_cache.hpp"

#include <rapport/core/encoding.hpp>
#include <rapport/core/json.hpp>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <boost/json.hpp>

#include <array>
#include <atomic>

namespace rapport {
namespace {

namespace json = boost::json;
constexpr size_t kMaxTokenBytes = 8192;

Error Unauthorized(std::string message) {
  return Error(ErrorCode::kUnauthorized, std::move(message));
}

using PkeyPtr = std::shared_ptr<EVP_PKEY>;

std::optional<json::object> DecodeSegment(std::string_view segment) {
  auto bytes = Base64UrlDecode(segment);
  if (!bytes) return std::nullopt;
  auto parsed = ParseJsonBody(*bytes, 8);
  if (!parsed.ok() || !parsed->is_object()) return std::nullopt;
  return std::move(parsed->as_object());
}

bool VerifyWithKey(EVP_PKEY* key, std::string_view signed_part, std::string_view der_or_raw) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_or_raw.data()),
                          der_or_raw.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

// JWS ES256 signatures are r||s (32 bytes each); OpenSSL wants DER.
std::optional<std::string> EcdsaRawToDer(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool AudienceMatches(const json::value& aud, std::string_view expected) {
  if (aud.is_string()) return aud.as_string() == expected;
  if (!aud.is_array()) return false;
  for (const auto& v : aud.as_array()) {
    if (v.is_string() && v.as_string() == expected) return true;
  }
  return false;
}

std::optional<double> NumericClaim(const json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  if (v->is_double()) return v->as_double();
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

struct JwtVerifier::Keys {
  std::vector<PkeyPtr> rsa;
  std::vector<PkeyPtr> ec;
};

// Verified tokens in a few LRUs: a thread keeps to one (threads numbered in the order they first
// verify), so that the I/O loops, which verify every request, share no lock and no cache line. A
// token is verified once in each LRU it is used with; each hit re-checks exp and nbf.
struct JwtVerifier::Cache {
  static constexpr size_t kShards = 4;
  static constexpr size_t kMaxEntriesPerShard = 1024;
  struct alignas(64) Shard {
    TokenCache lru{kMaxEntriesPerShard};
  };

  TokenCache& Mine() {
    static std::atomic<size_t> next_thread{0};
    thread_local const size_t thread = next_thread++;
    return shards[thread % kShards].lru;
  }

  std::array<Shard, kShards> shards;
};

JwtVerifier::JwtVerifier(JwtConfig config, std::shared_ptr<Keys> keys)
    : config_(std::move(config)), keys_(std::move(keys)), cache_(std::make_shared<Cache>()) {}

Result<std::shared_ptr<const JwtVerifier>> JwtVerifier::Create(const JwtConfig& config) {
  auto keys = std::make_shared<Keys>();
  for (size_t i = 0; i < config.public_keys.size(); ++i) {
    const auto& pem = config.public_keys[i];
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                  BIO_free);
    PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    if (!key) {
      return Error(ErrorCode::kValidation,
                   "auth public key #" + std::to_string(i + 1) + " is not a PEM public key");
    }
    if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_RSA) {
      keys->rsa.push_back(key);
    } else if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_EC) {
      keys->ec.push_back(key);
    } else {
      return Error(ErrorCode::kValidation,
                   "auth public key #" + std::to_string(i + 1) + " is neither RSA nor EC");
    }
  }
  if (config.hs256_secret.empty() && keys->rsa.empty() && keys->ec.empty()) {
    return Error(ErrorCode::kValidation,
                 "no authentication key configured: set RAPPORT_AUTH_HS256_SECRET or "
                 "auth.public_keys");
  }
  return std::make_shared<const JwtVerifier>(config, std::move(keys));
}

Status JwtVerifier::CheckSignature(std::string_view alg, std::string_view signed_part,
                                   std::string_view signature) const {
  if (alg == "HS256" && !config_.hs256_secret.empty()) {
    if (ConstantTimeEquals(HmacSha256(config_.hs256_secret, signed_part), signature)) return Ok{};
    return Unauthorized("Token signature is invalid");
  }
  const std::vector<PkeyPtr>* keys = nullptr;
  std::optional<std::string> sig(signature);
  if (alg == "RS256") keys = &keys_->rsa;
  if (alg == "ES256") {
    keys = &keys_->ec;
    sig = EcdsaRawToDer(signature);
  }
  if (!keys || keys->empty()) {
    return Unauthorized("Token algorithm '" + std::string(alg.substr(0, 16)) + "' is not accepted");
  }
  if (sig) {
    for (const auto& key : *keys) {
      if (VerifyWithKey(key.get(), signed_part, *sig)) return Ok{};
    }
  }
  return Unauthorized("Token signature is invalid");
}

Status JwtVerifier::CheckClaims(const json::object& claims, UnixMs now) const {
  double now_s = static_cast<double>(now) / 1000.0;
  auto exp = NumericClaim(claims, "exp");
  if (!exp || std::isnan(*exp)) return Unauthorized("Token has no valid 'exp' claim");
  if (now_s > *exp + config_.leeway_seconds) return Unauthorized("Token has expired");
  auto nbf = NumericClaim(claims, "nbf");
  if (nbf && (std::isnan(*nbf) || now_s + config_.leeway_seconds < *nbf)) {
    return Unauthorized("Token is not valid yet");
  }
  if (!config_.issuer.empty()) {
    const auto* iss = claims.if_contains("iss");
    if (!iss || !iss->is_string() || iss->as_string() != config_.issuer) {
      return Unauthorized("Token issuer is not accepted");
    }
  }
  if (!config_.audience.empty()) {
    const auto* aud = claims.if_contains("aud");
    if (!aud || !AudienceMatches(*aud, config_.audience)) {
      return Unauthorized("Token audience is not accepted");
    }
  }
  return Ok{};
}

Result<Principal> JwtVerifier::Verify(std::string_view token, UnixMs now) const {
  if (token.empty() || token.size() > kMaxTokenBytes) return Unauthorized("Malformed token");
  double now_s = static_cast<double>(now) / 1000.0;
  if (auto hit = cache_->Mine().Find(token); hit && now_s <= hit->exp + config_.leeway_seconds &&
                                             now_s + config_.leeway_seconds >= hit->nbf) {
    return std::move(hit->principal);
  }
  auto principal = VerifyUncached(token, now);
  if (principal.ok()) {
    auto claims =
        DecodeSegment(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
    double exp = NumericClaim(*claims, "exp").value_or(0);
    double nbf = NumericClaim(*claims, "nbf").value_or(0);
    cache_->Mine().Insert(token, {*principal, exp, nbf});
  }
  return principal;
}

Result<Principal> JwtVerifier::VerifyUncached(std::string_view token, UnixMs now) const {
  size_t dot1 = token.find('.');
  size_t dot2 = dot1 == token.npos ? token.npos : token.find('.', dot1 + 1);
  if (dot2 == token.npos || token.find('.', dot2 + 1) != token.npos) {
    return Unauthorized("Malformed token");
  }
  auto header = DecodeSegment(token.substr(0, dot1));
  auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!header || !signature) return Unauthorized("Malformed token");
  const auto* alg = header->if_contains("alg");
  if (!alg || !alg->is_string()) return Unauthorized("Token header has no 'alg'");
  RAPPORT_CHECK(CheckSignature(alg->as_string(), token.substr(0, dot2), *signature));

  auto claims = DecodeSegment(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims) return Unauthorized("Malformed token payload");
  RAPPORT_CHECK(CheckClaims(*claims, now));

  Principal principal;
  const auto* tenant = claims->if_contains("tenant");
  if (!tenant || !tenant->is_string() || tenant->as_string().empty() ||
      tenant->as_string().size() > 128) {
    return Unauthorized("Token has no 'tenant' claim");
  }
  principal.tenant_id = tenant->as_string();
  if (const auto* sub = claims->if_contains("sub"); sub && sub->is_string()) {
    principal.subject = sub->as_string();
  }
  if (const auto* scope = claims->if_contains("scope"); scope && scope->is_string()) {
    std::string_view rest = scope->as_string();
    while (!rest.empty()) {
      size_t sp = rest.find(' ');
      auto part = rest.substr(0, sp);
      if (!part.empty()) principal.scopes.emplace_back(part);
      rest = sp == rest.npos ? std::string_view() : rest.substr(sp + 1);
    }
  }
  return principal;
}

std::string MintHs256Token(const json::object& claims, std::string_view secret) {
  std::string signed_part = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                            Base64UrlEncode(json::serialize(claims));
  return signed_part + "." + Base64UrlEncode(HmacSha256(secret, signed_part));
}

namespace {
// Who may sign in, which API tokens exist and who wrote what (the audit log) are an admin's
// business: read:all does not list them.
bool IsAdminObject(std::string_view object) {
  return object == "users" || object == "tokens" || object == "audit";
}
}  // namespace

bool ScopesGrant(const std::vector<std::string>& scopes, std::string_view required) {
  size_t colon = required.find(':');
  std::string_view verb = required.substr(0, colon);
  std::string_view object = colon == required.npos ? "" : required.substr(colon + 1);
  for (const auto& s : scopes) {
    if (s == "*" || s == required || s == "write:all") return true;
    if (verb == "read" && s == "write:" + std::string(object)) return true;
    if (verb == "read" && s == "read:all" && !IsAdminObject(object)) return true;
  }
  return false;
}

}  // namespace rapport
