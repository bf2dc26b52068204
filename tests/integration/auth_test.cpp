// The JWT attack matrix and tenant isolation, against the real server.
#include "server_process.hpp"

#include <rapport/core/encoding.hpp>

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>

namespace rapport::testing {
namespace {

namespace json = boost::json;

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Claims(json::object extra = {}) {
  json::object claims{{"sub", "u1"}, {"tenant", "t1"}, {"scope", "*"}, {"exp", Now() + 600}};
  for (auto& [k, v] : extra) claims[k] = v;
  return json::serialize(claims);
}

long Status(const ServerProcess& server, const std::string& token) {
  Api api(server, token);
  return api.Get("/v1/brands").status;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }
  ServerProcess server_;
};

TEST_F(AuthTest, ValidTokenIsAccepted) {
  EXPECT_EQ(Status(server_, SignHs256(R"({"alg":"HS256","typ":"JWT"})", Claims(), kSecret)), 200);
}

TEST_F(AuthTest, AlgNoneIsRejected) {
  std::string token =
      Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + Base64UrlEncode(Claims()) + ".";
  EXPECT_EQ(Status(server_, token), 401);
  std::string upper = Base64UrlEncode(R"({"alg":"NONE"})") + "." + Base64UrlEncode(Claims()) + ".";
  EXPECT_EQ(Status(server_, upper), 401);
}

TEST_F(AuthTest, WrongKeyIsRejected) {
  EXPECT_EQ(Status(server_, SignHs256(R"({"alg":"HS256"})", Claims(), "another-secret")), 401);
}

TEST_F(AuthTest, ExpiredTokenIsRejectedBeyondLeeway) {
  EXPECT_EQ(
      Status(server_, SignHs256(R"({"alg":"HS256"})", Claims({{"exp", Now() - 120}}), kSecret)),
      401);
  EXPECT_EQ(
      Status(server_, SignHs256(R"({"alg":"HS256"})", Claims({{"exp", Now() - 30}}), kSecret)),
      200);
}

TEST_F(AuthTest, TokenWithoutExpIsRejected) {
  EXPECT_EQ(Status(server_, SignHs256(R"({"alg":"HS256"})",
                                      R"({"sub":"u","tenant":"t1","scope":"*"})", kSecret)),
            401);
}

TEST_F(AuthTest, NotYetValidTokenIsRejected) {
  EXPECT_EQ(
      Status(server_, SignHs256(R"({"alg":"HS256"})", Claims({{"nbf", Now() + 300}}), kSecret)),
      401);
}

TEST_F(AuthTest, TamperedPayloadIsRejected) {
  std::string token = SignHs256(R"({"alg":"HS256"})", Claims(), kSecret);
  size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  std::string forged = token.substr(0, dot1 + 1) +
                       Base64UrlEncode(Claims({{"tenant", "someone-else"}})) + token.substr(dot2);
  EXPECT_EQ(Status(server_, forged), 401);
}

TEST_F(AuthTest, MissingTenantIsRejected) {
  EXPECT_EQ(Status(server_, SignHs256(R"({"alg":"HS256"})",
                                      json::serialize(json::object{
                                          {"sub", "u"}, {"scope", "*"}, {"exp", Now() + 60}}),
                                      kSecret)),
            401);
}

TEST_F(AuthTest, GarbageTokensAreRejected) {
  for (const std::string& token : std::vector<std::string>{
           "", "abc", "a.b", "a.b.c.d", "!!!.***.###", std::string(10000, 'a')}) {
    EXPECT_EQ(Status(server_, token), 401) << token.substr(0, 20);
  }
  Api basic(server_, "");
  EXPECT_EQ(basic.Send("GET", "/v1/brands", "", {"Authorization: Basic dXNlcjpwYXNz"}).status, 401);
}

TEST(AuthIssuerAudienceTest, WrongIssuerOrAudienceIsRejected) {
  ServerProcess server(std::map<std::string, std::string>{
      {"RAPPORT_AUTH_ISSUER", "https://issuer.example"}, {"RAPPORT_AUTH_AUDIENCE", "rapport"}});
  server.Start();
  const std::string header = R"({"alg":"HS256"})";
  auto good = Claims({{"iss", "https://issuer.example"}, {"aud", "rapport"}});
  EXPECT_EQ(Status(server, SignHs256(header, good, kSecret)), 200);
  auto aud_list = Claims({{"iss", "https://issuer.example"}, {"aud", json::array{"x", "rapport"}}});
  EXPECT_EQ(Status(server, SignHs256(header, aud_list, kSecret)), 200);
  EXPECT_EQ(Status(server,
                   SignHs256(header, Claims({{"iss", "https://evil.example"}, {"aud", "rapport"}}),
                             kSecret)),
            401);
  EXPECT_EQ(Status(server,
                   SignHs256(header, Claims({{"iss", "https://issuer.example"}, {"aud", "other"}}),
                             kSecret)),
            401);
  EXPECT_EQ(Status(server, SignHs256(header, Claims(), kSecret)), 401);
}

// Generates a key pair; returns {private key, public PEM}.
std::pair<std::shared_ptr<EVP_PKEY>, std::string> GenerateKey(int type) {
  EVP_PKEY* key = type == EVP_PKEY_RSA ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return {std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free), std::string(data, size_t(len))};
}

