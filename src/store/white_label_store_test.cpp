// The WhiteLabelStore part of the Store contract, on both backends: a tenant without a row is
// kNotFound, a put round-trips every field (binary logo bytes included), a second put replaces
// the whole row, and tenants never see each other's branding.
#include <rapport/core/ids.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace rapport {
namespace {

using storetest::Backend;
using storetest::BackendName;
using storetest::Backends;

class WhiteLabelStoreConformance : public storetest::BackendStoreTest {};

TEST_P(WhiteLabelStoreConformance, TenantWithoutRowIsNotFound) {
  auto got = store_->GetWhiteLabel("t1");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), ErrorCode::kNotFound);
}

TEST_P(WhiteLabelStoreConformance, PutRoundTripsEveryFieldWithBinaryLogo) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff", 17);
  WhiteLabel label{.tenant_id = "t1",
                   .name = "Acme Ops",
                   .accent_color = "#0A7B83",
                   .logo_content_type = "image/png",
                   .logo = png,
                   .updated_at = 1234};
  ASSERT_TRUE(store_->PutWhiteLabel(label).ok());
  WhiteLabel got = store_->GetWhiteLabel("t1").value();
  EXPECT_EQ(got.tenant_id, "t1");
  EXPECT_EQ(got.name, "Acme Ops");
  EXPECT_EQ(got.accent_color, "#0A7B83");
  EXPECT_EQ(got.logo_content_type, "image/png");
  EXPECT_EQ(got.logo, png);
  EXPECT_EQ(got.updated_at, 1234);
}

TEST_P(WhiteLabelStoreConformance, SecondPutReplacesTheWholeRow) {
  ASSERT_TRUE(store_
                  ->PutWhiteLabel({.tenant_id = "t1",
                                   .name = "Old",
                                   .accent_color = "#000000",
                                   .logo_content_type = "image/svg+xml",
                                   .logo = "<svg/>",
                                   .updated_at = 1})
                  .ok());
  ASSERT_TRUE(store_->PutWhiteLabel({.tenant_id = "t1", .name = "New", .updated_at = 2}).ok());
  WhiteLabel got = store_->GetWhiteLabel("t1").value();
  EXPECT_EQ(got.name, "New");
  EXPECT_FALSE(got.accent_color.has_value());
  EXPECT_EQ(got.logo_content_type, "");
  EXPECT_EQ(got.logo, "");
  EXPECT_EQ(got.updated_at, 2);
}

TEST_P(WhiteLabelStoreConformance, TenantsAreIsolated) {
  ASSERT_TRUE(store_->PutWhiteLabel({.tenant_id = "t1", .name = "One", .updated_at = 1}).ok());
  ASSERT_TRUE(store_->PutWhiteLabel({.tenant_id = "t2", .name = "Two", .updated_at = 1}).ok());
  EXPECT_EQ(store_->GetWhiteLabel("t1").value().name, "One");
  EXPECT_EQ(store_->GetWhiteLabel("t2").value().name, "Two");
  EXPECT_FALSE(store_->GetWhiteLabel("t3").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, WhiteLabelStoreConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
