#include <rapport/brand/brand_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace rapport {
namespace {

namespace json = boost::json;

class FixedClock final : public Clock {
 public:
  UnixMs NowMs() const override { return now; }
  UnixMs now = 1'800'000'000'000;
};

class BrandServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-brand-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "b.db").string()}).value());
    service_.emplace(*store_, clock_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::vector<std::string> ProblemTypes(const Error& e) {
    std::vector<std::string> out;
    for (const auto& p : e.details().at("errors").as_array()) {
      out.emplace_back(p.at("type").as_string());
    }
    return out;
  }

  std::filesystem::path dir_;
  FixedClock clock_;
  std::unique_ptr<Store> store_;
  std::optional<BrandService> service_;
};

TEST_F(BrandServiceTest, CreateNormalizesCompetitorShorthand) {
  auto b = service_->Create(
      "t", json::parse(R"({"name":"A","website":"http://a.example/x","competitors":["B"]})")
               .as_object());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->competitors, (std::vector<Competitor>{{"B", {}}}));
  EXPECT_EQ(b->created_at, clock_.now);
  EXPECT_EQ(BrandToJson(*b).at("competitors").at(0).at("aliases").as_array().size(), 0u);
}

TEST_F(BrandServiceTest, CreateRejectsEveryLimit) {
  json::array aliases;
  for (int i = 0; i < 51; ++i) aliases.emplace_back("a");
  json::object body{{"name", std::string(81, 'n')},
                    {"website", "javascript:alert(1)"},
                    {"brand_aliases", aliases},
                    {"country", "usa"},
                    {"language", "english"}};
  auto b = service_->Create("t", body);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(ProblemTypes(b.error()),
            (std::vector<std::string>{"string_too_long", "url_parsing", "too_long",
                                      "string_pattern_mismatch", "string_pattern_mismatch"}));
}

TEST_F(BrandServiceTest, PatchMergesAndNullClears) {
  auto b = service_->Create("t", json::parse(R"({"name":"A","website":"https://a.example",
      "country":"US","language":"en","categories":["x","y"]})")
                                     .as_object());
  clock_.now += 5000;
  auto p = service_->Patch("t", b->id,
                           json::parse(R"({"language":null,"categories":["z"]})").as_object());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->country, "US");
  EXPECT_FALSE(p->language);
  EXPECT_EQ(p->categories, (std::vector<std::string>{"z"}));
  EXPECT_EQ(p->updated_at, clock_.now);
  EXPECT_EQ(p->created_at, b->created_at);
}

TEST_F(BrandServiceTest, MalformedIdsAreNotFoundWithoutTouchingTheStore) {
  EXPECT_EQ(service_->Get("t", "brand_../../x").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Delete("t", "site_2ayc4Yy6w3g7Y2j4g4g4Yy6w3g7").error().code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace rapport
