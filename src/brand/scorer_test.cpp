#include <rapport/brand/scorer.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

const Entity kAcme{"Acme Analytics", {"Acme", "AcmeAI"}};
const std::vector<Entity> kRivals = {{"Globex Insights", {"Globex"}}, {"Initech", {}}};

TEST(Scorer, NumberedListGivesPositionAndCompetitors) {
  auto s = ScoreAnswer(
      "The best analytics tools in 2026:\n1. Globex Insights - popular with enterprises\n"
      "2. Acme Analytics - excellent dashboards and reliable support\n3. Initech\n",
      kAcme, kRivals);
  EXPECT_TRUE(s.brand_appears);
  EXPECT_EQ(s.position, 2);
  EXPECT_EQ(s.competitors_mentioned, (std::vector<std::string>{"Globex Insights", "Initech"}));
  EXPECT_EQ(s.sentiment, "positive");
}

TEST(Scorer, AliasesMatchCaseInsensitivelyAsWholeWordsOnly) {
  EXPECT_TRUE(ScoreAnswer("Many teams use ACME for reporting.", kAcme, kRivals).brand_appears);
  EXPECT_TRUE(ScoreAnswer("acmeai is an option (acmeai.com).", kAcme, kRivals).brand_appears);
  // Look-alikes must not count: a longer word that merely contains the name.
  auto s =
      ScoreAnswer("Acmeville and Pacmeister are towns; Initechnology is a word.", kAcme, kRivals);
  EXPECT_FALSE(s.brand_appears);
  EXPECT_FALSE(s.position.has_value());
  EXPECT_FALSE(s.sentiment.has_value());
  EXPECT_TRUE(s.competitors_mentioned.empty());
}

TEST(Scorer, UnicodeNamesFoldCaseAndKeepWordBoundaries) {
  Entity moscow{"Москва Телеком", {}};
  EXPECT_TRUE(ScoreAnswer("Лучший оператор — МОСКВА ТЕЛЕКОМ.", moscow, {}).brand_appears);
  EXPECT_FALSE(ScoreAnswer("Москва Телекоммуникации", moscow, {}).brand_appears);
  Entity muenchen{"Müller Energie", {}};
  EXPECT_TRUE(ScoreAnswer("Die beste Wahl ist MÜLLER ENERGIE.", muenchen, {}).brand_appears);
  EXPECT_EQ(ScoreAnswer("Die beste Wahl ist MÜLLER ENERGIE.", muenchen, {}).sentiment, "positive");
  // Scripts without word spaces match as substrings.
  Entity tokyo{"東京データ", {}};
  EXPECT_TRUE(ScoreAnswer("おすすめは東京データです。", tokyo, {}).brand_appears);
}

TEST(Scorer, NegativeProseAndNeutral) {
  EXPECT_EQ(ScoreAnswer("Acme has had many complaints and is slow.", kAcme, {}).sentiment,
            "negative");
  EXPECT_EQ(ScoreAnswer("Acme is a company in Ohio.", kAcme, {}).sentiment, "neutral");
}

TEST(Scorer, CitationsAreDistinctDomains) {
  EXPECT_EQ(Citations("See https://www.acme.example.com/pricing?x=1 and globex.io, "
                      "also (https://docs.acme.io/a). Contact me@mail.com. e.g. this."),
            (std::vector<std::string>{"acme.example.com", "globex.io", "docs.acme.io"}));
}

TEST(Scorer, WilsonIntervalMatchesTheFormula) {
  auto i = WilsonInterval(5, 10);  // p = 0.5, n = 10: [23.66, 76.34]
  EXPECT_NEAR(i.low, 23.66, 0.01);
  EXPECT_NEAR(i.high, 76.34, 0.01);
  auto zero = WilsonInterval(0, 20);  // [0, 16.11]
  EXPECT_NEAR(zero.low, 0.0, 1e-9);
  EXPECT_NEAR(zero.high, 16.11, 0.01);
  EXPECT_EQ(WilsonInterval(0, 0).high, 0.0);
}

}  // namespace
}  // namespace rapport
