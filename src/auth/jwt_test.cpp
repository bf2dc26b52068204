#include <rapport/auth/jwt.hpp>
#include <rapport/core/encoding.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;
constexpr UnixMs kNow = 1'800'000'000'000;

std::shared_ptr<const JwtVerifier> Verifier(JwtConfig config = {.hs256_secret = "s3cret"}) {
  auto v = JwtVerifier::Create(config);
  EXPECT_TRUE(v.ok());
  return v.value();
}

json::object Claims() {
  return {{"sub", "u"},
          {"tenant", "acme"},
          {"scope", "read:brands  write:sla"},
          {"exp", kNow / 1000 + 60}};
}

TEST(Jwt, MintedTokenVerifiesWithItsClaims) {
  auto principal = Verifier()->Verify(MintHs256Token(Claims(), "s3cret"), kNow);
  ASSERT_TRUE(principal.ok()) << principal.error().message();
  EXPECT_EQ(principal->tenant_id, "acme");
  EXPECT_EQ(principal->subject, "u");
  EXPECT_EQ(principal->scopes, (std::vector<std::string>{"read:brands", "write:sla"}));
}

TEST(Jwt, LeewayIsSixtySeconds) {
  auto token = MintHs256Token(Claims(), "s3cret");
  EXPECT_TRUE(Verifier()->Verify(token, kNow + 119'000).ok());
  EXPECT_FALSE(Verifier()->Verify(token, kNow + 121'000).ok());
  auto nbf = Claims();
  nbf["nbf"] = kNow / 1000 + 59;
  EXPECT_TRUE(Verifier()->Verify(MintHs256Token(nbf, "s3cret"), kNow).ok());
  nbf["nbf"] = kNow / 1000 + 61;
  EXPECT_FALSE(Verifier()->Verify(MintHs256Token(nbf, "s3cret"), kNow).ok());
}

TEST(Jwt, EveryFailureIsUnauthorized) {
  auto v = Verifier({.hs256_secret = "s3cret", .issuer = "iss", .audience = "aud"});
  auto ok = Claims();
  ok["iss"] = "iss";
  ok["aud"] = "aud";
  EXPECT_TRUE(v->Verify(MintHs256Token(ok, "s3cret"), kNow).ok());
  std::vector<std::string> bad = {
      MintHs256Token(ok, "other"),
      MintHs256Token(Claims(), "s3cret"),  // no iss/aud
      Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(json::serialize(ok)) + ".",
      Base64UrlEncode(R"({"alg":"RS256"})") + "." + Base64UrlEncode(json::serialize(ok)) + ".AA",
      "",
      "x.y.z",
      std::string(9000, 'a')};
  for (const auto& token : bad) {
    auto r = v->Verify(token, kNow);
    ASSERT_FALSE(r.ok()) << token.substr(0, 40);
    EXPECT_EQ(r.error().code(), ErrorCode::kUnauthorized);
  }
}

TEST(JwtCache, ACachedTokenIsRefusedOnceExpiredOrBeforeItsNbf) {
  auto v = Verifier();
  auto claims = Claims();
  claims["nbf"] = kNow / 1000 - 100;  // valid from 100 s ago (leeway 60 s)
  auto token = MintHs256Token(claims, "s3cret");
  ASSERT_TRUE(v->Verify(token, kNow).ok());  // cached from here
  ASSERT_TRUE(v->Verify(token, kNow).ok());
  auto expired = v->Verify(token, kNow + 121'000);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code(), ErrorCode::kUnauthorized);
  EXPECT_FALSE(v->Verify(token, kNow - 161'000).ok());  // before nbf - leeway
  EXPECT_TRUE(v->Verify(token, kNow + 119'000).ok());
}

TEST(JwtCache, AnotherSignatureForACachedPayloadIsVerifiedAfresh) {
  auto v = Verifier();
  auto token = MintHs256Token(Claims(), "s3cret");
  ASSERT_TRUE(v->Verify(token, kNow).ok());
  std::string forged = MintHs256Token(Claims(), "not-the-secret");
  ASSERT_EQ(forged.substr(0, forged.rfind('.')), token.substr(0, token.rfind('.')));
  EXPECT_FALSE(v->Verify(forged, kNow).ok());
  std::string flipped = token;  // a byte inside the signature (the last one has padding bits)
  char& c = flipped[flipped.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(v->Verify(flipped, kNow).ok());
  EXPECT_FALSE(v->Verify(token.substr(0, token.size() - 1), kNow).ok());
  // The last character of an HS256 signature (32 bytes in 43 characters) carries two spare
  // bits: set one, and the same signature bytes are spelled another way, which is refused.
  std::string respelled = token;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char& last = respelled.back();
  last = kAlphabet[kAlphabet.find(last) | 1];
  ASSERT_NE(respelled, token);
  EXPECT_FALSE(v->Verify(respelled, kNow).ok());
  EXPECT_TRUE(v->Verify(token, kNow).ok());
}

TEST(JwtCache, TokensOfOtherTenantsAreKeptApart) {
  auto v = Verifier();
  auto other = Claims();
  other["tenant"] = "globex";
  auto a = v->Verify(MintHs256Token(Claims(), "s3cret"), kNow);
  auto b = v->Verify(MintHs256Token(other, "s3cret"), kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(v->Verify(MintHs256Token(Claims(), "s3cret"), kNow)->tenant_id, "acme");
  EXPECT_EQ(v->Verify(MintHs256Token(other, "s3cret"), kNow)->tenant_id, "globex");
}

TEST(Jwt, CreateRefusesNoKeysAndBadPem) {
  EXPECT_FALSE(JwtVerifier::Create({}).ok());
  EXPECT_FALSE(JwtVerifier::Create({.public_keys = {"-----BEGIN PUBLIC KEY-----\nxx\n"}}).ok());
}

TEST(Scopes, WriteImpliesReadAndWildcardsGrant) {
  EXPECT_TRUE(ScopesGrant({"write:brands"}, "read:brands"));
  EXPECT_FALSE(ScopesGrant({"read:brands"}, "write:brands"));
  EXPECT_TRUE(ScopesGrant({"read:all"}, "read:sla"));
  EXPECT_FALSE(ScopesGrant({"read:all"}, "write:sla"));
  EXPECT_FALSE(ScopesGrant({"read:all"}, "read:users"));
  EXPECT_FALSE(ScopesGrant({"read:all"}, "read:tokens"));
  EXPECT_FALSE(ScopesGrant({"read:all"}, "read:audit"));
  EXPECT_TRUE(ScopesGrant({"write:all"}, "read:audit"));
  EXPECT_TRUE(ScopesGrant({"write:all"}, "read:users"));
  EXPECT_TRUE(ScopesGrant({"write:tokens"}, "read:tokens"));
  EXPECT_TRUE(ScopesGrant({"write:all"}, "read:jobs"));
  EXPECT_TRUE(ScopesGrant({"*"}, "write:webhooks"));
  EXPECT_FALSE(ScopesGrant({"write:brand"}, "write:brands"));
  EXPECT_FALSE(ScopesGrant({}, "read:brands"));
}

}  // namespace
}  // namespace rapport
