#include "locale_names.hpp"

#include <algorithm>
#include <cstdint>

namespace rapport {
namespace {

struct NameKey {
  std::string_view key;  // folded: lower case, no accents, single spaces
  int index;
};

struct Language {
  std::string_view code;
  std::string_view name;
};

#include "locale_names_table.inc"

// Latin letters with diacritics that names use (U+00C0–U+017F), by code point, folded to ASCII.
char FoldLatin(char32_t c) {
  static constexpr std::string_view kLatin1 =  // U+00C0 … U+00FF
      "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
  static constexpr std::string_view kExtendedA =  // U+0100 … U+017F
      "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkklllllllll"
      "lnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
  if (c >= 0xC0 && c <= 0xFF) return kLatin1[c - 0xC0];
  if (c >= 0x100 && c <= 0x17F) return kExtendedA[c - 0x100];
  return 0;
}

// Decodes one UTF-8 sequence at `i`; U+FFFD for a malformed one (the text then matches nothing).
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i++);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0 || i + extra > s.size()) return 0xFFFD;
  char32_t c = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if ((byte(i) & 0xC0) != 0x80) return 0xFFFD;
    c = (c << 6) | (byte(i++) & 0x3F);
  }
  return c;
}

// The form the tables are keyed by: ASCII lower case, accents dropped (combining marks too),
// whitespace runs as one space, no leading "the ".
std::string Fold(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = NextCodePoint(text, i);
    if (c >= 0x300 && c <= 0x36F) continue;  // combining accent
    if (c == 0x2019) c = '\'';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (char folded = FoldLatin(c)) {
      out += folded;
    } else {
      out += '?';  // matches no key
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.starts_with("the ")) out.erase(0, 4);
  return out;
}

template <size_t N>
const NameKey* FindKey(const NameKey (&keys)[N], std::string_view folded) {
  auto it = std::lower_bound(std::begin(keys), std::end(keys), folded,
                             [](const NameKey& k, std::string_view v) { return k.key < v; });
  return it != std::end(keys) && it->key == folded ? it : nullptr;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

}  // namespace

const Country* FindCountry(std::string_view text) {
  std::string folded = Fold(text);
  if (folded.size() == 2 || folded.size() == 3) {
    std::string code = Upper(folded);
    for (const auto& c : kCountries) {
      if (c.alpha2 == code || c.alpha3 == code) return &c;
    }
  }
  const NameKey* key = FindKey(kCountryNames, folded);
  return key ? &kCountries[key->index] : nullptr;
}

std::optional<LanguageMatch> FindLanguage(std::string_view text) {
  std::string folded = Fold(text);
  auto by_code = [](std::string_view code) -> const Language* {
    for (const auto& l : kLanguages) {
      if (l.code == code) return &l;
    }
    return nullptr;
  };
  if (folded.size() == 2) {
    if (const Language* l = by_code(folded)) return LanguageMatch{std::string(l->code), l->name};
  }
  // A code with a region: "pt-BR", "pt_br", "en-us".
  if (folded.size() == 5 && (folded[2] == '-' || folded[2] == '_') &&
      std::isalpha(static_cast<unsigned char>(folded[3])) &&
      std::isalpha(static_cast<unsigned char>(folded[4]))) {
    if (const Language* l = by_code(folded.substr(0, 2))) {
      return LanguageMatch{std::string(l->code) + "-" + Upper(folded.substr(3)), l->name};
    }
  }
  const NameKey* key = FindKey(kLanguageNames, folded);
  if (key == nullptr) return std::nullopt;
  const Language& l = kLanguages[key->index];
  return LanguageMatch{std::string(l.code), l.name};
}

}  // namespace rapport
