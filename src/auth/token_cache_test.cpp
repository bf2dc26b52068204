#include "token_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace rapport {
namespace {

TokenCache::Entry EntryFor(std::string tenant) { return {{"sub", std::move(tenant), {"*"}}, 2, 1}; }

TEST(TokenCache, FindsOnlyTheExactBytes) {
  TokenCache cache(8);
  cache.Insert("a.b.c", EntryFor("acme"));
  auto hit = cache.Find("a.b.c");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->principal.tenant_id, "acme");
  EXPECT_EQ(hit->exp, 2);
  EXPECT_FALSE(cache.Find("a.b.d"));
  EXPECT_FALSE(cache.Find("a.b.c "));
  EXPECT_FALSE(cache.Find("a.b."));
}

TEST(TokenCache, IsBoundedAndEvictsTheLeastRecentlyUsed) {
  TokenCache cache(3);
  cache.Insert("t1", EntryFor("1"));
  cache.Insert("t2", EntryFor("2"));
  cache.Insert("t3", EntryFor("3"));
  ASSERT_TRUE(cache.Find("t1"));  // t1 used: t2 is now the least recently used
  cache.Insert("t4", EntryFor("4"));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Find("t2"));
  EXPECT_TRUE(cache.Find("t1"));
  EXPECT_TRUE(cache.Find("t3"));
  EXPECT_TRUE(cache.Find("t4"));
  for (int i = 0; i < 1000; ++i) cache.Insert("x" + std::to_string(i), EntryFor("x"));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.Find("x999"));
  EXPECT_FALSE(cache.Find("t1"));
}

TEST(TokenCache, InsertingAKeyAgainReplacesItsEntry) {
  TokenCache cache(2);
  cache.Insert("t", EntryFor("old"));
  cache.Insert("t", EntryFor("new"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find("t")->principal.tenant_id, "new");
}

TEST(TokenCache, ConcurrentUseStaysBounded) {
  TokenCache cache(64);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = std::to_string(t) + "." + std::to_string(i % 100);
        cache.Insert(key, EntryFor(key));
        auto hit = cache.Find(key);
        if (hit) EXPECT_EQ(hit->principal.tenant_id, key);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace rapport
