#include <rapport/brand/brand_webhooks.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/store/store.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace rapport {
namespace {

class BrandWebhookOwnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-brandhook-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore({(dir_ / "t.db").string()}).value());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(BrandWebhookOwnerTest, IsABrandNamedByBrandId) {
  WebhookOwnerType owner = BrandWebhookOwner(*store_);
  EXPECT_EQ(owner.kind, "brand");
  EXPECT_EQ(owner.owner_field, "brand_id");
  EXPECT_EQ(owner.events, (std::vector<std::string>{"report.completed", "report.failed",
                                                    "schedule.run.completed", "schedule.run.failed",
                                                    "schedule.run.missed", "visibility.dropped"}));
  EXPECT_FALSE(owner.email_recipients);
}

TEST_F(BrandWebhookOwnerTest, OnlyABrandOfTheTenantOwnsEndpoints) {
  Brand brand;
  brand.id = NewId("brand");
  brand.tenant_id = "t1";
  brand.name = "Acme";
  brand.website = "https://acme.example";
  ASSERT_TRUE(store_->InsertBrand(brand, nullptr).ok());
  WebhookOwnerType owner = BrandWebhookOwner(*store_);
  EXPECT_TRUE(owner.check_owner("t1", brand.id).ok());
  for (const auto& [tenant, id] : std::vector<std::pair<std::string, std::string>>{
           {"t2", brand.id}, {"t1", NewId("brand")}, {"t1", "not-an-id"}, {"t1", NewId("sla")}}) {
    Status checked = owner.check_owner(tenant, id);
    ASSERT_FALSE(checked.ok()) << tenant << " " << id;
    EXPECT_EQ(checked.error().code(), ErrorCode::kNotFound);
  }
  EXPECT_EQ(owner.check_owner("t1", "x").error().message(), "Brand not found");
}

}  // namespace
}  // namespace rapport
