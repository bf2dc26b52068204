// The server's streamed bodies (a stored PDF read from the database piece by piece): every piece
// arrives in order under one Content-Length and the connection is kept; a piece that cannot be
// read cuts the response short and closes the connection, so the client sees the failure.
#include <rapport/client/http_client.hpp>
#include <rapport/http/server.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace rapport::http {
namespace {

class StreamingServer : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(
        ServerOptions{.port = 0},
        [this](Request& request) {
          Response r;
          r.SetHeader("Content-Type", "application/octet-stream");
          int pieces = request.path == "/broken" ? 3 : 5;
          r.body_length = 5 * kPiece;
          r.next_piece = [this, pieces, n = 0]() mutable -> std::optional<std::string> {
            ++pieces_read_;
            if (n == pieces) return std::nullopt;  // the store failed mid-way
            return std::string(kPiece, static_cast<char>('a' + n++));
          };
          return r;
        },
        [](int status, std::string_view) {
          Response r;
          r.status = status;
          return r;
        });
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(false); });
  }
  void TearDown() override {
    server_->Shutdown();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  static constexpr size_t kPiece = 100'000;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<int> pieces_read_{0};
};

TEST_F(StreamingServer, PiecesArriveInOrderUnderOneContentLengthOnAKeptConnection) {
  client::HttpClient client(url());
  for (int round = 0; round < 2; ++round) {  // the second request reuses the connection
    auto r = client.Send("GET", "/pdf", "", {});
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Header("content-length"), std::to_string(5 * kPiece));
    ASSERT_EQ(r->body.size(), 5 * kPiece);
    for (size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(r->body[i * kPiece], 'a' + static_cast<int>(i));
      EXPECT_EQ(r->body[(i + 1) * kPiece - 1], 'a' + static_cast<int>(i));
    }
  }
  EXPECT_EQ(pieces_read_, 10);
}

TEST_F(StreamingServer, APieceThatCannotBeReadCutsTheResponseShort) {
  client::HttpClient client(url());
  auto r = client.Send("GET", "/broken", "", {});
  EXPECT_FALSE(r.ok() && r->body.size() == 5 * kPiece);  // never a complete-looking body
  auto after = client.Send("GET", "/pdf", "", {});       // the server goes on serving
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_EQ(after->body.size(), 5 * kPiece);
}

}  // namespace
}  // namespace rapport::http