std::string SignWithKey(EVP_PKEY* key, const std::string& alg, const std::string& payload) {
  std::string signed_part =
      Base64UrlEncode(R"({"alg":")" + alg + R"(","typ":"JWT"})") + "." + Base64UrlEncode(payload);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
  size_t len = 0;
  EVP_DigestSign(ctx.get(), nullptr, &len,
                 reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  sig.resize(len);
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = alg == "ES256" ? d2i_ECDSA_SIG(nullptr, &p, long(sig.size())) : nullptr;
  if (es) {  // DER -> r||s
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    sig = raw;
  }
  return signed_part + "." + Base64UrlEncode(sig);
}

TEST(AuthPublicKeyTest, Rs256AndEs256VerifyAndHsConfusionIsRejected) {
  auto [rsa, rsa_pem] = GenerateKey(EVP_PKEY_RSA);
  auto [ec, ec_pem] = GenerateKey(EVP_PKEY_EC);
  auto dir = std::filesystem::temp_directory_path();
  auto rsa_file = dir / ("rapport-rsa-" + std::to_string(getpid()) + ".pem");
  auto ec_file = dir / ("rapport-ec-" + std::to_string(getpid()) + ".pem");
  std::ofstream(rsa_file) << rsa_pem;
  std::ofstream(ec_file) << ec_pem;
  // Only public keys: no HS256 secret at all.
  ServerProcess server(std::map<std::string, std::string>{
      {"RAPPORT_AUTH_HS256_SECRET", ""},
      {"RAPPORT_AUTH_PUBLIC_KEY_FILES", rsa_file.string() + "," + ec_file.string()}});
  server.Start();
  EXPECT_EQ(Status(server, SignWithKey(rsa.get(), "RS256", Claims())), 200);
  EXPECT_EQ(Status(server, SignWithKey(ec.get(), "ES256", Claims())), 200);
  // The RSA public key used as an HMAC secret: the classic confusion attack.
  EXPECT_EQ(Status(server, SignHs256(R"({"alg":"HS256"})", Claims(), rsa_pem)), 401);
  // An RSA signature presented as ES256 and vice versa.
  EXPECT_EQ(Status(server, SignWithKey(rsa.get(), "ES256", Claims())), 401);
  auto other = GenerateKey(EVP_PKEY_RSA);
  EXPECT_EQ(Status(server, SignWithKey(other.first.get(), "RS256", Claims())), 401);
  std::filesystem::remove(rsa_file);
  std::filesystem::remove(ec_file);
}

TEST(TenancyTest, AnotherTenantsResourcesAre404AndUnchanged) {
  ServerProcess server;
  server.Start();
  Api alice(server, Token("alice"));
  Api bob(server, Token("bob"));
  auto brand = alice.Post("/v1/brands", R"({"name":"Alice Co","website":"https://alice.example"})");
  ASSERT_EQ(brand.status, 201);
  std::string brand_id(Json(brand).at("id").as_string());
  auto site = alice.Send("POST", "/sites", R"({"name":"Alice HQ","timezone":"UTC"})");
  ASSERT_EQ(site.status, 201);
  std::string site_id(Json(site).at("id").as_string());

  EXPECT_EQ(bob.Get("/v1/brands/" + brand_id).status, 404);
  EXPECT_EQ(bob.Send("PATCH", "/v1/brands/" + brand_id, R"({"name":"Pwned"})").status, 404);
  EXPECT_EQ(bob.Send("DELETE", "/v1/brands/" + brand_id).status, 404);
  EXPECT_EQ(bob.Get("/sites/" + site_id).status, 404);
  EXPECT_EQ(bob.Send("PATCH", "/sites/" + site_id, R"({"name":"Pwned"})").status, 404);
  EXPECT_EQ(bob.Send("DELETE", "/sites/" + site_id).status, 404);
  EXPECT_TRUE(Json(bob.Get("/v1/brands")).at("data").as_array().empty());
  EXPECT_TRUE(Json(bob.Get("/sites")).at("data").as_array().empty());

  EXPECT_EQ(Json(alice.Get("/v1/brands/" + brand_id)).at("name").as_string(), "Alice Co");
  EXPECT_EQ(Json(alice.Get("/sites/" + site_id)).at("name").as_string(), "Alice HQ");
}

}  // namespace
}  // namespace rapport::testing
