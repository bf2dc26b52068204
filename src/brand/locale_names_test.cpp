#include "locale_names.hpp"

#include <gtest/gtest.h>

namespace rapport {
namespace {

std::string Alpha2(std::string_view text) {
  const Country* c = FindCountry(text);
  return c ? std::string(c->alpha2) : "-";
}

TEST(LocaleNames, CountriesByCodeOrEnglishNameInAnyCase) {
  EXPECT_EQ(Alpha2("United States"), "US");
  EXPECT_EQ(Alpha2("united states of america"), "US");
  EXPECT_EQ(Alpha2("USA"), "US");
  EXPECT_EQ(Alpha2("us"), "US");
  EXPECT_EQ(Alpha2("  The   Netherlands "), "NL");
  EXPECT_EQ(Alpha2("DEU"), "DE");
  EXPECT_EQ(Alpha2("Germany"), "DE");
  EXPECT_EQ(Alpha2("UK"), "GB");
  EXPECT_EQ(Alpha2("South Korea"), "KR");
  EXPECT_EQ(Alpha2("Iran"), "IR");
  EXPECT_EQ(Alpha2("Türkiye"), "TR");
  EXPECT_EQ(Alpha2("Turkiye"), "TR");
  EXPECT_EQ(Alpha2("Cote d\u2019Ivoire"), "CI");
  EXPECT_EQ(Alpha2("Co\u0302te d'Ivoire"), "CI");  // a combining circumflex
  EXPECT_EQ(FindCountry("Brazil")->name, "Brazil");
  EXPECT_EQ(FindCountry("BO")->name,
            "Bolivia");  // the common name, not "…, Plurinational State of"
}

TEST(LocaleNames, UnknownCountriesAreNotGuessed) {
  EXPECT_EQ(Alpha2("Atlantis"), "-");
  EXPECT_EQ(Alpha2("XX"), "-");
  EXPECT_EQ(Alpha2("Bay Area"), "-");
  EXPECT_EQ(Alpha2(""), "-");
  EXPECT_EQ(Alpha2("\xff\xfe"), "-");     // not UTF-8
  EXPECT_EQ(Alpha2("Deutschland"), "-");  // English names only
}

TEST(LocaleNames, LanguagesByCodeCodeWithRegionOrEnglishName) {
  EXPECT_EQ(FindLanguage("German")->code, "de");
  EXPECT_EQ(FindLanguage("german")->name, "German");
  EXPECT_EQ(FindLanguage("de")->code, "de");
  EXPECT_EQ(FindLanguage("DE")->code, "de");
  EXPECT_EQ(FindLanguage("pt-BR")->code, "pt-BR");
  EXPECT_EQ(FindLanguage("pt_br")->code, "pt-BR");
  EXPECT_EQ(FindLanguage("pt-BR")->name, "Portuguese");
  EXPECT_EQ(FindLanguage("Spanish")->code, "es");
  EXPECT_EQ(FindLanguage("Castilian")->code, "es");
  EXPECT_EQ(FindLanguage("Greek")->code, "el");
  EXPECT_EQ(FindLanguage("Norwegian Bokmål")->code, "nb");
  EXPECT_FALSE(FindLanguage("Klingon"));
  EXPECT_FALSE(FindLanguage("xx"));
  EXPECT_FALSE(FindLanguage("xx-YY"));
  EXPECT_FALSE(FindLanguage(""));
}

}  // namespace
}  // namespace rapport
