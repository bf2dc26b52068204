// Scoring one answer engine's answer for a brand, and the statistics reports are made of.
// Matching is case-insensitive and Unicode-aware (Latin, Greek and Cyrillic letters fold case;
// a match must not touch another letter or digit of those scripts, so "Acme" does not match
// "Acmeville"; names in scripts without word spaces, such as CJK, match as substrings).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rapport {

// Bumped whenever scoring changes; stored in every brand report. 1: one answer per prompt and
// platform. 2: samples per prompt (every rate counts every sample; per-prompt stability); failed
// answers are recorded and left out of every rate.
inline constexpr int kBrandMethodologyVersion = 2;

struct Entity {
  std::string name;
  std::vector<std::string> aliases;
};

struct AnswerScore {
  bool brand_appears = false;
  std::optional<int> position;  // 1-based rank among the brand and competitors, by first mention
  std::vector<std::string> competitors_mentioned;  // competitor names, in order of first mention
  std::vector<std::string> citations;              // domains cited (URLs or bare domains)
  std::optional<std::string> sentiment;            // positive | neutral | negative (brand present)
};

// Offset (in code points) of the first whole-word occurrence of any of the entity's names, or
// nullopt.
std::optional<size_t> FirstMention(const std::string& text, const Entity& entity);

AnswerScore ScoreAnswer(const std::string& answer, const Entity& brand,
                        const std::vector<Entity>& competitors);

// Every distinct domain cited: hosts of http(s) URLs and bare domains like "example.com".
std::vector<std::string> Citations(const std::string& text);

// 95% Wilson score interval of a proportion, in percent; {0, 0} when n is 0.
struct Interval95 {
  double low = 0;
  double high = 0;
};
Interval95 WilsonInterval(int64_t successes, int64_t n);

}  // namespace rapport
