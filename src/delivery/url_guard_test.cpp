#include "url_guard.hpp"

#include <rapport/delivery/webhooks.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(UrlGuard, RefusesLoopbackPrivateLinkLocalAndMetadataAddresses) {
  for (const char* ip : {"127.0.0.1",
                         "127.8.9.10",
                         "10.1.2.3",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "100.64.0.1",
                         "0.0.0.0",
                         "224.0.0.1",
                         "255.255.255.255",
                         "::1",
                         "::",
                         "fe80::1",
                         "fd00:ec2::254",
                         "fc00::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "ff02::1",
                         "not-an-ip"}) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
  for (const char* ip : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "192.169.0.1",
                         "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
}

TEST(UrlGuard, ChecksSchemeHostAndWhereTheNameResolves) {
  EXPECT_EQ(ResolveWebhookUrl("ftp://example.com/x", false).error().code(), ErrorCode::kValidation);
  EXPECT_FALSE(ResolveWebhookUrl("not a url", false).ok());
  EXPECT_FALSE(ResolveWebhookUrl("https://user:pw@example.com/", false).ok());
  auto local = ResolveWebhookUrl("http://127.0.0.1:8080/hook", false);
  ASSERT_FALSE(local.ok());
  EXPECT_NE(local.error().message().find("loopback"), std::string::npos);
  EXPECT_FALSE(ResolveWebhookUrl("http://localhost/hook", false).ok());  // a name, resolved
  EXPECT_FALSE(ResolveWebhookUrl("http://[::1]:9/hook", false).ok());
  auto allowed = ResolveWebhookUrl("http://127.0.0.1:8080/hook", true);
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ(allowed->host, "127.0.0.1");
  EXPECT_EQ(allowed->port, 8080);
  EXPECT_EQ(allowed->ip, "127.0.0.1");
  EXPECT_EQ(ResolveWebhookUrl("https://[::1]/x", true)->port, 443);
}

TEST(WebhookSignature, IsHmacSha256OfTimestampDotBody) {
  // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
  EXPECT_EQ(SignWebhook("whsec_test", 1700000000, R"({"a":1})"),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
}

}  // namespace
}  // namespace rapport
