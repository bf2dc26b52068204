#include "request_log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <chrono>
#include <latch>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace rapport::api {
namespace {

namespace json = boost::json;

// The default logger writes into `out_` ("%v" lines, as rapportd's) for the test's length.
class RequestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FlushRequestLog();  // nothing gathered by an earlier test
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("request-log-test", sink);
    logger->set_pattern("%v");
    spdlog::set_default_logger(logger);
  }
  void TearDown() override {
    FlushRequestLog();
    spdlog::set_default_logger(previous_);
  }

  // The lines written so far, each parsed; fails the test on a line that is not one JSON object.
  std::vector<json::object> Lines() {
    std::vector<json::object> lines;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) {
      boost::system::error_code ec;
      auto value = json::parse(line, ec);
      EXPECT_FALSE(ec) << "not JSON: " << line;
      if (!ec && value.is_object()) lines.push_back(value.as_object());
    }
    return lines;
  }

  static void Log(std::string_view correlation_id, std::string_view tenant = "t1") {
    LogRequest({"GET", "/v1/brands/{id}", 200, 0.25, tenant, correlation_id, "127.0.0.1"});
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(RequestLogTest, LinesAreGatheredUntilAFlushThenWrittenWhole) {
  for (int i = 0; i < 10; ++i) Log("c" + std::to_string(i));
  EXPECT_EQ(out_.str(), "");  // gathered, not yet written
  FlushRequestLog();
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[3].at("msg").as_string(), "request");
  EXPECT_EQ(lines[3].at("method").as_string(), "GET");
  EXPECT_EQ(lines[3].at("route").as_string(), "/v1/brands/{id}");
  EXPECT_EQ(lines[3].at("status").as_int64(), 200);
  EXPECT_EQ(lines[3].at("duration_ms").as_double(), 0.25);
  EXPECT_EQ(lines[3].at("tenant").as_string(), "t1");
  EXPECT_EQ(lines[3].at("correlation_id").as_string(), "c3");
  EXPECT_EQ(lines[3].at("remote").as_string(), "127.0.0.1");
  FlushRequestLog();
  EXPECT_EQ(Lines().size(), 10u);  // handed over once
}

TEST_F(RequestLogTest, AFullBlockIsWrittenWithoutAFlush) {
  int logged = 0;
  while (out_.str().empty() && logged < 2000) Log("line-" + std::to_string(logged++));
  // The first block went out at 64 KiB of lines (some 250 lines here), whole lines only.
  EXPECT_GT(logged, 100);
  EXPECT_LT(logged, 2000);
  EXPECT_GE(out_.str().size(), 64u * 1024);
  EXPECT_EQ(Lines().size(), static_cast<size_t>(logged));
}

TEST_F(RequestLogTest, EveryThreadsLinesArriveOnceAndWholeWhetherTheThreadRunsOrEnded) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 3000;
  std::latch logged(kThreads);
  std::latch flushed(1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) Log(std::to_string(t) + "-" + std::to_string(i));
      logged.count_down();
      flushed.wait();
      Log(std::to_string(t) + "-last");  // handed over when the thread ends
    });
  }
  logged.wait();
  FlushRequestLog();  // the running threads' partial blocks
  EXPECT_EQ(Lines().size(), static_cast<size_t>(kThreads * kPerThread));
  flushed.count_down();
  for (auto& t : threads) t.join();
  std::set<std::string> ids;
  for (const auto& line : Lines()) ids.insert(std::string(line.at("correlation_id").as_string()));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * (kPerThread + 1)));
  EXPECT_TRUE(ids.contains("2-2999"));
  EXPECT_TRUE(ids.contains("3-last"));
}

TEST_F(RequestLogTest, TheFlusherWritesGatheredLinesEveryPeriodAndWhenItEnds) {
  {
    RequestLogFlusher flusher(std::chrono::milliseconds(20));
    Log("periodic");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (out_.str().empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(Lines().size(), 1u);
    RequestLogFlusher last(std::chrono::hours(1));
    Log("at-the-end");
  }  // both flushers end: the last line is written
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].at("correlation_id").as_string(), "at-the-end");
}

TEST_F(RequestLogTest, NothingIsGatheredWhenTheLoggerSkipsInfoLines) {
  spdlog::default_logger()->set_level(spdlog::level::warn);
  Log("quiet");
  spdlog::default_logger()->set_level(spdlog::level::info);
  FlushRequestLog();
  EXPECT_EQ(Lines().size(), 0u);
}

}  // namespace
}  // namespace rapport::api
