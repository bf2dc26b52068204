#include <rapport/http/message.hpp>

#include <gtest/gtest.h>

namespace rapport::http {
namespace {

TEST(PercentDecode, DecodesAndRejectsBrokenEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%2", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
}

TEST(ParseQuery, SplitsPairsAndKeepsOrder) {
  auto q = ParseQuery("limit=5&cursor=a%3D&&flag");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, (std::vector<std::pair<std::string, std::string>>{
                    {"limit", "5"}, {"cursor", "a="}, {"flag", ""}}));
  EXPECT_FALSE(ParseQuery("a=%"));
}

}  // namespace
}  // namespace rapport::http

namespace rapport::http {
namespace {

TEST(SerializeResponse, WritesStatusHeadersLengthAndBody) {
  Response r{200, {{"Content-Type", "application/json"}, {"X-Correlation-ID", "abc"}}, "{}"};
  EXPECT_EQ(SerializeResponse(r, "OK", 11, true),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Correlation-ID: abc\r\n"
            "Content-Length: 2\r\n\r\n{}");
}

TEST(SerializeResponse, ConnectionFollowsVersionAndKeepAlive) {
  Response r{404, {}, ""};
  EXPECT_EQ(SerializeResponse(r, "Not Found", 11, false),
            "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(SerializeResponse(r, "Not Found", 10, true),
            "HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(SerializeResponse(r, "Not Found", 10, false),
            "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

TEST(SerializeResponse, HandlerLengthAndConnectionAreReplacedAndNoValueSplitsAHeader) {
  Response r{
      201,
      {{"content-length", "99"}, {"CONNECTION", "keep-alive"}, {"X-A", "1\r\nSet-Cookie: x"}},
      "abc"};
  EXPECT_EQ(SerializeResponse(r, "Created", 11, false),
            "HTTP/1.1 201 Created\r\nX-A: 1  Set-Cookie: x\r\nConnection: close\r\n"
            "Content-Length: 3\r\n\r\nabc");
}

TEST(SerializeResponse, IntoAUsedBufferWritesTheSameBytesOverIt) {
  std::string wire(1000, 'x');
  Response r{200, {{"Content-Type", "text/plain"}}, "hi"};
  SerializeResponseInto(wire, r, "OK", 11, true);
  EXPECT_EQ(wire, SerializeResponse(r, "OK", 11, true));
  EXPECT_GE(wire.capacity(), 1000u);  // the buffer was kept, not replaced
}

}  // namespace
}  // namespace rapport::http
