#include <rapport/core/error.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

constexpr ErrorSpec kWidgetMissing{"widget_missing", 422, "invalid_request_error", "No widget"};

TEST(Error, AKindsOwnErrorCarriesItsSpec) {
  Error e(kWidgetMissing, "", boost::json::object{{"widget", "w1"}});
  EXPECT_EQ(e.code(), ErrorCode::kKind);
  EXPECT_EQ(&e.spec(), &kWidgetMissing);
  EXPECT_EQ(e.status(), 422);
  EXPECT_EQ(e.message(), "No widget");
  EXPECT_EQ(e.SlaCode(), "widget_missing");
  Error copy = e;
  EXPECT_EQ(copy.spec().code, "widget_missing");
  EXPECT_EQ(Error(kWidgetMissing, "gone").WithStatus(410).status(), 410);
}

TEST(Error, TheCoreCatalogHasNoEntryForKindErrors) {
  for (const auto& spec : AllErrorSpecs()) EXPECT_NE(spec.code, "kind");
  EXPECT_EQ(AllErrorSpecs().size(), static_cast<size_t>(ErrorCode::kKind));
  EXPECT_EQ(Spec(ErrorCode::kKind).code, "internal_error");
  EXPECT_EQ(Error(ErrorCode::kNotFound, "").spec().code, "not_found");
}

}  // namespace
}  // namespace rapport
