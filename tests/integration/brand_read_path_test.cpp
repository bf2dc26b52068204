// The authenticated GET /v1/brands/{id} read path end to end: list columns holding any strings
// (the store's fast reader of its own JSON and the full parser it falls back to), every GET
// reading the store (a PATCH shows in the next GET, from any connection), concurrent readers on
// the pooled connections, tenants kept apart.
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace rapport::testing {
namespace {

namespace json = boost::json;

TEST(BrandReadPathTest, ListStringsOfAnyKindReadBackAsWritten) {
  ServerProcess server;
  server.Start();
  Api api(server, Token("t1"));
  auto created = api.Post("/v1/brands", R"({"name":"Q \"quoted\" \\ slash",
      "website":"https://q.example/?a=1&b=2",
      "brand_aliases":["plain","tab\there","caf\u00e9","\u2603 snow","quote \" inside","a/b"],
      "competitors":["Rival",{"name":"Back\\slash","aliases":["a\nb","x"]},
                     {"name":"\u00dcn\u00ef","aliases":[]}],
      "categories":["c1","\u0001ctl"],"country":"US","language":"en"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto brand = Json(created);
  std::string id(brand.at("id").as_string());
  auto got = api.Get("/v1/brands/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got), brand);
  EXPECT_EQ(Json(got).at("brand_aliases").at(2).as_string(), "caf\u00e9");
  EXPECT_EQ(Json(got).at("competitors").at(1).at("aliases").at(0).as_string(), "a\nb");
  EXPECT_EQ(Json(got).at("categories").at(1).as_string(),
            "\x01"
            "ctl");

  auto patched = api.Send("PATCH", "/v1/brands/" + id,
                          R"({"brand_aliases":["only"],"competitors":[],"categories":[]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto again = Json(api.Get("/v1/brands/" + id));
  EXPECT_EQ(again, Json(patched));
  EXPECT_EQ(again.at("brand_aliases"), (json::array{"only"}));
  EXPECT_TRUE(again.at("competitors").as_array().empty());
}

TEST(BrandReadPathTest, ConcurrentGetsReadEveryPatchAndOnlyTheirTenant) {
  ServerProcess server;
  server.SetEnv("RAPPORT_RATE_LIMIT_BURST_PER_MIN", "100000000");  // the readers spin
  server.Start();
  Api api(server, Token("t1"));
  auto created = api.Post("/v1/brands", R"({"name":"v0","website":"https://v.example"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path = "/v1/brands/" + std::string(Json(created).at("id").as_string());

  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0}, reads{0};
  std::vector<std::thread> readers;
  struct Joiner {  // the readers stop and are joined however the test body ends
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      stop = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } joiner{stop, readers};
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      Api reader(server, Token("t1"));
      while (!stop.load()) {
        auto r = reader.Get(path);
        if (r.status != 200 || !Json(r).at("name").as_string().starts_with("v")) ++wrong;
        ++reads;
      }
    });
  }
  for (int i = 1; i <= 20; ++i) {
    std::string name = "v" + std::to_string(i);
    auto patched = api.Send("PATCH", path, R"({"name":")" + name + R"("})");
    EXPECT_EQ(patched.status, 200) << patched.body;  // not ASSERT: the readers must be joined
    Api fresh(server, Token("t1"));  // another connection: still the write just made
    auto read = fresh.Get(path);
    EXPECT_EQ(read.status, 200) << read.body;
    if (read.status == 200) EXPECT_EQ(Json(read).at("name").as_string(), name);
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(Api(server, Token("t2")).Get(path).status, 404);
  EXPECT_EQ(Json(api.Get(path)).at("name").as_string(), "v20");
}

}  // namespace
}  // namespace rapport::testing
