#include <rapport/brand/scorer.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace rapport {
namespace {

// Decodes UTF-8 (invalid bytes become U+FFFD).
std::u32string Decode(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

char32_t Fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;                // Latin-1
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131) return c | 1;  // Latin Ext-A pairs
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;               // Greek
  if (c >= 0x410 && c <= 0x42F) return c + 32;                             // Cyrillic
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

// Letters and digits of scripts that separate words with spaces.
bool IsWordChar(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
         (c >= 0x400 && c <= 0x4FF);
}

std::u32string Folded(const std::string& s) {
  std::u32string out = Decode(s);
  for (auto& c : out) c = Fold(c);
  return out;
}

std::optional<size_t> Find(const std::u32string& text, const std::u32string& term) {
  if (term.empty()) return std::nullopt;
  for (size_t pos = text.find(term); pos != std::u32string::npos; pos = text.find(term, pos + 1)) {
    bool left_ok = pos == 0 || !IsWordChar(text[pos - 1]) || !IsWordChar(term.front());
    size_t end = pos + term.size();
    bool right_ok = end >= text.size() || !IsWordChar(text[end]) || !IsWordChar(term.back());
    if (left_ok && right_ok) return pos;
  }
  return std::nullopt;
}

std::optional<size_t> FirstMentionIn(const std::u32string& text, const Entity& e) {
  std::optional<size_t> best;
  std::vector<std::string> names = e.aliases;
  names.push_back(e.name);
  for (const auto& n : names) {
    auto pos = Find(text, Folded(n));
    if (pos && (!best || *pos < *best)) best = pos;
  }
  return best;
}

const std::set<std::u32string>& Words(bool positive) {
  static const std::set<std::u32string> kPositive = [] {
    std::set<std::u32string> s;
    for (const char* w :
         {"best",        "excellent", "great",       "leading",   "recommended",  "recommend",
          "reliable",    "trusted",   "popular",     "top",       "good",         "strong",
          "innovative",  "favorite",  "outstanding", "beste",     "hervorragend", "empfehlenswert",
          "zuverlässig", "meilleur",  "excellente",  "excellent", "fiable",       "mejor",
          "excelente",   "confiable", "лучший",      "отличный"}) {
      s.insert(Folded(w));
    }
    return s;
  }();
  static const std::set<std::u32string> kNegative = [] {
    std::set<std::u32string> s;
    for (const char* w :
         {"poor",       "bad",           "worst",    "unreliable",    "complaints", "complaint",
          "issues",     "lawsuit",       "scandal",  "avoid",         "weak",       "slow",
          "overpriced", "disappointing", "schlecht", "unzuverlässig", "mauvais",    "décevant",
          "malo",       "peor",          "плохой",   "худший"}) {
      s.insert(Folded(w));
    }
    return s;
  }();
  return positive ? kPositive : kNegative;
}

// Sentiment of the sentences that mention the brand: positive minus negative lexicon words.
std::string SentimentNear(const std::u32string& text, const Entity& brand) {
  int score = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(U".!?\n", start);
    if (end == std::u32string::npos) end = text.size();
    std::u32string sentence = text.substr(start, end - start);
    if (FirstMentionIn(sentence, brand)) {
      std::u32string word;
      for (size_t i = 0; i <= sentence.size(); ++i) {
        if (i < sentence.size() && IsWordChar(sentence[i])) {
          word.push_back(sentence[i]);
          continue;
        }
        if (!word.empty()) {
          if (Words(true).contains(word)) ++score;
          if (Words(false).contains(word)) --score;
          word.clear();
        }
      }
    }
    start = end + 1;
  }
  return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::optional<size_t> FirstMention(const std::string& text, const Entity& entity) {
  return FirstMentionIn(Folded(text), entity);
}

std::vector<std::string> Citations(const std::string& text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](std::string host) {
    host = Lower(host);
    if (host.starts_with("www.")) host = host.substr(4);
    while (!host.empty() && (host.back() == '.' || host.back() == ',')) host.pop_back();
    if (host.find('.') == std::string::npos) return;
    if (seen.insert(host).second) out.push_back(host);
  };
  static const std::set<std::string> kTlds = {
      "com", "org", "net", "io", "co", "ai", "app", "dev", "info", "biz", "eu", "us", "uk",
      "de",  "fr",  "es",  "it", "nl", "jp", "cn",  "ru",  "br",   "in",  "ca", "au", "ch"};
  auto is_host_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  };
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0) {
      size_t host_start = text.find("://", i) + 3;
      size_t j = host_start;
      while (j < text.size() && is_host_char(text[j])) ++j;
      add(text.substr(host_start, j - host_start));
      while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) &&
             text[j] != ')' && text[j] != ']' && text[j] != '"' && text[j] != '>') {
        ++j;
      }
      i = j;
      continue;
    }
    // A bare domain: letters/digits/hyphens with dots, ending in a known TLD, not inside a word.
    if (std::isalnum(static_cast<unsigned char>(text[i])) &&
        (i == 0 || !(is_host_char(text[i - 1]) || text[i - 1] == '@' || text[i - 1] == '/'))) {
      size_t j = i;
      while (j < text.size() && is_host_char(text[j])) ++j;
      std::string token = text.substr(i, j - i);
      while (!token.empty() && token.back() == '.') token.pop_back();
      size_t dot = token.rfind('.');
      if (dot != std::string::npos && dot > 0 && kTlds.contains(Lower(token.substr(dot + 1))) &&
          token.find("..") == std::string::npos) {
        add(token);
      }
      i = j;
      continue;
    }
    ++i;
  }
  return out;
}

AnswerScore ScoreAnswer(const std::string& answer, const Entity& brand,
                        const std::vector<Entity>& competitors) {
  AnswerScore s;
  std::u32string text = Folded(answer);
  auto brand_at = FirstMentionIn(text, brand);
  s.brand_appears = brand_at.has_value();
  std::vector<std::pair<size_t, std::string>> mentioned;
  for (const auto& c : competitors) {
    if (auto at = FirstMentionIn(text, c)) mentioned.emplace_back(*at, c.name);
  }
  std::sort(mentioned.begin(), mentioned.end());
  for (const auto& [at, name] : mentioned) s.competitors_mentioned.push_back(name);
  if (brand_at) {
    int rank = 1;
    for (const auto& [at, name] : mentioned) rank += at < *brand_at ? 1 : 0;
    s.position = rank;
    s.sentiment = SentimentNear(text, brand);
  }
  s.citations = Citations(answer);
  return s;
}

Interval95 WilsonInterval(int64_t successes, int64_t n) {
  if (n <= 0) return {};
  constexpr double z = 1.959963984540054;
  double p = static_cast<double>(successes) / static_cast<double>(n);
  double nn = static_cast<double>(n);
  double denom = 1 + z * z / nn;
  double center = (p + z * z / (2 * nn)) / denom;
  double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {std::max(0.0, center - half) * 100, std::min(1.0, center + half) * 100};
}

}  // namespace rapport
