// Attacks on the HTTP surface that the other suites do not already cover (JWT: auth_test;
// tenants: TenancyTest; oversize, malformed and smuggled requests: errors_test): slowloris
// clients are cut at the timeout, and no path reaches a file outside what the server serves.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

TEST(SecurityTest, AHeaderSentAByteAtATimeIsCutAtTheTimeout) {
  ServerProcess server({}, {"--idle-timeout", "1", "--read-timeout", "1"});
  server.Start();
  // 200 bytes at 50 ms each would take 10 s; the header's deadline does not move with each byte.
  std::string header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(160, 'a');
  Trickle t = TrickleExchange(server.address(), "", header, 50);
  EXPECT_TRUE(t.closed_by_server);
  EXPECT_LT(t.lasted, std::chrono::milliseconds(2500)) << t.sent << " bytes sent";
  EXPECT_LT(t.sent, header.size());
  EXPECT_EQ(Api(server, Token("t1")).Get("/healthz").status, 200);  // others are still served
}

TEST(SecurityTest, ABodySentAByteAtATimeIsCutAtTheTimeout) {
  ServerProcess server({}, {"--idle-timeout", "30", "--read-timeout", "1"});
  server.Start();
  std::string request = "POST /sites HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token("t1") +
                        "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
  // The header arrives at once; the body, 200 bytes at 50 ms each, would take 10 s.
  Trickle t = TrickleExchange(server.address(), request, std::string(200, ' '), 50);
  EXPECT_TRUE(t.closed_by_server);
  EXPECT_LT(t.lasted, std::chrono::milliseconds(2500)) << t.sent << " bytes sent";
  EXPECT_LT(t.sent, 200u);
  EXPECT_EQ(Api(server, Token("t1")).Get("/sites").status, 200);
}

TEST(SecurityTest, NoPathReachesAFileOutsideWhatIsServed) {
  ServerProcess server;
  server.Start();
  for (const char* path : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                           "/openapi.json/../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
                           "/reports/sla/reports/..%2f..%2f..%2fetc%2fpasswd/pdf",
                           "/v1/reports/%2e%2e%2f%2e%2e%2fetc%2fpasswd/pdf", "//etc/passwd",
                           "/static/../../etc/passwd"}) {
    std::string reply =
        RawExchange(server.address(), std::string("GET ") + path +
                                          " HTTP/1.1\r\nHost: x\r\n"
                                          "Authorization: Bearer " +
                                          Token("t1") + "\r\nConnection: close\r\n\r\n");
    ASSERT_FALSE(reply.empty()) << path;
    std::string status = reply.substr(0, reply.find("\r\n"));
    EXPECT_TRUE(status.find(" 404 ") != std::string::npos ||
                status.find(" 400 ") != std::string::npos)
        << path << ": " << status;
    EXPECT_EQ(reply.find("root:"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace rapport::testing
