#include "brand_json.hpp"

#include <rapport/brand/brand_service.hpp>
#include <rapport/core/json.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

std::string Written(const Brand& b) {
  std::string out = "prefix:";  // appended to, never cleared
  AppendBrandJson(out, b);
  return out.substr(7);
}

Brand Full() {
  return Brand{"brand_0123456789abcdef",
               "tenant",
               "Acme \"Anvils\" \\ Co",
               "https://acme.example/path?q=1&r=2",
               {"ACME", "Ácme ☃", "tab\there"},
               {{"Rival", {"R1", "R\u00e9"}}, {"Other", {}}, {"", {""}}},
               {"tools", "line\nbreak", "ctl\x01\x1f\x7f"},
               "DE",
               "pt-BR",
               1'800'000'000'123,
               1'800'000'999'000,
               "Makes anvils.\r\n\"Since 1900\" — \xf0\x9f\x94\xa8"};
}

TEST(BrandJson, SameBytesAsTheJsonTreeForAFullBrand) {
  Brand b = Full();
  EXPECT_EQ(Written(b), ToJson(BrandToJson(b)));
}

TEST(BrandJson, SameBytesWithEmptyListsAndNulls) {
  Brand b{"brand_x", "t",          "",           "http://x", {}, {},
          {},        std::nullopt, std::nullopt, 0,          -1, std::nullopt};
  EXPECT_EQ(Written(b), ToJson(BrandToJson(b)));
  EXPECT_NE(Written(b).find(R"("brand_info":{"description":null})"), std::string::npos);
}

TEST(BrandJson, AnEmptyDescriptionIsNull) {
  Brand b = Full();
  b.description = "";
  EXPECT_EQ(Written(b), ToJson(BrandToJson(b)));
  EXPECT_EQ(boost::json::parse(Written(b)).at("brand_info").at("description"), nullptr);
}

TEST(BrandJson, SameBytesOverVariedBrands) {
  const std::vector<std::string> texts = {"",
                                          "a",
                                          "\"",
                                          "\\",
                                          "\b\f\n\r\t",
                                          std::string(1, '\0'),
                                          "\xc3\xa9",
                                          "\xe2\x80\xa8",
                                          "x/y</script>",
                                          "a\x7f"};
  for (size_t i = 0; i < texts.size(); ++i) {
    Brand b = Full();
    b.name = texts[i];
    b.website = texts[(i + 1) % texts.size()];
    b.aliases.assign(texts.begin(), texts.begin() + static_cast<std::ptrdiff_t>(i));
    b.competitors = {{texts[(i + 2) % texts.size()], b.aliases}};
    b.categories = {texts[(i + 3) % texts.size()]};
    if (i % 2 == 0) b.country.reset();
    if (i % 3 == 0) b.language.reset();
    b.description = i % 4 == 0 ? std::nullopt : std::optional<std::string>(texts[i]);
    b.created_at = static_cast<UnixMs>(i) * 86'400'123 - 5'000;
    b.updated_at = 253'402'300'799'999 - static_cast<UnixMs>(i);  // up to 9999-12-31
    EXPECT_EQ(Written(b), ToJson(BrandToJson(b))) << "case " << i;
    EXPECT_TRUE(boost::json::parse(Written(b)).is_object()) << "case " << i;
  }
}

TEST(BrandJson, SameTimestampsAsFormatRfc3339) {
  std::vector<UnixMs> times = {0,
                               -1,
                               1,
                               951'782'400'000,
                               951'868'799'999,
                               4'107'542'400'000,
                               -62'167'219'200'000,
                               -62'167'219'200'001,
                               253'402'300'799'999,
                               253'402'300'800'000,
                               -86'400'000,
                               1'800'000'000'123};
  for (UnixMs t = -5'000'000'000'000; t < 300'000'000'000'000; t += 987'654'321'987) {
    times.push_back(t);
  }
  for (UnixMs t : times) {
    Brand b = Full();
    b.created_at = t;
    b.updated_at = t + 86'399'999;
    EXPECT_EQ(Written(b), ToJson(BrandToJson(b))) << "at " << t;
  }
}

}  // namespace
}  // namespace rapport
