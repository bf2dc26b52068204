// The server's thread model: GETs run inline on their connection's I/O loop (so N loops run N
// GETs at once), other methods on the write pool (so a slow write never holds up a GET), a
// connection's reused Request carries nothing over from its previous message, and a GET in
// flight on any loop is answered during the drain.
#include <rapport/client/http_client.hpp>
#include <rapport/http/server.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace rapport::http {
namespace {

using namespace std::chrono_literals;

class ThreadedServer : public ::testing::Test {
 protected:
  void Start(int read_threads) {
    server_ = std::make_unique<Server>(
        ServerOptions{.port = 0, .read_threads = read_threads, .write_threads = 1},
        [this](Request& request) { return Handle(request); },
        [](int status, std::string_view) {
          Response r;
          r.status = status;
          return r;
        });
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(false); });
  }
  void TearDown() override {
    if (!server_) return;
    server_->Shutdown();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // Waits (at most 3 s) until `count` handlers are inside `Meet` at once; true if they were.
  bool Meet(int count) {
    std::unique_lock lock(mutex_);
    ++inside_;
    changed_.notify_all();
    bool met = changed_.wait_for(lock, 3s, [&] { return inside_ >= count || released_; });
    return met;
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

  Response Handle(Request& request) {
    Response r;
    if (request.path == "/meet") r.body = Meet(2) ? "met" : "alone";
    if (request.path == "/write") r.body = Meet(1000) && released_ ? "released" : "timed out";
    if (request.path == "/release") Release();
    if (request.path == "/slow") std::this_thread::sleep_for(300ms);
    if (request.path == "/echo") {
      r.body = request.method + " " + request.query + " " + request.body + " |";
      for (auto& [name, value] : request.headers) {
        if (name.starts_with("x-")) r.body += " " + name + "=" + value;
      }
    }
    return r;
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int inside_ = 0;
  bool released_ = false;
};

TEST_F(ThreadedServer, TwoGetsOnTwoConnectionsRunAtOnceOnTwoLoops) {
  Start(2);
  std::string first;
  std::thread other([&] {
    client::HttpClient client(url());
    auto r = client.Send("GET", "/meet");
    first = r.ok() ? r->body : r.error().message();
  });
  client::HttpClient client(url());
  auto second = client.Send("GET", "/meet");
  other.join();
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(first, "met");
  EXPECT_EQ(second->body, "met");
}

TEST_F(ThreadedServer, ASlowWriteDoesNotHoldUpAGetOnOneLoop) {
  Start(1);
  std::string write;
  std::thread writer([&] {
    client::HttpClient client(url());
    auto r = client.Send("POST", "/write", "{}");
    write = r.ok() ? r->body : r.error().message();
  });
  for (int i = 0; i < 300; ++i) {  // the write handler is waiting before the GET is sent
    {
      std::lock_guard lock(mutex_);
      if (inside_ == 1) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  client::HttpClient client(url());
  auto get = client.Send("GET", "/release");
  writer.join();
  ASSERT_TRUE(get.ok()) << get.error().message();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(write, "released");  // the GET was answered while the write still waited
}

TEST_F(ThreadedServer, AKeptConnectionsNextRequestCarriesNothingOver) {
  Start(1);
  client::HttpClient client(url());
  auto first = client.Send("POST", "/echo?a=1", "body", {"X-One: 1", "X-Two: 2"});
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->body, "POST a=1 body | x-one=1 x-two=2");
  auto second = client.Send("GET", "/echo", "", {"X-Three: 3"});
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(second->body, "GET   | x-three=3");
  auto third = client.Send("GET", "/echo?b=2");
  ASSERT_TRUE(third.ok()) << third.error().message();
  EXPECT_EQ(third->body, "GET b=2  |");
}

TEST_F(ThreadedServer, AGetInFlightOnAnyLoopIsAnsweredDuringTheDrain) {
  Start(2);
  std::vector<std::string> bodies(2);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < bodies.size(); ++i) {
    clients.emplace_back([&, i] {
      client::HttpClient client(url());
      auto r = client.Send("GET", "/slow");
      bodies[i] = r.ok() ? std::to_string(r->status) : r.error().message();
    });
  }
  std::this_thread::sleep_for(100ms);  // both requests are in their handlers
  server_->Shutdown();
  for (auto& c : clients) c.join();
  EXPECT_EQ(bodies[0], "200");
  EXPECT_EQ(bodies[1], "200");
}

}  // namespace
}  // namespace rapport::http
