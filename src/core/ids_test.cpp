#include <rapport/core/ids.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace rapport {
namespace {

TEST(Ids, HavePrefixAnd27Base62Characters) {
  std::string id = NewId("job");
  EXPECT_TRUE(IsValidId(id, "job")) << id;
  EXPECT_EQ(id.size(), 4u + kIdBodyLength);
  EXPECT_FALSE(IsValidId(id, "site"));
}

TEST(Ids, SortByCreationTimeEvenWithinOneMillisecond) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(NewIdAt("job", 1'700'000'000'000 + i / 100));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  std::string earlier = NewIdAt("job", 1'900'000'000'000);
  std::string later = NewIdAt("job", 2'000'000'000'000);
  EXPECT_LT(earlier, later);
  // A clock that steps back never produces an id that sorts before the last one.
  EXPECT_GT(NewIdAt("job", 1'000), later);
}

TEST(Ids, UniqueAndWellFormedAcrossThreadsSharingOneMillisecond) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;  // several refills of each thread's random pool
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kPerThread; ++i) made[t].push_back(NewIdAt("run", 1'800'000'000'000));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  std::set<std::string> random_parts;  // the last 16 characters: nearly all random bits
  for (const auto& ids : made) {
    for (const auto& id : ids) {
      EXPECT_TRUE(IsValidId(id, "run")) << id;
      all.insert(id);
      random_parts.insert(id.substr(id.size() - 16));
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(random_parts.size(), all.size());
}

TEST(Ids, RejectMalformed) {
  EXPECT_FALSE(IsValidId("job_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g", "job"));    // 26 chars
  EXPECT_FALSE(IsValidId("job_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7x", "job"));  // 28 chars
  EXPECT_FALSE(IsValidId("job_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g-", "job"));
  EXPECT_FALSE(IsValidId("job-2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7", "job"));
  EXPECT_FALSE(IsValidId("job_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7", "rpt"));
  EXPECT_TRUE(
      IsValidId("job_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7", "job"));  // seed 002's example, another prefix
}

TEST(Ids, AcceptExactlyTheBase62BytesInTheBody) {
  const std::string valid = "job_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7";
  const std::string_view base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (size_t at : {size_t{4}, size_t{17}, valid.size() - 1}) {
    for (int c = 0; c < 256; ++c) {
      std::string id = valid;
      id[at] = static_cast<char>(c);
      bool expected = base62.find(static_cast<char>(c)) != std::string_view::npos;
      EXPECT_EQ(IsValidId(id, "job"), expected) << "byte " << c << " at " << at;
    }
  }
}

TEST(Uuid, V4IsCanonicalAndValidated) {
  std::string u = NewUuidV4();
  EXPECT_TRUE(IsValidUuid(u)) << u;
  EXPECT_EQ(u[14], '4');
  EXPECT_NE(NewUuidV4(), u);
  EXPECT_FALSE(IsValidUuid("not-a-uuid"));
  EXPECT_FALSE(IsValidUuid("9f6c4e8a-1d3b-4c8b-9f1e-7a3b1c2d3e4"));
  EXPECT_FALSE(IsValidUuid("9f6c4e8a-1d3b-4c8b-9f1e-7a3b1c2d3e4g"));
  EXPECT_TRUE(IsValidUuid("9f6c4e8a-1d3b-4c8b-9f1e-7a3b1c2d3e4f"));
}

}  // namespace
}  // namespace rapport
